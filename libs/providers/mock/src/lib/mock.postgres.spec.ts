import { randomUUID } from 'node:crypto';
import { ProviderInsufficientFundsError, ProviderRateLimitedError } from '@shipbatch/providers/core';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { aValidShipment, awayFromMinuteEdge, type ClosableSqlClient, createPgSqlClient } from '@shipbatch/providers/testing';
import { MockProvider } from './mock.provider';

const buy = (p: MockProvider, reference: string = randomUUID()) =>
  p.purchaseLabel({ reference, carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aValidShipment(), labelFileType: 'PDF_4x6' });

/** Two "processes": each with its own connection pool to one database. */
describe('MockProvider on PostgreSQL, shared by two processes', () => {
  let database: TestDatabase;
  let one: ClosableSqlClient;
  let two: ClosableSqlClient;

  beforeAll(async () => {
    database = await createTestDatabase('shipbatch_test_mock');
    one = createPgSqlClient(database.url);
    two = createPgSqlClient(database.url);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it('creates its schema once when both start at the same moment, and keeps one ledger', async () => {
    const account = randomUUID();
    const a = new MockProvider({ initial_balance: 100, label_cost: 1 }, 'usps', one.client, account);
    const b = new MockProvider({ initial_balance: 100, label_cost: 1 }, 'usps', two.client, account);
    const sold = await Promise.all([buy(a, 'r1'), buy(b, 'r2'), buy(a, 'r3'), buy(b, 'r4')]);
    expect(new Set(sold.map((l) => l.trackingNumber)).size).toBe(4);
    expect((await a.getBalance()).amount.amountMinor).toBe(9600);
    expect((await b.getBalance()).amount.amountMinor).toBe(9600);
    expect((await b.findPurchase('r1'))?.trackingNumber).toBe(sold[0].trackingNumber);
    expect((await a.findPurchase('r4'))?.trackingNumber).toBe(sold[3].trackingNumber);

    expect((await b.voidLabel(sold[0].providerLabelId)).approved).toBe(true);
    expect((await a.voidLabel(sold[0].providerLabelId)).approved).toBe(false);
    expect(await a.findPurchase('r1')).toBeNull();
    expect((await a.getBalance()).amount.amountMinor).toBe(9700);
    const [{ n }] = await one.client.query<{ n: string }>(`SELECT count(*) AS n FROM mock_provider.labels WHERE account_id = $1`, [account]);
    expect(Number(n)).toBe(4);
  });

  it('never sells past the balance, however many purchases race', async () => {
    const account = randomUUID();
    const a = new MockProvider({ initial_balance: 30, label_cost: 10 }, 'usps', one.client, account);
    const b = new MockProvider({ initial_balance: 30, label_cost: 10 }, 'usps', two.client, account);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => buy(i % 2 ? a : b)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ProviderInsufficientFundsError);
    expect((await b.getBalance()).amount.amountMinor).toBe(0);
  });

  it('shares the rate window and the per-reference call counter between processes', async () => {
    await awayFromMinuteEdge(one.client);
    const account = randomUUID();
    const a = new MockProvider({ rate_limit_per_minute: 3, fail_rate: 1 }, 'usps', one.client, account);
    const b = new MockProvider({ rate_limit_per_minute: 3, fail_rate: 1 }, 'usps', two.client, account);
    await Promise.allSettled([buy(a, 'x'), buy(b, 'x'), buy(a, 'x')]);
    const [{ n }] = await two.client.query<{ n: number }>(
      `SELECT n FROM mock_provider.purchase_calls WHERE account_id = $1 AND reference = 'x'`,
      [account],
    );
    expect(n).toBe(3);
    await expect(buy(b, 'x')).rejects.toBeInstanceOf(ProviderRateLimitedError);
  });
});
