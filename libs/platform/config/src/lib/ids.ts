import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Object ids as Shippo prints them: 32 lower-case hex characters. */
export function newObjectId(): string {
  return randomUUID().replace(/-/g, '');
}

/** An API key: a recognizable prefix and 32 random bytes. Shown once, stored hashed. */
export function newApiKey(): string {
  return `sb_${randomBytes(32).toString('base64url')}`;
}

/** API keys are high-entropy random strings, so a plain SHA-256 is the right hash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
