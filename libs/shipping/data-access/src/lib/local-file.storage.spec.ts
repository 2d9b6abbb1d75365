import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UrlSigner } from '@shipbatch/platform/config';
import { FileNotFoundError, InvalidFileKeyError } from '@shipbatch/shipping/application';
import { tempDir } from '@shipbatch/platform/testing';
import { LocalFileStorage } from './local-file.storage';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('LocalFileStorage', () => {
  const dataDir = tempDir('shipbatch-files-');
  const signer = new UrlSigner(randomBytes(32));
  const storage = new LocalFileStorage({ dataDir, publicBaseUrl: 'http://api.test' }, signer);

  it('stores a buffer under DATA_DIR/files and reads it back, whole or as a stream', async () => {
    await storage.put('labels/t1/a.pdf', Buffer.from('%PDF-1.4 one'), 'application/pdf');
    expect(existsSync(join(dataDir, 'files', 'labels', 't1', 'a.pdf'))).toBe(true);
    expect((await storage.read('labels/t1/a.pdf')).toString()).toBe('%PDF-1.4 one');
    const opened = await storage.open('labels/t1/a.pdf');
    expect(opened).toMatchObject({ size: 12, contentType: 'application/pdf' });
    expect((await readAll(opened?.stream ?? Readable.from([]))).toString()).toBe('%PDF-1.4 one');
    expect(await storage.exists('labels/t1/a.pdf')).toBe(true);
  });

  it('stores a stream, and names content types by extension', async () => {
    async function* parts() {
      yield Buffer.from('^XA^FDone^XZ\n');
      yield Buffer.from('^XA^FDtwo^XZ\n');
    }
    await storage.put('b/c.zpl', parts(), 'application/zpl');
    expect((await storage.read('b/c.zpl')).toString()).toBe('^XA^FDone^XZ\n^XA^FDtwo^XZ\n');
    await storage.put('b/d.png', Readable.from([Buffer.from([0x89, 0x50])]), 'image/png');
    expect((await storage.open('b/d.png'))?.contentType).toBe('image/png');
    expect((await storage.open('b/c.zpl'))?.contentType).toBe('application/zpl');
  });

  it('replaces a file whole and leaves no temp files behind, even when a stream fails', async () => {
    await storage.put('r/x.pdf', Buffer.from('old'), 'application/pdf');
    await storage.put('r/x.pdf', Buffer.from('new, longer content'), 'application/pdf');
    expect((await storage.read('r/x.pdf')).toString()).toBe('new, longer content');
    async function* broken() {
      yield Buffer.from('partial');
      throw new Error('source failed');
    }
    await expect(storage.put('r/x.pdf', broken(), 'application/pdf')).rejects.toThrow('source failed');
    expect((await storage.read('r/x.pdf')).toString()).toBe('new, longer content');
    expect(readdirSync(join(dataDir, 'files', 'r'))).toEqual(['x.pdf']);
  });

  it('makes a folder again when it was removed after an earlier write', async () => {
    await storage.put('gone/t1/a.pdf', Buffer.from('first'), 'application/pdf');
    rmSync(join(dataDir, 'files', 'gone'), { recursive: true });
    await storage.put('gone/t1/b.pdf', Buffer.from('second'), 'application/pdf');
    expect((await storage.read('gone/t1/b.pdf')).toString()).toBe('second');
  });

  it('answers missing files as absent and deletes idempotently', async () => {
    await expect(storage.read('nope/a.pdf')).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await storage.open('nope/a.pdf')).toBeNull();
    expect(await storage.exists('nope/a.pdf')).toBe(false);
    await storage.put('d/gone.pdf', Buffer.from('x'), 'application/pdf');
    await storage.delete('d/gone.pdf');
    await storage.delete('d/gone.pdf');
    expect(await storage.exists('d/gone.pdf')).toBe(false);
  });

  it('refuses keys that would leave its root or are not plain relative paths', async () => {
    writeFileSync(join(dataDir, 'secret.key'), 'secret');
    for (const key of ['../secret.key', 'a/../../secret.key', '/etc/passwd', 'a//b.pdf', './a.pdf', '', 'a/./b.pdf', 'a\\..\\b', 'a/%2e%2e/b']) {
      await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(storage.put(key, Buffer.from('x'), 'application/pdf')).rejects.toBeInstanceOf(InvalidFileKeyError);
      expect(() => storage.urlFor(key)).toThrow(InvalidFileKeyError);
    }
  });

  it('signs URLs that verify for their path until they expire, and not once tampered with', () => {
    const url = new URL(storage.urlFor('labels/t1/a.pdf', 60_000));
    expect(url.origin).toBe('http://api.test');
    expect(url.pathname).toBe('/files/labels/t1/a.pdf');
    const expires = url.searchParams.get('expires') ?? '';
    const signature = url.searchParams.get('signature') ?? '';
    expect(signer.verify(url.pathname, expires, signature)).toBe(true);
    expect(signer.verify(url.pathname, expires, signature, new Date(Date.now() + 120_000))).toBe(false);
    expect(signer.verify('/files/labels/t1/b.pdf', expires, signature)).toBe(false);
    expect(signer.verify(url.pathname, String(Number(expires) + 3600), signature)).toBe(false);
    // The default lifetime is long (labels are printed days later), but it does end.
    const long = new URL(storage.urlFor('labels/t1/a.pdf'));
    expect(Number(long.searchParams.get('expires'))).toBeGreaterThan(Date.now() / 1000 + 7 * 24 * 3600);
    expect(signer.verify(long.pathname, long.searchParams.get('expires') ?? '', long.searchParams.get('signature') ?? '', new Date(Date.now() + 31 * 24 * 3600 * 1000))).toBe(false);
  });
});
