import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './temp-dir';

/** An S3-compatible server of the test's own, on a free loopback port, its objects in a tempDir(). */
export interface TestS3 {
  /** `http://127.0.0.1:<port>` (path-style addressing). */
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's fixed test account. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where s3rver keeps the buckets. */
  directory: string;
  /** Multipart uploads begun and neither completed nor aborted, by upload id. */
  pendingUploads(): Promise<string[]>;
  /** Upload ids of the AbortMultipartUpload requests received. */
  abortedUploads: string[];
  close(): Promise<void>;
}

/**
 * Starts `@20minutes/s3rver` with one bucket. s3rver answers AbortMultipartUpload with
 * MethodNotAllowed; this server implements it (drops the upload's parts, answers 204) and records
 * it, so a spec can check that a failed write was aborted.
 */
export async function startTestS3(bucket = 'shipbatch-test'): Promise<TestS3> {
  // Loaded here, not at the top: every spec imports this library, few start an S3 server.
  const { default: S3rver } = await import('@20minutes/s3rver');
  const directory = tempDir('shipbatch-s3-');
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket }], vhostBuckets: false });
  await s3rver.configureBuckets();
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  const abortedUploads: string[] = [];
  const handle = s3rver.callback();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://s3.test');
    const uploadId = url.searchParams.get('uploadId');
    if (req.method === 'DELETE' && uploadId && /^[0-9a-f]+$/.test(uploadId)) {
      abortedUploads.push(uploadId);
      req.resume();
      void rm(join(uploadsDir, uploadId), { recursive: true, force: true }).then(
        () => res.writeHead(204).end(),
        () => res.writeHead(500).end(),
      );
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    directory,
    abortedUploads,
    pendingUploads: async () => readdir(uploadsDir).catch(() => []),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
    },
  };
}
