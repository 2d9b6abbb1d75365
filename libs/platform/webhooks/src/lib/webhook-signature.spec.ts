import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError as ReferenceVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, isWebhookSecret, signWebhook, verifyWebhook, WebhookVerificationError } from './webhook-signature';

describe('generateWebhookSecret', () => {
  it('is whsec_ + base64 of 24 to 32 random bytes, different every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      expect(key.length).toBeGreaterThanOrEqual(24);
      expect(key.length).toBeLessThanOrEqual(32);
      expect(isWebhookSecret(secret)).toBe(true);
      // The reference implementation accepts it as a key.
      expect(() => new Webhook(secret)).not.toThrow();
    }
  });

  it('isWebhookSecret rejects other shapes', () => {
    expect(isWebhookSecret('whsec_')).toBe(false);
    expect(isWebhookSecret('sk_' + Buffer.alloc(32).toString('base64'))).toBe(false);
    expect(isWebhookSecret('whsec_' + Buffer.alloc(8).toString('base64'))).toBe(false);
    expect(isWebhookSecret('whsec_not base64!')).toBe(false);
  });
});

describe('signWebhook / verifyWebhook', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ event: 'batch_created', test: false, data: { object_id: 'b_1', status: 'VALID' } });
  const id = 'del_01HZX';

  it('returns the three Standard Webhooks headers, the signature as v1,<base64>', () => {
    const timestamp = new Date('2024-05-01T12:00:00.750Z');
    const headers = signWebhook({ secret, id, timestamp, body });
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe(id);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('is the HMAC-SHA256 of "id.timestamp.body" keyed with the secret\'s base64 part (the contract)', () => {
    const timestamp = new Date();
    const headers = signWebhook({ secret, id, timestamp, body });
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${headers['webhook-timestamp']}.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it("verifies with standardwebhooks' own verify, and with verifyWebhook", () => {
    const headers = signWebhook({ secret, id, timestamp: new Date(), body });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifyWebhook(secret, body, headers)).toEqual(JSON.parse(body));
    expect(verifyWebhook(secret, Buffer.from(body), headers)).toEqual(JSON.parse(body));
  });

  it('accepts Node-style header bags (mixed case, arrays)', () => {
    const headers = signWebhook({ secret, id, timestamp: new Date(), body });
    const nodeStyle = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webhook-signature': [headers['webhook-signature']],
      'content-type': 'application/json',
      'x-absent': undefined,
    };
    expect(verifyWebhook(secret, body, nodeStyle)).toEqual(JSON.parse(body));
  });

  it('fails for a tampered body, another id, another timestamp, another secret', () => {
    const timestamp = new Date();
    const headers = signWebhook({ secret, id, timestamp, body });
    const tampered = body.replace('VALID', 'INVALID');
    expect(() => verifyWebhook(secret, tampered, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(ReferenceVerificationError);
    expect(() => verifyWebhook(secret, body, { ...headers, 'webhook-id': 'del_other' })).toThrow(WebhookVerificationError);
    const shifted = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => verifyWebhook(secret, body, { ...headers, 'webhook-timestamp': shifted })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(generateWebhookSecret(), body, headers)).toThrow(WebhookVerificationError);
  });

  it('fails when headers are missing or the timestamp is outside the 5-minute tolerance', () => {
    const headers = signWebhook({ secret, id, timestamp: new Date(Date.now() - 60 * 60 * 1000), body });
    expect(() => verifyWebhook(secret, body, headers)).toThrow(/too old/);
    expect(() => verifyWebhook(secret, body, { 'webhook-id': id })).toThrow(/Missing required headers/);
  });

  it('signs the same delivery identically for the same second (retries reuse the id)', () => {
    const a = signWebhook({ secret, id, timestamp: new Date('2024-05-01T12:00:00.100Z'), body });
    const b = signWebhook({ secret, id, timestamp: new Date('2024-05-01T12:00:00.900Z'), body });
    expect(a).toEqual(b);
  });
});
