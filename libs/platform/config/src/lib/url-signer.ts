import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring download URLs: no API key needed to download, nothing guessable.
 * The signature is an HMAC-SHA256 of the path and the expiry, keyed from the service key.
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('shipbatch-file-urls').digest();
  }

  sign(path: string, expiresAt: Date): string {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    return `${path}?expires=${expires}&signature=${this.signature(path, expires)}`;
  }

  verify(path: string, expires: string | undefined, signature: string | undefined, now = new Date()): boolean {
    if (!expires || !signature || !/^\d+$/.test(expires)) return false;
    if (Number(expires) * 1000 < now.getTime()) return false;
    const expected = Buffer.from(this.signature(path, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }
}
