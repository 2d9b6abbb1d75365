import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type LinkBaseSettings, linkBase, type UrlSigner } from '@shipbatch/platform/config';
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

/** Where a driver keeps its objects: a bucket and a key prefix (`''` or `a/b/`). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** How a streamed write is cut into parts: memory held is about (queueSize + 1) x partSize. */
export interface S3UploadOptions {
  /** Bytes per part, at least 5 MiB (S3's smallest part). */
  partSize: number;
  /** Parts sent at once. */
  queueSize: number;
}

export const DEFAULT_S3_UPLOAD: Readonly<S3UploadOptions> = Object.freeze({ partSize: 5 * 1024 * 1024, queueSize: 2 });

/**
 * The FileStorage driver for S3-compatible object storage (AWS S3, MinIO, R2, ...), so that no
 * two processes need to share a disk. Objects live under `<prefix><key>` in one bucket.
 *
 * All or nothing: a buffer is one PutObject; a stream is written by `@aws-sdk/lib-storage`'s
 * Upload, a part at a time (a stream that fits in one part is one PutObject). A multipart object
 * becomes visible only when the upload completes; when the source or a part fails, the upload is
 * aborted and the error of the source, if it failed, is what the caller sees. Content types
 * follow the key's extension, as with the local driver. `urlFor` signs the API's own download
 * route, which streams the object through `open`: the bucket is never public.
 */
export class S3FileStorage implements FileStorage {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    private readonly links: { signer: Pick<UrlSigner, 'sign'> } & LinkBaseSettings,
    private readonly upload: S3UploadOptions = DEFAULT_S3_UPLOAD,
  ) {}

  async put(key: string, content: FileContent, contentType: string): Promise<void> {
    const params = { Bucket: this.location.bucket, Key: this.objectKey(key), ContentType: contentType };
    if (Buffer.isBuffer(content)) {
      await this.client.send(new PutObjectCommand({ ...params, Body: content }));
      return;
    }
    const source = new SourceWatch(content);
    const upload = new Upload({ client: this.client, params: { ...params, Body: source.readable() }, ...this.upload, leavePartsOnError: false });
    try {
      await upload.done();
    } catch (error) {
      // lib-storage has aborted the multipart upload (or tried to: an abort that fails replaces the
      // first error); the source's own failure says more than either.
      throw source.failed ? source.error : error;
    }
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.get(key);
    if (!object) throw new FileNotFoundError(key);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async open(key: string): Promise<OpenedFile | null> {
    const object = await this.get(key);
    if (!object) return null;
    return { stream: object.Body as unknown as Readable, size: Number(object.ContentLength ?? 0), contentType: contentTypeForKey(key) };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  urlFor(key: string, ttlMs = FILE_URL_TTL_MS): string {
    return signedFileUrl(this.links.signer, linkBase(this.links), key, ttlMs);
  }

  /** The object's key in the bucket; refuses malformed file keys. */
  objectKey(key: string): string {
    if (!isValidFileKey(key)) throw new InvalidFileKeyError(key);
    return this.location.prefix + key;
  }

  private async get(key: string) {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      if (!object.Body) throw new Error(`S3 answered GetObject of ${key} without a body`);
      return { ...object, Body: object.Body };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }
}

/** A stream or async iterable handed to Upload as a Readable, remembering whether the source itself failed. */
class SourceWatch {
  failed = false;
  error: unknown;

  constructor(private readonly source: Readable | AsyncIterable<Buffer | Uint8Array>) {}

  readable(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  private async *chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of this.source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    } catch (error) {
      this.failed = true;
      this.error = error;
      throw error;
    }
  }
}

/** NoSuchKey (GetObject) or NotFound (HeadObject, no body to say more): 404, but a missing bucket is not a missing file. */
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name !== 'NoSuchBucket' && (e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404);
}
