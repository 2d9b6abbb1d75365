import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export { WebhookVerificationError };

/** Random key bytes in a new secret: a full HMAC-SHA256 key (the spec allows 24 to 64). */
export const WEBHOOK_SECRET_BYTES = 32;

const SECRET_PREFIX = 'whsec_';

/** A new webhook signing secret: `whsec_` + base64 of 32 random bytes. Shown to the tenant once. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(WEBHOOK_SECRET_BYTES).toString('base64');
}

/** True for a `whsec_<base64>` secret whose key is 24 to 64 bytes long. */
export function isWebhookSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return false;
  const length = Buffer.from(encoded, 'base64').length;
  return length >= 24 && length <= 64;
}

export interface SignWebhookInput {
  /** `whsec_<base64>`; the key is the base64 part. */
  secret: string;
  /** The delivery's id: the same on every retry, so receivers can deduplicate. */
  id: string;
  /** When this attempt is sent; goes out in whole seconds. */
  timestamp: Date;
  /** The exact bytes that will be sent as the request body. */
  body: string;
}

export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * The three Standard Webhooks headers for one attempt. The signature is
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, computed by the `standardwebhooks`
 * reference implementation.
 */
export function signWebhook({ secret, id, timestamp, body }: SignWebhookInput): WebhookSignatureHeaders & Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

/** Header bags as Node (`IncomingHttpHeaders`), fetch (converted to an object) or tests give them. */
export type WebhookHeadersInput = Record<string, string | string[] | undefined>;

/**
 * Verifies a delivery the way a receiver does (`new Webhook(secret).verify(body, headers)`),
 * including the 5-minute timestamp tolerance, and returns the parsed JSON body. Throws
 * `WebhookVerificationError` when the headers are missing, the timestamp is out of tolerance
 * or no signature matches.
 */
export function verifyWebhook(secret: string, body: string | Buffer, headers: WebhookHeadersInput): unknown {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name.toLowerCase()] = value;
    else if (Array.isArray(value) && value.length > 0) flat[name.toLowerCase()] = value.join(' ');
  }
  return new Webhook(secret).verify(body, flat);
}
