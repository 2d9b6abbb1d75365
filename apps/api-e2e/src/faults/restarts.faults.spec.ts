import { Client as Pg } from 'pg';
import { eventually } from '@shipbatch/platform/testing';
import { ADMIN_TOKEN } from '../harness';
import { Client } from '../client';
import { type FaultHarness, startFaultHarness } from './fault-harness';

/**
 * Redis and PostgreSQL restarted (or Redis flushed) in the middle of a purchase, on servers the
 * test started itself. The workers keep the service's default reconcile interval (60 s) and
 * purchase lease (120 s), and each batch must finish within a bound shorter than those: work
 * resumes because the service notices, not because a lease ran out. Every label is bought once.
 */
const SHIPMENTS = 300;

describe('faults: Redis and PostgreSQL restarted mid-purchase (scale-out, private servers)', () => {
  let h: FaultHarness;

  beforeAll(async () => {
    h = await startFaultHarness(2);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new Pg({ connectionString: h.databaseUrl });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  /** A tenant's batch of SHIPMENTS on a paced mock account, VALID, its purchase started; answers once a fifth is bought. */
  async function purchaseStarted(name: string): Promise<{ client: Client; id: string }> {
    const admin = new Client(h.baseUrl, ADMIN_TOKEN, 'Bearer');
    const tenant = await admin.post('/admin/tenants', { name });
    const client = new Client(h.baseUrl, tenant.body.api_key);
    const account = await client.post('/carrier_accounts', {
      provider: 'mock',
      carrier: 'usps',
      account_id: name,
      // Paced to 20 labels a second, so that the fault lands mid-purchase.
      parameters: { latency_ms: 20, rate_limit_per_minute: 1200, initial_balance: 1_000_000 },
    });
    const created = await client.post('/batches', {
      default_carrier_account: account.body.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: Array.from({ length: SHIPMENTS }, (_, i) => ({
        shipment: {
          address_from: { name: 'Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
          address_to: { name: `${name} ${i}`, street1: `${i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
          parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
        },
      })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 600, intervalMs: 100 });
    expect(valid.body.object_status).toBe('VALID');
    expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
    await eventually(
      () => sql<{ n: string }>('SELECT count(*) AS n FROM labels WHERE batch_id = $1', [id]),
      (rows) => Number(rows[0].n) >= SHIPMENTS / 5,
      { attempts: 1200, intervalMs: 50 },
    );
    return { client, id };
  }

  /** PURCHASED within a bound shorter than the purchase lease, every label bought from the provider exactly once. */
  async function expectPurchasedOnce(client: Client, id: string): Promise<void> {
    const done = await eventually(
      () => client.get(`/batches/${id}`).catch(() => ({ status: 0, body: {} as Record<string, any> })),
      (r) => r.body.object_status === 'PURCHASED',
      { attempts: 900, intervalMs: 100 },
    );
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: SHIPMENTS, purchase_failed: 0 });
    const [sold] = await sql<{ labels: string; shipments: string }>(
      `SELECT count(*) AS labels, count(DISTINCT l.reference) AS shipments
       FROM mock_provider.labels l JOIN batch_shipments s ON s.id = l.reference WHERE s.batch_id = $1 AND l.voided_at IS NULL`,
      [id],
    );
    expect({ labels: Number(sold.labels), shipments: Number(sold.shipments) }).toEqual({ labels: SHIPMENTS, shipments: SHIPMENTS });
    const [recorded] = await sql<{ n: string }>('SELECT count(*) AS n FROM labels WHERE batch_id = $1', [id]);
    expect(Number(recorded.n)).toBe(SHIPMENTS);
  }

  function expectWorkersAlive(): void {
    for (const w of h.workers) expect({ exitCode: w.process.exitCode, signal: w.process.signalCode }).toEqual({ exitCode: null, signal: null });
  }

  it('Redis flushed mid-purchase: the batch completes, every label bought once', async () => {
    const { client, id } = await purchaseStarted('flushed');
    await h.redis.flush();
    await expectPurchasedOnce(client, id);
    expectWorkersAlive();
    expect(h.workers.map((w) => w.output()).join('')).toContain("the queues' state in Redis is gone");
  }, 180_000);

  it('Redis restarted empty mid-purchase: the batch completes, every label bought once', async () => {
    const { client, id } = await purchaseStarted('redis-restart');
    await h.redis.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    await h.redis.start();
    await expectPurchasedOnce(client, id);
    expectWorkersAlive();
  }, 180_000);

  it('PostgreSQL restarted mid-purchase: not ready while it is down, ready and answering after, the batch completes once', async () => {
    const { client, id } = await purchaseStarted('pg-restart');
    await h.pg.stop();
    const ready = await fetch(`${h.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('not_ready');
    await new Promise((r) => setTimeout(r, 1_000));
    await h.pg.start();
    await eventually(() => fetch(`${h.baseUrl}/health/ready`).then((r) => r.status), (s) => s === 200, { attempts: 300, intervalMs: 100 });
    // The API's pool reconnects: an authenticated route answers again.
    await eventually(() => client.get(`/batches/${id}`).catch(() => ({ status: 0 })), (r) => r.status === 200, { attempts: 300, intervalMs: 100 });
    await expectPurchasedOnce(client, id);
    expectWorkersAlive();
  }, 180_000);
});
