import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { createDataSource, normalizeRows, openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import type { DeliveryLease, RecordedAttempt, WebhookAttempt, WebhookRecord } from '@shipbatch/shipping/application';
import type { WebhookEvent } from '@shipbatch/shipping/domain';
import { TypeormWebhookDeliveryRepository } from './webhook-delivery.repository';
import { TypeormWebhookRepository } from './webhook.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const LONG_LEASE = 60_000;
const EARLY = new Date('2020-01-01T00:00:00Z');

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('webhook repositories on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let box: SecretBox;
  let webhooks: TypeormWebhookRepository;
  let deliveries: TypeormWebhookDeliveryRepository;
  let seq = 0;

  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => normalizeRows<T>(await db.dataSource.query(sql, params));

  /** A webhook, created long before any event unless `createdAt` says otherwise. */
  const newWebhook = async (
    tenantId: string,
    event: WebhookEvent,
    opts: { active?: boolean; isTest?: boolean; createdAt?: Date; secret?: string; url?: string } = {},
  ): Promise<WebhookRecord> => {
    const createdAt = opts.createdAt ?? new Date(EARLY.getTime() + ++seq * 1000);
    const record: WebhookRecord = {
      id: `wh_${++seq}_${randomBytes(4).toString('hex')}`,
      tenantId,
      url: opts.url ?? `https://hooks.example.com/${seq}`,
      event,
      isTest: opts.isTest ?? false,
      active: opts.active ?? true,
      disabledReason: null,
      createdAt,
      updatedAt: createdAt,
    };
    await webhooks.insert(record, opts.secret ?? `whsec_${randomBytes(32).toString('base64')}`);
    return record;
  };

  const newEvent = async (tenantId: string, type: string, objectId: string, payload: Record<string, unknown> = {}): Promise<string> => {
    const [row] = await rows<{ id: string | number }>(
      `INSERT INTO outbox_events (tenant_id, type, object_id, payload) VALUES ($1, $2, $3, $4) RETURNING id`,
      [tenantId, type, objectId, JSON.stringify(payload)],
    );
    return String(row.id);
  };

  const deliveryRows = (where = 'true', params: unknown[] = []) =>
    rows<{
      id: string;
      tenant_id: string;
      webhook_id: string;
      event_id: string | number;
      event: string;
      object_id: string;
      event_payload: unknown;
      test: boolean;
      status: string;
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
      next_attempt_at: Date;
      first_attempt_at: Date | null;
      lease_until: Date | null;
      lease_token: string | null;
    }>(`SELECT * FROM webhook_deliveries WHERE ${where} ORDER BY event_id, webhook_id`, params);

  const attemptRows = (deliveryId: string) =>
    rows<{ outcome: string; status_code: number | null; error: string | null; duration_ms: number; attempted_at: Date }>(
      `SELECT outcome, status_code, error, duration_ms, attempted_at FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );

  /** Relays until the outbox is empty; the totals of every statement. */
  const relayAll = async (repo = deliveries, limit = 500) => {
    const total = { events: 0, deliveries: 0 };
    for (;;) {
      const r = await repo.relay(limit);
      total.events += r.events;
      total.deliveries += r.deliveries;
      if (r.events < limit) return total;
    }
  };

  /** One pending delivery for a fresh webhook of t1, already relayed. */
  const oneDelivery = async (opts: { event?: WebhookEvent; payload?: Record<string, unknown> } = {}) => {
    const webhook = await newWebhook('t1', opts.event ?? 'all');
    await newEvent('t1', 'batch_created', `b_${seq}`, opts.payload ?? { status: 'VALIDATING' });
    await relayAll();
    const [row] = await deliveryRows('webhook_id = $1', [webhook.id]);
    return { webhook, id: row.id };
  };

  const attempt = (over: Partial<WebhookAttempt> = {}): WebhookAttempt => ({ at: new Date(), outcome: 'failed', statusCode: 500, error: 'HTTP 500', durationMs: 12.6, ...over });

  /** The ids a claim leased. */
  const idsOf = (lease: DeliveryLease): string[] => lease.deliveries.map((d) => d.id);
  const claimIds = async (limit = 10, leaseMs = LONG_LEASE): Promise<string[]> => idsOf(await deliveries.claimDue(limit, leaseMs));
  /** The delivery as the job holding `token` loads it, or null. */
  const loadOne = async (id: string, token: string) => (await deliveries.loadLeased([id], token))[0] ?? null;
  /** Records one attempt with no change of the webhook's health. */
  const recordOne = (id: string, at: WebhookAttempt, next: Omit<RecordedAttempt, 'id' | 'attempt'>) => deliveries.recordAttempts([{ id, attempt: at, ...next }], []);

  const webhookState = async (id: string) => {
    const [row] = await rows<{ consecutive_failures: number; active: boolean }>(`SELECT consecutive_failures, active FROM webhooks WHERE id = $1`, [id]);
    return { failures: Number(row.consecutive_failures), active: row.active };
  };

  /** Makes a webhook's deliveries due one minute apart, in event order, the first `minutesAgo` minutes ago; their ids in that order. */
  const dueInOrder = async (webhookId: string, minutesAgo: number): Promise<string[]> => {
    await db.dataSource.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = now() - $2::double precision * interval '1 minute' + r.n::double precision * interval '1 minute'
       FROM (SELECT id, row_number() OVER (ORDER BY event_id) - 1 AS n FROM webhook_deliveries WHERE webhook_id = $1) r
       WHERE d.id = r.id`,
      [webhookId, minutesAgo],
    );
    return (await deliveryRows('webhook_id = $1', [webhookId])).map((d) => d.id);
  };

  const sorted = (ids: readonly string[]) => [...ids].sort();

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_webhooks') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-webhooks-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme'), ('t2', 'globex')`);
    box = new SecretBox(randomBytes(32));
    webhooks = new TypeormWebhookRepository(db.dataSource, box);
    deliveries = new TypeormWebhookDeliveryRepository(db.dataSource, box);
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    // Every test starts from an empty outbox and no webhooks (deliveries and attempts cascade).
    await db.dataSource.query(`DELETE FROM webhooks`);
    await db.dataSource.query(`DELETE FROM outbox_events`);
  });

  describe('webhooks', () => {
    it('stores the secret sealed: the row never holds the plaintext, and a claimed delivery opens it', async () => {
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const webhook = await newWebhook('t1', 'all', { secret });
      const [row] = await rows<Record<string, unknown>>(`SELECT * FROM webhooks WHERE id = $1`, [webhook.id]);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(secret.slice('whsec_'.length));
      expect(box.open(String(row['secret_ciphertext']))).toBe(secret);

      await newEvent('t1', 'batch_created', 'b_1');
      await relayAll();
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(lease.deliveries).toHaveLength(1);
      expect((await loadOne(lease.deliveries[0].id, lease.token))?.secret).toBe(secret);
    });

    it('finds, lists newest first with a count, updates and deletes only within the tenant', async () => {
      const a = await newWebhook('t1', 'batch_created');
      const b = await newWebhook('t1', 'all');
      const c = await newWebhook('t1', 'transaction_created');
      const other = await newWebhook('t2', 'all');

      expect(await webhooks.findById('t1', a.id)).toEqual(a);
      expect(await webhooks.findById('t2', a.id)).toBeNull();
      expect(await webhooks.findById('t1', other.id)).toBeNull();

      const page1 = await webhooks.list('t1', 1, 2);
      expect(page1).toEqual({ results: [c, b], count: 3 });
      expect(await webhooks.list('t1', 2, 2)).toEqual({ results: [a], count: 3 });
      expect(await webhooks.list('t2', 1, 10)).toEqual({ results: [other], count: 1 });

      expect(await webhooks.update('t2', a.id, { url: 'https://evil.example.com' })).toBeNull();
      const updated = await webhooks.update('t1', a.id, { url: 'https://new.example.com/hook', event: 'all' });
      expect(updated).toMatchObject({ id: a.id, url: 'https://new.example.com/hook', event: 'all', active: true, isTest: false });
      // Only what the patch names changes.
      expect(await webhooks.update('t1', a.id, { isTest: true })).toMatchObject({ url: 'https://new.example.com/hook', event: 'all', isTest: true });

      expect(await webhooks.delete('t2', a.id)).toBe(false);
      expect(await webhooks.delete('t1', a.id)).toBe(true);
      expect(await webhooks.findById('t1', a.id)).toBeNull();
      expect(await webhooks.delete('t1', a.id)).toBe(false);
    });

    it('starts reachable: no round has failed to reach its receiver', async () => {
      const webhook = await newWebhook('t1', 'all');
      expect(await webhookState(webhook.id)).toEqual({ failures: 0, active: true });
    });
  });

  describe('relay', () => {
    it('makes one delivery per matching active webhook of the tenant, created before the event, and marks the events published', async () => {
      const created = await newWebhook('t1', 'batch_created');
      const all = await newWebhook('t1', 'all');
      await newWebhook('t1', 'transaction_created');
      await newWebhook('t1', 'batch_created', { active: false });
      const otherTenant = await newWebhook('t2', 'all');

      const e1 = await newEvent('t1', 'batch_created', 'b_1', { status: 'VALIDATING' });
      const e2 = await newEvent('t1', 'batch_purchased', 'b_1', { status: 'PURCHASED' });
      const late = await newWebhook('t1', 'all', { createdAt: new Date(Date.now() + 60 * 60 * 1000) });

      expect(await deliveries.relay(500)).toEqual({ events: 2, deliveries: 3 });

      const made = await deliveryRows();
      expect(made.map((d) => [String(d.event_id), d.webhook_id, d.event]).sort()).toEqual(
        [
          [e1, created.id, 'batch_created'],
          [e1, all.id, 'batch_created'],
          [e2, all.id, 'batch_purchased'],
        ].sort(),
      );
      expect(made.some((d) => d.webhook_id === otherTenant.id || d.webhook_id === late.id)).toBe(false);
      for (const d of made) {
        expect(d).toMatchObject({ tenant_id: 't1', object_id: 'b_1', status: 'pending', attempts: 0, lease_until: null, lease_token: null, first_attempt_at: null });
        expect(d.id).toMatch(/^msg_[0-9a-f]{32}$/);
      }
      expect(new Set(made.map((d) => d.id)).size).toBe(3);

      const unpublished = await rows(`SELECT id FROM outbox_events WHERE published_at IS NULL`);
      expect(unpublished).toEqual([]);
      // Nothing left: a second relay makes nothing.
      expect(await deliveries.relay(500)).toEqual({ events: 0, deliveries: 0 });
      expect(await deliveryRows()).toHaveLength(3);
    });

    it('relays an event no webhook wants (it is published, no delivery), and the other tenant\'s events to its own webhooks', async () => {
      const t2 = await newWebhook('t2', 'transaction_updated');
      await newEvent('t1', 'batch_created', 'b_1');
      await newEvent('t2', 'transaction_updated', 'l_1');
      expect(await deliveries.relay(500)).toEqual({ events: 2, deliveries: 1 });
      const made = await deliveryRows();
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ webhook_id: t2.id, tenant_id: 't2', object_id: 'l_1', event: 'transaction_updated' });
    });

    it('copies the event payload and the webhook\'s test flag into the delivery', async () => {
      const test = await newWebhook('t1', 'batch_purchased', { isTest: true });
      const payload = { status: 'PURCHASED', nested: { n: 1, list: ['a', 'b'] } };
      await newEvent('t1', 'batch_purchased', 'b_7', payload);
      await relayAll();
      const [row] = await deliveryRows();
      expect(row).toMatchObject({ webhook_id: test.id, test: true });
      const stored = typeof row.event_payload === 'string' ? JSON.parse(row.event_payload) : row.event_payload;
      expect(stored).toEqual(payload);

      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(lease.deliveries).toEqual([{ id: row.id, webhookId: test.id }]);
      expect(await deliveries.loadLeased([row.id], lease.token)).toEqual([
        expect.objectContaining({ id: row.id, isTest: true, event: 'batch_purchased', objectId: 'b_7', eventPayload: payload, body: null, attempts: 0, firstAttemptAt: null, webhookFailures: 0 }),
      ]);
    });

    it('takes at most `limit` events per statement, oldest first, and says so by its counts', async () => {
      await newWebhook('t1', 'all');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await newEvent('t1', 'batch_created', `b_${i}`));
      expect(await deliveries.relay(2)).toEqual({ events: 2, deliveries: 2 });
      expect((await deliveryRows()).map((d) => String(d.event_id))).toEqual(ids.slice(0, 2));
      expect(await deliveries.relay(2)).toEqual({ events: 2, deliveries: 2 });
      expect(await deliveries.relay(2)).toEqual({ events: 1, deliveries: 1 });
      expect(await deliveries.relay(2)).toEqual({ events: 0, deliveries: 0 });
    });

    it('never relays an event twice when relays run at once' + (onPostgres ? ' on separate connections' : ''), async () => {
      const hooks = [await newWebhook('t1', 'all'), await newWebhook('t1', 'batch_created')];
      const events = 300;
      await db.dataSource.query(
        `INSERT INTO outbox_events (tenant_id, type, object_id, payload) SELECT 't1', 'batch_created', 'b_' || g, '{}' FROM generate_series(1, $1) g`,
        [events],
      );
      // PGlite has one connection: there the relays interleave statement by statement.
      const extra: DataSource[] = [];
      if (onPostgres && testDb) {
        for (let i = 0; i < 3; i++) {
          const ds = createDataSource({ url: testDb.url, entities: [], migrations: [], poolSize: 2 });
          await ds.initialize();
          extra.push(ds);
        }
      }
      try {
        const repos = [deliveries, ...extra.map((ds) => new TypeormWebhookDeliveryRepository(ds, box))];
        while (repos.length < 4) repos.push(deliveries);
        const totals = await Promise.all(repos.map((repo) => relayAll(repo, 7)));
        expect(totals.reduce((n, t) => n + t.events, 0)).toBe(events);
        expect(totals.reduce((n, t) => n + t.deliveries, 0)).toBe(events * hooks.length);
      } finally {
        await Promise.all(extra.map((ds) => ds.destroy()));
      }
      const [{ n, distinct }] = await rows<{ n: string | number; distinct: string | number }>(
        `SELECT count(*) AS n, count(DISTINCT (webhook_id, event_id)) AS distinct FROM webhook_deliveries`,
      );
      expect(Number(n)).toBe(events * hooks.length);
      expect(Number(distinct)).toBe(events * hooks.length);
      expect(await rows(`SELECT id FROM outbox_events WHERE published_at IS NULL`)).toEqual([]);
    });
  });

  describe('claimDue and loadLeased', () => {
    it('leases only due pending deliveries, oldest due first; a second claim while leased gets none; an expired lease is claimable again', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 4; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [d0, d1, d2, d3] = (await deliveryRows()).map((d) => d.id);
      // d1 is due later, d2 is settled, d0 and d3 are due (d3 longer ago).
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [d1]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET status = 'succeeded' WHERE id = $1`, [d2]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 hour' WHERE id = $1`, [d3]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 minute' WHERE id = $1`, [d0]);

      const first = await deliveries.claimDue(1, LONG_LEASE);
      expect(first.deliveries).toEqual([{ id: d3, webhookId: webhook.id }]);
      const second = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(second)).toEqual([d0]);
      expect(second.token).not.toBe(first.token);
      expect(await claimIds(10)).toEqual([]);

      const [leased] = await deliveryRows('id = $1', [d0]);
      expect(leased.lease_until).not.toBeNull();
      expect(leased.lease_token).toBe(second.token);
      expect(await loadOne(d0, second.token)).toMatchObject({ id: d0, webhookId: webhook.id, tenantId: 't1', url: webhook.url });

      // The worker holding d0 died: its lease runs out and the next pass claims it again.
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = $1`, [d0]);
      expect(await loadOne(d0, second.token)).toBeNull();
      const third = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(third)).toEqual([d0]);
      expect(await loadOne(d0, third.token)).not.toBeNull();
      expect(await loadOne(d1, third.token)).toBeNull();
    });

    it('lets a lease as short as 1 ms run out', async () => {
      const { id } = await oneDelivery();
      const short = await deliveries.claimDue(10, 1);
      expect(idsOf(short)).toEqual([id]);
      await new Promise((r) => setTimeout(r, 20));
      expect(await loadOne(id, short.token)).toBeNull();
      expect(await claimIds(10)).toEqual([id]);
    });

    it('loads only under the token of the claim holding the lease: not under a wrong token, nor for a job whose lease a later claim took over', async () => {
      const { id, webhook } = await oneDelivery();
      const first = await deliveries.claimDue(10, LONG_LEASE);
      expect(first.deliveries).toEqual([{ id, webhookId: webhook.id }]);
      expect(await deliveries.loadLeased([id], randomUUID())).toEqual([]);
      expect(await deliveries.loadLeased([id], first.token)).toEqual([expect.objectContaining({ id, webhookId: webhook.id })]);

      // The first job waited past its lease; a later claim takes the delivery over.
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
      const second = await deliveries.claimDue(10, LONG_LEASE);
      expect(second.token).not.toBe(first.token);
      expect(idsOf(second)).toEqual([id]);
      expect(await deliveries.loadLeased([id], first.token)).toEqual([]);
      expect(await deliveries.loadLeased([id], second.token)).toEqual([expect.objectContaining({ id })]);

      // Recording releases the lease and its token.
      expect(await recordOne(id, attempt(), { transition: 'retry', nextAttemptAt: new Date(Date.now() - 1_000) })).toEqual([id]);
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ lease_until: null, lease_token: null });
      expect(await deliveries.loadLeased([id], second.token)).toEqual([]);
    });

    it('loads many at once: only the ids leased under the token, oldest due first, each with its webhook\'s secret and failing rounds', async () => {
      const secretA = `whsec_${randomBytes(32).toString('base64')}`;
      const secretB = `whsec_${randomBytes(32).toString('base64')}`;
      const a = await newWebhook('t1', 'batch_created', { secret: secretA });
      const b = await newWebhook('t1', 'transaction_created', { secret: secretB });
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await newEvent('t1', 'transaction_created', 'l_0');
      await relayAll();
      const [a0, a1, a2] = await dueInOrder(a.id, 60);
      const [b0] = await dueInOrder(b.id, 30);
      await db.dataSource.query(`UPDATE webhooks SET consecutive_failures = 3 WHERE id = $1`, [b.id]);

      // a2 is leased under another claim.
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [a2]);
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(sorted(idsOf(lease))).toEqual(sorted([a0, a1, b0]));
      expect(lease.deliveries.find((d) => d.id === b0)?.webhookId).toBe(b.id);
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '2 hours' WHERE id = $1`, [a2]);
      const other = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(other)).toEqual([a2]);

      const loaded = await deliveries.loadLeased([b0, a2, a1, 'msg_missing', a0], lease.token);
      expect(loaded.map((d) => [d.id, d.webhookId, d.secret, d.webhookFailures])).toEqual([
        [a0, a.id, secretA, 0],
        [a1, a.id, secretA, 0],
        [b0, b.id, secretB, 3],
      ]);
      expect(await deliveries.loadLeased([], lease.token)).toEqual([]);
    });

    it('keeps the pending deliveries of a webhook turned off: neither claimed nor loaded until it is on again', async () => {
      const { webhook, id } = await oneDelivery();
      await webhooks.update('t1', webhook.id, { active: false });
      expect(await claimIds(10)).toEqual([]);
      await webhooks.update('t1', webhook.id, { active: true });
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(lease)).toEqual([id]);
      await webhooks.update('t1', webhook.id, { active: false });
      expect(await loadOne(id, lease.token)).toBeNull();
    });

    it('hands each due delivery to at most one of two claims running at once, each under its own token', async () => {
      await newWebhook('t1', 'all');
      for (let i = 0; i < 20; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const all = (await deliveryRows()).map((d) => d.id);
      const [a, b] = await Promise.all([deliveries.claimDue(15, LONG_LEASE), deliveries.claimDue(15, LONG_LEASE)]);
      expect(a.token).not.toBe(b.token);
      // Claims running at once may each leave some for the next pass (they pick before they lock), but never share one.
      const rest = await deliveries.claimDue(20, LONG_LEASE);
      const claimed = [...idsOf(a), ...idsOf(b), ...idsOf(rest)];
      expect(claimed).toHaveLength(20);
      expect(sorted(claimed)).toEqual(sorted(all));
      expect(idsOf(a).length + idsOf(b).length).toBeGreaterThanOrEqual(15);
      // Each job loads only its own claim's deliveries.
      expect(sorted((await deliveries.loadLeased(all, a.token)).map((d) => d.id))).toEqual(sorted(idsOf(a)));
      expect(sorted((await deliveries.loadLeased(all, b.token)).map((d) => d.id))).toEqual(sorted(idsOf(b)));
    });

    it('loads nothing for a delivery that was never leased, is settled, or does not exist', async () => {
      const { id } = await oneDelivery();
      expect(await loadOne(id, randomUUID())).toBeNull();
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(await loadOne(id, lease.token)).not.toBeNull();
      expect(await recordOne(id, attempt({ outcome: 'succeeded', statusCode: 200, error: undefined }), { transition: 'delivered' })).toEqual([id]);
      expect(await loadOne(id, lease.token)).toBeNull();
      expect(await loadOne('msg_missing', lease.token)).toBeNull();
    });
  });

  describe('claimDue across webhooks', () => {
    it('is fair: a webhook with a backlog gets no more than its share while another has due deliveries (10 and 2 due, 4 claimed: 2 of each)', async () => {
      const a = await newWebhook('t1', 'batch_created');
      const b = await newWebhook('t1', 'transaction_created');
      for (let i = 0; i < 10; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      for (let i = 0; i < 2; i++) await newEvent('t1', 'transaction_created', `l_${i}`);
      await relayAll();
      // Every one of a's is due longer than any of b's: oldest first overall would take 4 of a.
      const ofA = await dueInOrder(a.id, 120);
      const ofB = await dueInOrder(b.id, 30);

      const first = await deliveries.claimDue(4, LONG_LEASE);
      expect(sorted(idsOf(first))).toEqual(sorted([ofA[0], ofA[1], ofB[0], ofB[1]]));
      for (const d of first.deliveries) expect(d.webhookId).toBe(ofA.includes(d.id) ? a.id : b.id);
      // b has none left: the next claim is all a's, oldest first.
      expect(sorted(await claimIds(4))).toEqual(sorted(ofA.slice(2, 6)));
      expect(sorted(await claimIds(10))).toEqual(sorted(ofA.slice(6)));
    });

    it('goes round by round, oldest due first within a round', async () => {
      const a = await newWebhook('t1', 'batch_created');
      const b = await newWebhook('t1', 'transaction_created');
      const c = await newWebhook('t1', 'batch_purchased');
      for (let i = 0; i < 5; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      for (let i = 0; i < 3; i++) await newEvent('t1', 'transaction_created', `l_${i}`);
      await newEvent('t1', 'batch_purchased', 'b_p');
      await relayAll();
      const ofA = await dueInOrder(a.id, 100); // due 100, 99, 98, ... minutes ago
      const ofB = await dueInOrder(b.id, 200); // 200, 199, 198
      const [c0] = await dueInOrder(c.id, 50);

      // Round 1: a0, b0, c0; round 2, oldest first: b1 (199 min) before a1 (99 min).
      expect(sorted(await claimIds(4))).toEqual(sorted([ofA[0], ofB[0], c0, ofB[1]]));
      // Then: a1, b2 (round 1 of what is left), a2 (round 2).
      expect(sorted(await claimIds(3))).toEqual(sorted([ofA[1], ofB[2], ofA[2]]));
    });

    it("probes a webhook whose receiver could not be reached: its oldest due delivery, one at a time, however long the others are due; the other webhooks' all go", async () => {
      const down = await newWebhook('t1', 'batch_created');
      const fine = await newWebhook('t1', 'transaction_created');
      for (let i = 0; i < 5; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      for (let i = 0; i < 2; i++) await newEvent('t1', 'transaction_created', `l_${i}`);
      await relayAll();
      const ofDown = await dueInOrder(down.id, 60);
      const ofFine = await dueInOrder(fine.id, 10);
      await db.dataSource.query(`UPDATE webhooks SET consecutive_failures = 1 WHERE id = $1`, [down.id]);

      // Its oldest due at once (no time holds it), however many are asked for; the other webhook's all.
      const probe1 = await deliveries.claimDue(10, LONG_LEASE);
      expect(sorted(idsOf(probe1))).toEqual(sorted([ofDown[0], ...ofFine]));
      expect((await loadOne(ofDown[0], probe1.token))?.webhookFailures).toBe(1);
      // None while one is out.
      expect(await claimIds(10)).toEqual([]);
      expect(await recordOne(ofDown[0], attempt(), { transition: 'retry', nextAttemptAt: new Date(Date.now() + 3_600_000) })).toEqual([ofDown[0]]);

      // Still unreachable: the next oldest due, alone...
      const probe2 = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(probe2)).toEqual([ofDown[1]]);
      expect(await claimIds(10)).toEqual([]);
      // ...(its lease running out counts as no longer out), then the next oldest again.
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = $1`, [ofDown[1]]);
      const probe3 = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(probe3)).toEqual([ofDown[1]]);
      expect(
        await deliveries.recordAttempts(
          [{ id: ofDown[1], attempt: attempt({ statusCode: 503, error: 'HTTP 503' }), transition: 'retry', nextAttemptAt: new Date(Date.now() + 3_600_000) }],
          [{ webhookId: down.id, health: 'reachable' }],
        ),
      ).toEqual([ofDown[1]]);
      expect(await webhookState(down.id)).toEqual({ failures: 0, active: true });

      // It answered (a 503 is an answer): every due one, each on its own schedule.
      expect(sorted(await claimIds(10))).toEqual(sorted(ofDown.slice(2)));
    });
  });

  describe('dueOf and recording what was not sent', () => {
    it("lists a webhook's due pending deliveries no claim holds, oldest due first, up to the limit, with what their next times need", async () => {
      const down = await newWebhook('t1', 'batch_created');
      const other = await newWebhook('t1', 'batch_created');
      for (let i = 0; i < 7; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [d0, d1, d2, leased, later, settled, d6] = await dueInOrder(down.id, 60);
      await dueInOrder(other.id, 60);
      await db.dataSource.query(`UPDATE webhook_deliveries SET attempts = 4, first_attempt_at = $2 WHERE id = $1`, [d1, EARLY]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() + interval '1 hour', lease_token = $2 WHERE id = $1`, [leased, randomUUID()]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 minute' WHERE id = $1`, [later]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET status = 'succeeded' WHERE id = $1`, [settled]);

      expect(await deliveries.dueOf(down.id, 2)).toEqual([
        { id: d0, attempts: 0, firstAttemptAt: null },
        { id: d1, attempts: 4, firstAttemptAt: EARLY },
      ]);
      expect((await deliveries.dueOf(down.id, 10)).map((d) => d.id)).toEqual([d0, d1, d2, d6]);
      // A webhook turned off: none.
      await webhooks.update('t1', other.id, { active: false });
      expect(await deliveries.dueOf(other.id, 10)).toEqual([]);
    });

    it('records an attempt that was not sent only while its delivery is still due and no claim holds it, on its own next time', async () => {
      const down = await newWebhook('t1', 'batch_created');
      for (let i = 0; i < 4; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [due, first, claimed, sentMeanwhile] = await dueInOrder(down.id, 60);
      await db.dataSource.query(`UPDATE webhook_deliveries SET attempts = 4, first_attempt_at = $2 WHERE id = $1`, [first, EARLY]);
      const listed = await deliveries.dueOf(down.id, 10);
      expect(listed.map((d) => d.id)).toEqual([due, first, claimed, sentMeanwhile]);
      // Meanwhile a claim takes one (its job will send it), and another is sent and recorded.
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() + interval '1 hour', lease_token = $2 WHERE id = $1`, [claimed, randomUUID()]);
      await recordOne(sentMeanwhile, attempt(), { transition: 'retry', nextAttemptAt: new Date(Date.now() + 60_000) });

      const notSent = (id: string, nextAttemptAt: Date): RecordedAttempt => ({
        id,
        attempt: attempt({ statusCode: undefined, error: 'not sent: the receiver could not be reached (connection refused, delivery msg_x)', durationMs: 0 }),
        transition: 'retry',
        nextAttemptAt,
        ifStillDue: true,
      });
      const next = new Date(Date.now() + 10_000);
      const nextOfFirst = new Date(Date.now() + 160_000);
      const recorded = await deliveries.recordAttempts(
        [notSent(due, next), notSent(first, nextOfFirst), notSent(claimed, next), notSent(sentMeanwhile, next)],
        [{ webhookId: down.id, health: 'unreachable' }],
      );
      expect(sorted(recorded)).toEqual(sorted([due, first]));
      const byId = new Map((await deliveryRows('webhook_id = $1', [down.id])).map((r) => [r.id, r]));
      expect(byId.get(due)).toMatchObject({ attempts: 1, lease_until: null, last_status_code: null, last_error: expect.stringMatching(/^not sent/) });
      expect(new Date(byId.get(due)?.next_attempt_at as Date)).toEqual(next);
      expect(byId.get(first)).toMatchObject({ attempts: 5 });
      expect(new Date(byId.get(first)?.first_attempt_at as Date)).toEqual(EARLY);
      expect(new Date(byId.get(first)?.next_attempt_at as Date)).toEqual(nextOfFirst);
      expect(await attemptRows(due)).toEqual([expect.objectContaining({ outcome: 'failed', status_code: null, duration_ms: 0, error: expect.stringMatching(/^not sent/) })]);
      // Left to the claim holding it, and to its own next time.
      expect(byId.get(claimed)).toMatchObject({ attempts: 0, last_error: null });
      expect(await attemptRows(claimed)).toEqual([]);
      expect(byId.get(sentMeanwhile)).toMatchObject({ attempts: 1, last_error: 'HTTP 500' });
      expect(await attemptRows(sentMeanwhile)).toHaveLength(1);
      expect(await webhookState(down.id)).toEqual({ failures: 1, active: true });
    });
  });

  describe('backlog', () => {
    it('counts pending deliveries due now and scheduled later, and events not yet relayed; settled ones are not counted', async () => {
      expect(await deliveries.backlog()).toEqual({ due: 0, scheduled: 0, unrelayedEvents: 0 });
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 4; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      const before = Date.now();
      await relayAll();
      const [d0, d1, d2] = await dueInOrder(webhook.id, 60);
      await newEvent('t1', 'batch_purchased', 'b_0');
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [d1]);
      await db.dataSource.query(`UPDATE webhook_deliveries SET status = 'succeeded' WHERE id = $1`, [d2]);
      expect(await deliveries.backlog()).toEqual({ due: 2, scheduled: 1, unrelayedEvents: 1 });
      // A claimed delivery carries when its event was recorded (delivery lag is measured from it).
      const lease = await deliveries.claimDue(1, LONG_LEASE);
      const [loaded] = await deliveries.loadLeased(idsOf(lease), lease.token);
      expect(loaded.id).toBe(d0);
      expect(loaded.eventAt.getTime()).toBeLessThanOrEqual(before + 1_000);
      expect(loaded.eventAt.getTime()).toBeGreaterThan(before - 60_000);
    });
  });

  describe('keepBodies', () => {
    it('keeps the first body: a later one is ignored and the kept one returned', async () => {
      const { id } = await oneDelivery();
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.keepBodies([{ id, body: '{"first":true}' }])).toEqual(new Map([[id, '{"first":true}']]));
      expect(await deliveries.keepBodies([{ id, body: '{"second":true}' }])).toEqual(new Map([[id, '{"first":true}']]));
      expect((await loadOne(id, lease.token))?.body).toBe('{"first":true}');
    });

    it('keeps many at once, each by its id, the first body of each', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [d0, d1, d2] = await dueInOrder(webhook.id, 10);
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.keepBodies([{ id: d0, body: '{"n":0}' }])).toEqual(new Map([[d0, '{"n":0}']]));

      const kept = await deliveries.keepBodies([
        { id: d0, body: '{"n":"zero again"}' },
        { id: d1, body: '{"n":1}' },
        { id: d2, body: '{"n":2}' },
      ]);
      expect(kept).toEqual(new Map([[d0, '{"n":0}'], [d1, '{"n":1}'], [d2, '{"n":2}']]));
      expect((await deliveries.loadLeased([d0, d1, d2], lease.token)).map((d) => [d.id, d.body])).toEqual([
        [d0, '{"n":0}'],
        [d1, '{"n":1}'],
        [d2, '{"n":2}'],
      ]);
      expect(await deliveries.keepBodies([])).toEqual(new Map());
    });
  });

  describe('recordAttempts', () => {
    it('retry: counts the attempt, schedules the next, releases the lease, keeps the first attempt time, and writes the attempt', async () => {
      const { id } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      const firstAt = new Date(Date.now() - 5_000);
      const nextAt = new Date(Date.now() + 10_000);
      expect(await recordOne(id, attempt({ at: firstAt }), { transition: 'retry', nextAttemptAt: nextAt })).toEqual([id]);

      const [row] = await deliveryRows('id = $1', [id]);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500', lease_until: null, lease_token: null });
      expect(new Date(row.next_attempt_at).getTime()).toBe(nextAt.getTime());
      expect(new Date(row.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());
      expect(await attemptRows(id)).toEqual([{ outcome: 'failed', status_code: 500, error: 'HTTP 500', duration_ms: 13, attempted_at: expect.anything() }]);
      // Not due yet, so not claimable; and no longer leased.
      expect(await claimIds(10)).toEqual([]);

      // Due again: the second attempt keeps the first attempt's time.
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1`, [id]);
      const again = await deliveries.claimDue(10, LONG_LEASE);
      expect(idsOf(again)).toEqual([id]);
      expect((await loadOne(id, again.token))?.firstAttemptAt?.getTime()).toBe(firstAt.getTime());
      expect(await recordOne(id, attempt({ error: 'timeout after 10000 ms', statusCode: undefined }), { transition: 'retry', nextAttemptAt: nextAt })).toEqual([id]);
      const [second] = await deliveryRows('id = $1', [id]);
      expect(second).toMatchObject({ attempts: 2, last_status_code: null, last_error: 'timeout after 10000 ms' });
      expect(new Date(second.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());
      expect(await attemptRows(id)).toHaveLength(2);
    });

    it('delivered: succeeded; a second record on the settled delivery records nothing and writes no attempt', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await recordOne(id, attempt({ outcome: 'succeeded', statusCode: 204, error: undefined }), { transition: 'delivered' })).toEqual([id]);
      const [row] = await deliveryRows('id = $1', [id]);
      expect(row).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 204, last_error: null, lease_until: null, lease_token: null });
      expect(await deliveries.findById('t1', webhook.id, id)).toMatchObject({ status: 'succeeded', nextAttemptAt: null });

      expect(await recordOne(id, attempt(), { transition: 'retry', nextAttemptAt: new Date() })).toEqual([]);
      expect(await recordOne(id, attempt({ outcome: 'succeeded', statusCode: 200 }), { transition: 'delivered' })).toEqual([]);
      expect(await recordOne(id, attempt(), { transition: 'gave_up' })).toEqual([]);
      expect(await attemptRows(id)).toHaveLength(1);
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 204 });
    });

    it('gave_up: failed, not claimable; recording on it again records nothing', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await recordOne(id, attempt({ statusCode: 503, error: 'HTTP 503' }), { transition: 'gave_up' })).toEqual([id]);
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 503, last_error: 'HTTP 503', lease_until: null, lease_token: null });
      expect(await claimIds(10)).toEqual([]);
      expect(await recordOne(id, attempt(), { transition: 'gave_up' })).toEqual([]);
      expect(await attemptRows(id)).toHaveLength(1);
      // Giving up on one delivery leaves the webhook on.
      expect(await webhooks.findById('t1', webhook.id)).toMatchObject({ active: true, disabledReason: null });
    });

    it('records many at once: one attempt row each, returning only the ids that were still pending', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 4; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [a, b, c, d] = await dueInOrder(webhook.id, 10);
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(sorted(idsOf(lease))).toEqual(sorted([a, b, c, d]));
      // c was settled meanwhile.
      expect(await recordOne(c, attempt({ outcome: 'succeeded', statusCode: 200, error: undefined }), { transition: 'delivered' })).toEqual([c]);

      const nextAt = new Date(Date.now() + 60_000);
      const recorded = await deliveries.recordAttempts(
        [
          { id: a, attempt: attempt({ statusCode: 502, error: 'HTTP 502', durationMs: 40 }), transition: 'retry', nextAttemptAt: nextAt },
          { id: b, attempt: attempt({ outcome: 'succeeded', statusCode: 201, error: undefined, durationMs: 7 }), transition: 'delivered' },
          { id: c, attempt: attempt(), transition: 'retry', nextAttemptAt: nextAt },
          { id: 'msg_missing', attempt: attempt(), transition: 'gave_up' },
        ],
        [],
      );
      expect(sorted(recorded)).toEqual(sorted([a, b]));

      expect(await attemptRows(a)).toEqual([{ outcome: 'failed', status_code: 502, error: 'HTTP 502', duration_ms: 40, attempted_at: expect.anything() }]);
      expect(await attemptRows(b)).toEqual([{ outcome: 'succeeded', status_code: 201, error: null, duration_ms: 7, attempted_at: expect.anything() }]);
      expect(await attemptRows(c)).toEqual([expect.objectContaining({ outcome: 'succeeded', status_code: 200 })]);
      expect(await attemptRows('msg_missing')).toEqual([]);

      const byId = new Map((await deliveryRows('webhook_id = $1', [webhook.id])).map((r) => [r.id, r]));
      expect(byId.get(a)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 502, lease_until: null, lease_token: null });
      expect(new Date(byId.get(a)?.next_attempt_at ?? 0).getTime()).toBe(nextAt.getTime());
      expect(byId.get(b)).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 201, lease_until: null, lease_token: null });
      expect(byId.get(c)).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 200 });
      // d was not in the round: still leased under the claim's token.
      expect(byId.get(d)).toMatchObject({ status: 'pending', attempts: 0, lease_token: lease.token });
      expect(await loadOne(d, lease.token)).not.toBeNull();

      expect(await deliveries.recordAttempts([], [])).toEqual([]);
    });

    it('refuses a transition that does not start from pending, recording nothing of the round', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 2; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [a, b] = await dueInOrder(webhook.id, 10);
      await deliveries.claimDue(10, LONG_LEASE);
      await expect(
        deliveries.recordAttempts(
          [
            { id: a, attempt: attempt(), transition: 'retry', nextAttemptAt: new Date() },
            { id: b, attempt: attempt(), transition: 'redeliver' },
          ],
          [],
        ),
      ).rejects.toThrow();
      expect(await attemptRows(a)).toEqual([]);
      expect((await deliveryRows('webhook_id = $1', [webhook.id])).map((r) => [r.status, r.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
      ]);
    });

    it('disableWebhook: turns the webhook off and fails its other pending deliveries, leaving other webhooks\' alone', async () => {
      const gone = await newWebhook('t1', 'all');
      const fine = await newWebhook('t1', 'all');
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const ofGone = (await deliveryRows('webhook_id = $1', [gone.id])).map((d) => d.id);
      expect(ofGone).toHaveLength(3);
      // The first and second are in flight, the third waits for its turn.
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [ofGone[2]]);
      await deliveries.claimDue(100, LONG_LEASE);

      const reason = `the receiver answered 410 Gone to delivery ${ofGone[0]}`;
      expect(
        await recordOne(ofGone[0], attempt({ outcome: 'gone', statusCode: 410, error: 'HTTP 410 Gone' }), { transition: 'gave_up', disableWebhook: reason }),
      ).toEqual([ofGone[0]]);

      expect(await webhooks.findById('t1', gone.id)).toMatchObject({ active: false, disabledReason: reason });
      const after = await deliveryRows('webhook_id = $1', [gone.id]);
      expect(after.map((d) => [d.id, d.status, d.lease_until, d.lease_token])).toEqual(ofGone.map((id) => [id, 'failed', null, null]));
      expect(after.find((d) => d.id === ofGone[0])).toMatchObject({ attempts: 1, last_status_code: 410, last_error: 'HTTP 410 Gone' });
      for (const d of after.filter((x) => x.id !== ofGone[0])) expect(d).toMatchObject({ attempts: 0, last_error: 'the webhook was disabled (410 Gone)' });
      expect((await deliveryRows('webhook_id = $1', [fine.id])).map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
      expect(await webhooks.findById('t1', fine.id)).toMatchObject({ active: true });

      // The attempt in flight finishes later: nothing is recorded on the failed delivery.
      expect(await recordOne(ofGone[1], attempt({ outcome: 'succeeded', statusCode: 200 }), { transition: 'delivered' })).toEqual([]);
      expect(await attemptRows(ofGone[1])).toEqual([]);

      // No more deliveries for the disabled webhook; turning it on again clears the reason.
      await newEvent('t1', 'batch_purchased', 'b_9');
      expect(await relayAll()).toEqual({ events: 1, deliveries: 1 });
      expect(await deliveryRows('webhook_id = $1', [gone.id])).toHaveLength(3);
      expect(await webhooks.update('t1', gone.id, { active: true })).toMatchObject({ active: true, disabledReason: null });
    });

    it("unreachable counts one more round, reachable clears them; none of the webhook's deliveries changes", async () => {
      const webhook = await newWebhook('t1', 'all');
      const other = await newWebhook('t1', 'all');
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '2 days'`);
      const before = await deliveryRows();

      expect(await deliveries.recordAttempts([], [{ webhookId: webhook.id, health: 'unreachable' }])).toEqual([]);
      expect(await deliveries.recordAttempts([], [{ webhookId: webhook.id, health: 'unreachable' }])).toEqual([]);
      expect(await webhookState(webhook.id)).toEqual({ failures: 2, active: true });
      expect(await webhookState(other.id)).toEqual({ failures: 0, active: true });
      // Due for two days while unreachable: still pending, each waiting for its own attempt (nothing is given up in bulk).
      expect(await deliveryRows()).toEqual(before);

      expect(await deliveries.recordAttempts([], [{ webhookId: webhook.id, health: 'reachable' }])).toEqual([]);
      expect(await webhookState(webhook.id)).toEqual({ failures: 0, active: true });
      // A webhook turned off does not count.
      await webhooks.update('t1', other.id, { active: false });
      await deliveries.recordAttempts([], [{ webhookId: other.id, health: 'unreachable' }]);
      expect(await webhookState(other.id)).toEqual({ failures: 0, active: false });
    });
  });

  describe('list, findById and redeliver', () => {
    it('lists a webhook\'s deliveries newest first with a count, by page, within the tenant', async () => {
      const webhook = await newWebhook('t1', 'all');
      const other = await newWebhook('t1', 'all');
      const events: string[] = [];
      for (let i = 0; i < 3; i++) events.push(await newEvent('t1', 'transaction_created', `l_${i}`));
      await relayAll();
      // Distinct creation times, in event order.
      await db.dataSource.query(`UPDATE webhook_deliveries SET created_at = timestamptz '2030-01-01 00:00:00+00' + event_id * interval '1 second'`);
      const ofWebhook = await deliveryRows('webhook_id = $1', [webhook.id]);

      const page1 = await deliveries.list('t1', webhook.id, 1, 2);
      expect(page1.count).toBe(3);
      expect(page1.results.map((d) => d.eventId)).toEqual([events[2], events[1]]);
      expect(page1.results[0]).toEqual({
        id: ofWebhook[2].id,
        webhookId: webhook.id,
        eventId: events[2],
        event: 'transaction_created',
        objectId: 'l_2',
        status: 'pending',
        attempts: 0,
        lastStatusCode: null,
        lastError: null,
        nextAttemptAt: expect.any(Date),
        createdAt: new Date(Date.UTC(2030, 0, 1) + Number(events[2]) * 1000),
      });
      expect((await deliveries.list('t1', webhook.id, 2, 2)).results.map((d) => d.eventId)).toEqual([events[0]]);
      expect((await deliveries.list('t1', other.id, 1, 10)).count).toBe(3);
      expect(await deliveries.list('t2', webhook.id, 1, 10)).toEqual({ results: [], count: 0 });

      expect(await deliveries.findById('t1', webhook.id, ofWebhook[0].id)).toMatchObject({ id: ofWebhook[0].id, eventId: events[0] });
      expect(await deliveries.findById('t2', webhook.id, ofWebhook[0].id)).toBeNull();
      expect(await deliveries.findById('t1', other.id, ofWebhook[0].id)).toBeNull();
    });

    it('redelivers a succeeded or failed delivery: pending, due now, first attempt time reset; a pending one is just made due', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [ok, bad, waiting] = (await deliveryRows()).map((d) => d.id);
      await deliveries.claimDue(10, LONG_LEASE);
      const firstAt = new Date(Date.now() - 60_000);
      expect(
        sorted(
          await deliveries.recordAttempts(
            [
              { id: ok, attempt: attempt({ at: firstAt, outcome: 'succeeded', statusCode: 200, error: undefined }), transition: 'delivered' },
              { id: bad, attempt: attempt({ at: firstAt }), transition: 'gave_up' },
              { id: waiting, attempt: attempt({ at: firstAt }), transition: 'retry', nextAttemptAt: new Date(Date.now() + 3_600_000) },
            ],
            [],
          ),
        ),
      ).toEqual(sorted([ok, bad, waiting]));
      expect(await claimIds(10)).toEqual([]);

      for (const id of [ok, bad]) {
        const again = await deliveries.redeliver('t1', webhook.id, id);
        expect(again).toMatchObject({ id, status: 'pending', attempts: 1, nextAttemptAt: expect.any(Date) });
        const [row] = await deliveryRows('id = $1', [id]);
        expect(row).toMatchObject({ status: 'pending', first_attempt_at: null, lease_until: null, lease_token: null });
      }
      const stillPending = await deliveries.redeliver('t1', webhook.id, waiting);
      expect(stillPending).toMatchObject({ id: waiting, status: 'pending' });
      const [waitingRow] = await deliveryRows('id = $1', [waiting]);
      expect(new Date(waitingRow.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());

      // All three are due now.
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(sorted(idsOf(lease))).toEqual(sorted([ok, bad, waiting]));
      expect((await loadOne(ok, lease.token))?.firstAttemptAt).toBeNull();
    });

    it('redelivering to an unreachable webhook ends its probing: the next round sends every due delivery, the redelivered one too', async () => {
      const webhook = await newWebhook('t1', 'all');
      for (let i = 0; i < 3; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [failed, later, due] = await dueInOrder(webhook.id, 10);
      await deliveries.claimDue(10, LONG_LEASE);
      await deliveries.recordAttempts(
        [
          { id: failed, attempt: attempt(), transition: 'gave_up' },
          { id: later, attempt: attempt(), transition: 'retry', nextAttemptAt: new Date(Date.now() + 3_600_000) },
          { id: due, attempt: attempt(), transition: 'retry', nextAttemptAt: new Date(Date.now() - 1_000) },
        ],
        [],
      );
      await db.dataSource.query(`UPDATE webhooks SET consecutive_failures = 2 WHERE id = $1`, [webhook.id]);

      // Asked for by another tenant: nothing changes.
      expect(await deliveries.redeliver('t2', webhook.id, failed)).toBeNull();
      expect((await webhookState(webhook.id)).failures).toBe(2);

      expect(await deliveries.redeliver('t1', webhook.id, failed)).toMatchObject({ id: failed, status: 'pending' });
      expect(await webhookState(webhook.id)).toEqual({ failures: 0, active: true });
      const lease = await deliveries.claimDue(10, LONG_LEASE);
      expect(sorted(idsOf(lease))).toEqual(sorted([failed, due]));
      expect((await loadOne(failed, lease.token))?.webhookFailures).toBe(0);
    });

    it('redelivers nothing for another tenant, another webhook or an unknown id', async () => {
      const { id, webhook } = await oneDelivery();
      const other = await newWebhook('t1', 'batch_purchased');
      await deliveries.claimDue(10, LONG_LEASE);
      await recordOne(id, attempt(), { transition: 'gave_up' });
      expect(await deliveries.redeliver('t2', webhook.id, id)).toBeNull();
      expect(await deliveries.redeliver('t1', other.id, id)).toBeNull();
      expect(await deliveries.redeliver('t1', webhook.id, 'msg_missing')).toBeNull();
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'failed' });
    });

    it('deleting a webhook deletes its deliveries and their attempts', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      await recordOne(id, attempt(), { transition: 'retry', nextAttemptAt: new Date() });
      expect(await webhooks.delete('t1', webhook.id)).toBe(true);
      expect(await deliveryRows('id = $1', [id])).toEqual([]);
      expect(await attemptRows(id)).toEqual([]);
    });
  });
});
