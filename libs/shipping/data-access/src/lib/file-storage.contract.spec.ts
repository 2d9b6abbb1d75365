import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { UrlSigner } from '@shipbatch/platform/config';
import { startTestS3, type TestS3, tempDir } from '@shipbatch/platform/testing';
import { FileNotFoundError, type FileStorage, InvalidFileKeyError } from '@shipbatch/shipping/application';
import { createS3Client, S3FileStorage } from '@shipbatch/shipping/object-storage';
import { LocalFileStorage } from './local-file.storage';

/**
 * The FileStorage port's promises, held by every driver: local disk, and S3 against a real
 * S3-compatible server this spec starts (`startTestS3`, s3rver). Driver-specific behaviour is in
 * each driver's own spec.
 */

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** `size` bytes of a repeating pattern, in chunks, failing after `failAfter` bytes when given. */
async function* pattern(size: number, chunk = 256 * 1024, failAfter?: number): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < size; sent += chunk) {
    if (failAfter !== undefined && sent >= failAfter) throw new Error('source failed');
    yield Buffer.alloc(Math.min(chunk, size - sent), sent / chunk);
  }
}

interface Driver {
  name: string;
  start(signer: UrlSigner): Promise<FileStorage>;
  stop(): Promise<void>;
}

let s3: TestS3 | undefined;
const drivers: Driver[] = [
  {
    name: 'local disk',
    start: async (signer) => new LocalFileStorage({ dataDir: tempDir('shipbatch-files-'), publicBaseUrl: 'http://api.test' }, signer),
    stop: async () => undefined,
  },
  {
    name: 'S3 (s3rver)',
    start: async (signer) => {
      s3 = await startTestS3();
      const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true }, { credentials: s3.credentials });
      return new S3FileStorage(client, { bucket: s3.bucket, prefix: 'contract/' }, { signer, publicBaseUrl: 'http://api.test' });
    },
    stop: async () => s3?.close(),
  },
];

