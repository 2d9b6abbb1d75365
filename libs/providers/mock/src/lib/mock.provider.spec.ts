import { randomUUID } from 'node:crypto';
import {
  ProviderInsufficientFundsError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type SqlClient,
} from '@shipbatch/providers/core';
import { createPgliteSqlClient, createPgSqlClient, aValidShipment } from '@shipbatch/providers/testing';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { MockProvider } from './mock.provider';
import type { MockProviderOptions } from './mock-provider.options';

const buy = (p: MockProvider, reference: string = randomUUID(), carrier = 'usps', service = 'usps_priority') =>
  p.purchaseLabel({ reference, carrier, serviceLevelToken: service, shipment: aValidShipment(), labelFileType: 'PDF_4x6' });

describe('MockProvider', () => {
  let sql: SqlClient;
  let close: () => Promise<void>;
  const make = (options: MockProviderOptions, carrier = 'usps', account: string = randomUUID()) => new MockProvider(options, carrier, sql, account);

  beforeEach(async () => {
    ({ client: sql, close } = await createPgliteSqlClient());
  });
  afterEach(() => close());

  it('fails every purchase with fail_rate 1 (retryable) and none with 0', async () => {
    const failing = make({ fail_rate: 1 });
    await expect(buy(failing)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await buy(failing).catch((e) => expect(e.retryable).toBe(true));
    const fine = make({ fail_rate: 0 });
    await expect(buy(fine)).resolves.toHaveProperty('trackingNumber');
  });

  it('is deterministic: the same reference history gives the same outcomes', async () => {
    const outcomes = async (account: string) => {
      const p = make({ fail_rate: 0.5 }, 'usps', account);
      const out: string[] = [];
      for (let i = 0; i < 20; i++) out.push(await buy(p, `ref-${i}`).then(() => 'ok', () => 'fail'));
      return out.join(',');
    };
    const first = await outcomes('acct-a');
    expect(first).toMatch(/ok/);
    expect(first).toMatch(/fail/);
    expect(await outcomes('acct-b')).toBe(first);
  });

  it('does not de-duplicate: asked twice with one reference it sells twice', async () => {
    const p = make({});
    const a = await buy(p, 'same');
    const b = await buy(p, 'same');
    expect(a.trackingNumber).not.toBe(b.trackingNumber);
    expect((await p.findPurchase('same'))?.trackingNumber).toBe(b.trackingNumber);
  });

  it('answers 429-style rate limits with a retry-after within the minute', async () => {
    const p = make({ rate_limit_per_minute: 2 });
    await buy(p);
    await buy(p);
    const error = await buy(p).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses a purchase the balance does not cover', async () => {
    const p = make({ initial_balance: 10, label_cost: 6 });
    await buy(p);
    await expect(buy(p)).rejects.toBeInstanceOf(ProviderInsufficientFundsError);
    expect((await p.getBalance()).amount.amountMinor).toBe(400);
  });

  it('makes tracking numbers shaped like each carrier', async () => {
    expect((await buy(make({}, 'usps'))).trackingNumber).toMatch(/^\d{22}$/);
    expect((await buy(make({}, 'ups'), undefined, 'ups', 'ups_ground')).trackingNumber).toMatch(/^1Z[0-9A-Z]{16}$/);
    expect((await buy(make({}, 'fedex'), undefined, 'fedex', 'fedex_ground')).trackingNumber).toMatch(/^\d{12}$/);
    expect((await buy(make({}, 'dhl_express'), undefined, 'dhl_express', 'dhl_express_worldwide')).trackingNumber).toMatch(/^\d{10}$/);
  });

  it('writes ZPL for ZPLII and a PDF otherwise', async () => {
    const p = make({});
    const zpl = await p.purchaseLabel({ reference: 'z', carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aValidShipment(), labelFileType: 'ZPLII' });
    expect(zpl.document?.content.toString()).toMatch(/^\^XA[\s\S]*\^XZ\s*$/);
    const pdf = await buy(p);
    expect(pdf.document?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.document?.content.toString('latin1')).toContain(pdf.trackingNumber);
  });
});

describe('MockProvider on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('shipbatch_test_mock');
  });
  afterAll(() => db.drop());

  it('keeps one ledger for two processes sharing a database', async () => {
    const one = createPgSqlClient(db.url);
    const two = createPgSqlClient(db.url);
    const account = randomUUID();
    const a = new MockProvider({ initial_balance: 100, label_cost: 1 }, 'usps', one.client, account);
    const b = new MockProvider({ initial_balance: 100, label_cost: 1 }, 'usps', two.client, account);
    await Promise.all([buy(a, 'r1'), buy(b, 'r2'), buy(a, 'r3'), buy(b, 'r4')]);
    expect((await a.getBalance()).amount.amountMinor).toBe(9600);
    expect((await b.getBalance()).amount.amountMinor).toBe(9600);
    expect(await b.findPurchase('r1')).not.toBeNull();
    await one.close();
    await two.close();
  });
});
