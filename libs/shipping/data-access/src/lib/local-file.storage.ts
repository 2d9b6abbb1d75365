import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, UrlSigner, linkBase } from '@shipbatch/platform/config';
import {
  contentTypeForKey,
  type FileContent,
  FILE_URL_TTL_MS,
  FileNotFoundError,
  type FileStorage,
  InvalidFileKeyError,
  isValidFileKey,
  type OpenedFile,
  signedFileUrl,
} from '@shipbatch/shipping/application';

/**
 * The default FileStorage driver: files on local disk under DATA_DIR/files (in scale-out,
 * a volume every process shares). Writes go to a uniquely named temp file beside the target,
 * renamed into place, so a reader never sees half a file and two writers of the same key
 * leave one whole file. Content types follow the key's extension.
 */
@Injectable()
export class LocalFileStorage implements FileStorage {
  readonly root: string;
  /** Directories this process has made (or found) already: one mkdir per folder, not per file. */
  private readonly knownDirs = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'dataDir' | 'publicBaseUrl'> & Partial<Pick<AppConfig, 'http'>>,
    private readonly signer: UrlSigner,
  ) {
    this.root = join(resolve(config.dataDir), 'files');
  }

  async put(key: string, content: FileContent, _contentType: string): Promise<void> {
    const path = this.pathFor(key);
    const dir = dirname(path);
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    try {
      await writeAtomically(path, content);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // The folder was removed behind our back: make it again (a stream cannot be replayed).
      this.knownDirs.delete(dir);
      if (!Buffer.isBuffer(content)) throw error;
      await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
      await writeAtomically(path, content);
    }
  }

  async read(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathFor(key));
    } catch (error) {
      if (isMissing(error)) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async open(key: string): Promise<OpenedFile | null> {
    const path = this.pathFor(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      return { stream: createReadStream(path), size: info.size, contentType: contentTypeForKey(key) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true });
  }

  urlFor(key: string, ttlMs = FILE_URL_TTL_MS): string {
    this.pathFor(key);
    return signedFileUrl(this.signer, linkBase(this.config), key, ttlMs);
  }

  /** The file's path on disk; refuses malformed keys and anything that would leave the root. */
  pathFor(key: string): string {
    if (!isValidFileKey(key)) throw new InvalidFileKeyError(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new InvalidFileKeyError(key);
    return path;
  }
}

/** Writes to a uniquely named temp file beside `path`, then renames it into place. */
async function writeAtomically(path: string, content: FileContent): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    if (Buffer.isBuffer(content)) await writeFile(tmp, content);
    else await pipeline(content instanceof Readable ? content : Readable.from(content), createWriteStream(tmp));
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