describe.each(drivers)('FileStorage port: $name', (driver) => {
  const signer = new UrlSigner(randomBytes(32));
  let storage: FileStorage;

  beforeAll(async () => {
    storage = await driver.start(signer);
  });
  afterAll(() => driver.stop());

  it('stores a buffer and reads it back, whole or as a stream with its size and content type', async () => {
    await storage.put('labels/t1/a.pdf', Buffer.from('%PDF-1.4 one'), 'application/pdf');
    expect((await storage.read('labels/t1/a.pdf')).toString()).toBe('%PDF-1.4 one');
    const opened = await storage.open('labels/t1/a.pdf');
    expect(opened).toMatchObject({ size: 12, contentType: 'application/pdf' });
    expect((await readAll(opened?.stream ?? Readable.from([]))).toString()).toBe('%PDF-1.4 one');
    expect(await storage.exists('labels/t1/a.pdf')).toBe(true);
  });

  it('stores an async iterable or a Readable, and names content types by extension', async () => {
    async function* parts() {
      yield Buffer.from('^XA^FDone^XZ\n');
      yield new Uint8Array(Buffer.from('^XA^FDtwo^XZ\n'));
    }
    await storage.put('b/c.zpl', parts(), 'application/zpl');
    expect((await storage.read('b/c.zpl')).toString()).toBe('^XA^FDone^XZ\n^XA^FDtwo^XZ\n');
    await storage.put('b/d.png', Readable.from([Buffer.from([0x89, 0x50])]), 'image/png');
    expect((await storage.open('b/d.png'))?.contentType).toBe('image/png');
    expect((await storage.open('b/c.zpl'))?.contentType).toBe('application/zpl');
    await storage.put('b/e.bin', Buffer.from('x'), 'application/octet-stream');
    expect((await storage.open('b/e.bin'))?.contentType).toBe('application/octet-stream');
  });

  it('streams a file larger than one upload part in and out whole', async () => {
    const size = 11 * 1024 * 1024 + 123;
    await storage.put('big/merged.pdf', pattern(size), 'application/pdf');
    const opened = await storage.open('big/merged.pdf');
    expect(opened?.size).toBe(size);
    const back = await readAll(opened?.stream ?? Readable.from([]));
    expect(back.equals(await readAll(Readable.from(pattern(size))))).toBe(true);
  });

  it('replaces a file whole, and a write whose source fails leaves the old file and throws the source error', async () => {
    await storage.put('r/x.pdf', Buffer.from('old'), 'application/pdf');
    await storage.put('r/x.pdf', Buffer.from('new, longer content'), 'application/pdf');
    expect((await storage.read('r/x.pdf')).toString()).toBe('new, longer content');
    async function* broken() {
      yield Buffer.from('partial');
      throw new Error('source failed');
    }
    await expect(storage.put('r/x.pdf', broken(), 'application/pdf')).rejects.toThrow('source failed');
    expect((await storage.read('r/x.pdf')).toString()).toBe('new, longer content');
    // Past the first part too (a multipart upload on S3).
    await expect(storage.put('r/x.pdf', pattern(12 * 1024 * 1024, 256 * 1024, 7 * 1024 * 1024), 'application/pdf')).rejects.toThrow('source failed');
    expect((await storage.read('r/x.pdf')).toString()).toBe('new, longer content');
    await expect(storage.put('r/never.pdf', broken(), 'application/pdf')).rejects.toThrow('source failed');
    expect(await storage.exists('r/never.pdf')).toBe(false);
  });

  it('leaves one whole file when two writers race on a key', async () => {
    const a = Buffer.alloc(64 * 1024, 'a');
    const b = Buffer.alloc(96 * 1024, 'b');
    await Promise.all([storage.put('race/x.pdf', a, 'application/pdf'), storage.put('race/x.pdf', Readable.from([b.subarray(0, 1000), b.subarray(1000)]), 'application/pdf')]);
    const back = await storage.read('race/x.pdf');
    expect(back.equals(a) || back.equals(b)).toBe(true);
  });

  it('answers missing files as absent and deletes idempotently', async () => {
    await expect(storage.read('nope/a.pdf')).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await storage.open('nope/a.pdf')).toBeNull();
    expect(await storage.exists('nope/a.pdf')).toBe(false);
    await storage.put('d/gone.pdf', Buffer.from('x'), 'application/pdf');
    await storage.delete('d/gone.pdf');
    await storage.delete('d/gone.pdf');
    expect(await storage.exists('d/gone.pdf')).toBe(false);
    await expect(storage.read('d/gone.pdf')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('refuses malformed keys in every operation with InvalidFileKeyError', async () => {
    for (const key of ['../secret.key', 'a/../../secret.key', '/etc/passwd', 'a//b.pdf', './a.pdf', '', 'a/./b.pdf', 'a\\..\\b', 'a/%2e%2e/b', 'a b.pdf']) {
      await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(storage.put(key, Buffer.from('x'), 'application/pdf')).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(storage.open(key)).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidFileKeyError);
      expect(() => storage.urlFor(key)).toThrow(InvalidFileKeyError);
    }
  });

  it("signs the API's own download route, valid until it expires", () => {
    const url = new URL(storage.urlFor('labels/t1/a.pdf', 60_000));
    expect(url.origin).toBe('http://api.test');
    expect(url.pathname).toBe('/files/labels/t1/a.pdf');
    const expires = url.searchParams.get('expires') ?? '';
    expect(signer.verify(url.pathname, expires, url.searchParams.get('signature') ?? '')).toBe(true);
    expect(signer.verify(url.pathname, expires, url.searchParams.get('signature') ?? '', new Date(Date.now() + 120_000))).toBe(false);
    const long = new URL(storage.urlFor('labels/t1/a.pdf'));
    expect(Number(long.searchParams.get('expires'))).toBeGreaterThan(Date.now() / 1000 + 7 * 24 * 3600);
  });
});
