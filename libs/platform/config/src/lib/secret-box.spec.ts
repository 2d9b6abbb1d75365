import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips JSON', () => {
    const sealed = box.sealJson({ api_key: 'secret' });
    expect(sealed).not.toContain('secret');
    expect(box.openJson(sealed)).toEqual({ api_key: 'secret' });
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('x')).not.toEqual(box.seal('x'));
  });

  it('rejects tampered ciphertext and a wrong key', () => {
    const sealed = box.seal('hello');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
