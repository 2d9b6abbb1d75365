import { randomBytes } from 'node:crypto';
import { UrlSigner } from './url-signer';

describe('UrlSigner', () => {
  const signer = new UrlSigner(randomBytes(32));
  const params = (url: string) => new URL(url, 'http://x').searchParams;

  it('accepts its own unexpired signature', () => {
    const url = signer.sign('/files/a.pdf', new Date(Date.now() + 60_000));
    expect(signer.verify('/files/a.pdf', params(url).get('expires') ?? '', params(url).get('signature') ?? '')).toBe(true);
  });

  it('rejects another path, an expired URL and a forged signature', () => {
    const url = signer.sign('/files/a.pdf', new Date(Date.now() + 60_000));
    const p = params(url);
    expect(signer.verify('/files/b.pdf', p.get('expires') ?? '', p.get('signature') ?? '')).toBe(false);
    expect(signer.verify('/files/a.pdf', p.get('expires') ?? '', p.get('signature') ?? '', new Date(Date.now() + 120_000))).toBe(false);
    expect(signer.verify('/files/a.pdf', p.get('expires') ?? '', 'x'.repeat(43))).toBe(false);
    expect(signer.verify('/files/a.pdf', undefined, undefined)).toBe(false);
  });
});
