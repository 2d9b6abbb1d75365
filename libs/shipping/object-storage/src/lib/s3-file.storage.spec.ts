import { randomBytes } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UrlSigner } from '@shipbatch/platform/config';
import { startTestS3, type TestS3 } from '@shipbatch/platform/testing';
import { createS3Client } from './s3-client';

import { DEFAULT_S3_UPLOAD, S3FileStorage } from './s3-file.storage';


const MiB = 1024 * 1024;

/** The S3 driver's own behaviour; the port's promises are in data-access's file-storage.contract.spec.ts. */
describe('S3FileStorage', () => {
  let s3: TestS3;
  let client: S3Client;
  let storage: S3FileStorage;
  /** Bytes of UploadPart bodies S3 has acknowledged. */
  let partBytesSent = 0;

  beforeAll(async () => {
    s3 = await startTestS3('labels');
    client = createS3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true }, { credentials: s3.credentials });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const body = (args.input as { Body?: Uint8Array }).Body;
        if (context.commandName === 'UploadPartCommand' && body) partBytesSent += body.byteLength;
        return result;
      },
      { step: 'initialize', name: 'countPartBytes' },
    );
    storage = new S3FileStorage(client, { bucket: s3.bucket, prefix: 'prod/files/' }, { signer: new UrlSigner(randomBytes(32)), publicBaseUrl: 'http://api.test' });
  });
  afterAll(async () => {
    client.destroy();
    await s3.close();
  });

  it('keeps objects under the prefix, with the content type it was given', async () => {
    await storage.put('labels/t1/a.pdf', Buffer.from('%PDF-1.4'), 'application/pdf');
    const object = await client.send(new GetObjectCommand({ Bucket: 'labels', Key: 'prod/files/labels/t1/a.pdf' }));
    expect(object.ContentType).toBe('application/pdf');
    expect(await object.Body?.transformToString()).toBe('%PDF-1.4');
    expect(storage.objectKey('b/c.zpl')).toBe('prod/files/b/c.zpl');
  });

  it('aborts a multipart upload whose source fails: no part left, the old object whole', async () => {
    await storage.put('m/merged.pdf', Buffer.from('previous'), 'application/pdf');
    const aborted = s3.abortedUploads.length;
    async function* failsLate() {
      for (let i = 0; i < 12; i++) yield Buffer.alloc(MiB, i);
      throw new Error('merge failed');
    }
    await expect(storage.put('m/merged.pdf', failsLate(), 'application/pdf')).rejects.toThrow('merge failed');
    expect(s3.abortedUploads.length).toBe(aborted + 1);
    expect(await s3.pendingUploads()).toEqual([]);
    expect((await storage.read('m/merged.pdf')).toString()).toBe('previous');
  });

  it('writes a stream a part at a time, never holding the whole file', async () => {
    const total = 40 * MiB;
    const chunk = 256 * 1024;
    const bound = (DEFAULT_S3_UPLOAD.queueSize + 2) * DEFAULT_S3_UPLOAD.partSize;
    let ahead = 0;
    partBytesSent = 0;
    async function* source() {
      for (let sent = 0; sent < total; sent += chunk) {
        ahead = Math.max(ahead, sent - partBytesSent);
        yield Buffer.alloc(chunk, sent / chunk);
      }
    }
    await storage.put('m/big.pdf', source(), 'application/pdf');
    expect(ahead).toBeLessThanOrEqual(bound);
    expect(ahead).toBeGreaterThan(0);
    expect(partBytesSent).toBe(total);
    const opened = await storage.open('m/big.pdf');
    expect(opened?.size).toBe(total);
    opened?.stream.destroy();
  });

  it('answers a missing bucket as an error, not as a missing file', async () => {
    const wrong = new S3FileStorage(client, { bucket: 'no-such-bucket', prefix: '' }, { signer: new UrlSigner(randomBytes(32)), publicBaseUrl: 'http://api.test' });
    await expect(wrong.read('a.pdf')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(wrong.open('a.pdf')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
