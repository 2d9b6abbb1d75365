import type { Readable } from 'node:stream';

/** What `put` accepts: a whole buffer, or a stream (Readable or any async iterable of chunks). */
export type FileContent = Buffer | Readable | AsyncIterable<Buffer | Uint8Array>;

/** A stored file opened for reading. */
export interface OpenedFile {
  stream: Readable;
  size: number;
  contentType: string;
}

/**
 * The file storage port: label files bought from providers and the merged batch files.
 * Keys are relative paths of `[A-Za-z0-9._-]` segments separated by `/` (no `.`/`..`
 * segments, no leading `/`); a driver refuses any other key with `InvalidFileKeyError`.
 * The default driver keeps files on local disk under `DATA_DIR/files`.
 */
export interface FileStorage {
  /**
   * Stores `content` under `key`, replacing what was there. All or nothing: a reader sees
   * the old file or the new one, never a part (drivers write elsewhere and rename).
   */
  put(key: string, content: FileContent, contentType: string): Promise<void>;
  /** The whole file. Throws `FileNotFoundError` when absent. */
  read(key: string): Promise<Buffer>;
  /** The file as a stream with its size and content type; null when absent. */
  open(key: string): Promise<OpenedFile | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the file; a missing file is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A signed URL anyone holding it can download from, without an API key, until it expires
   * (`ttlMs`, default the driver's). Cheap and synchronous: compute it at read time.
   */
  urlFor(key: string, ttlMs?: number): string;
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Whether `key` is a well-formed storage key (see `FileStorage`). */
export function isValidFileKey(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) return false;
  return key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  zpl: 'application/zpl',
};

/** Content type of a key by its extension (keys of label files always carry one). */
export function contentTypeForKey(key: string): string {
  const dot = key.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[key.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}
