import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { createDataSource, normalizeRows, openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import type { WebhookAttempt, WebhookRecord } from '@shipbatch/shipping/application';
import type { WebhookEvent } from '@shipbatch/shipping/domain';
import { TypeormWebhookDeliveryRepository, TypeormWebhookRepository } from './webhook.repositories';

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

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_webhooks') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: mkdtempSync(join(tmpdir(), 'shipbatch-webhooks-')) }, []);
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
      const [id] = await deliveries.claimDue(10, LONG_LEASE);
      expect((await deliveries.load(id))?.secret).toBe(secret);
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
        expect(d).toMatchObject({ tenant_id: 't1', object_id: 'b_1', status: 'pending', attempts: 0, lease_until: null, first_attempt_at: null });
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

      const [id] = await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.load(id)).toMatchObject({ id, isTest: true, event: 'batch_purchased', objectId: 'b_7', eventPayload: payload, body: null, attempts: 0, firstAttemptAt: null });
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
          const ds = createDataSource({ url: testDb.url, entities: [], poolSize: 2 });
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

  describe('claimDue and load', () => {
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

      expect(await deliveries.claimDue(1, LONG_LEASE)).toEqual([d3]);
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([d0]);
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([]);

      const [leased] = await deliveryRows('id = $1', [d0]);
      expect(leased.lease_until).not.toBeNull();
      expect(await deliveries.load(d0)).toMatchObject({ id: d0, webhookId: webhook.id, tenantId: 't1', url: webhook.url });

      // The worker holding d0 died: its lease runs out and the next pass claims it again.
      await db.dataSource.query(`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = $1`, [d0]);
      expect(await deliveries.load(d0)).toBeNull();
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([d0]);
      expect(await deliveries.load(d0)).not.toBeNull();
      expect(await deliveries.load(d1)).toBeNull();
    });

    it('lets a lease as short as 1 ms run out', async () => {
      const { id } = await oneDelivery();
      expect(await deliveries.claimDue(10, 1)).toEqual([id]);
      await new Promise((r) => setTimeout(r, 20));
      expect(await deliveries.load(id)).toBeNull();
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([id]);
    });

    it('keeps the pending deliveries of a webhook turned off: neither claimed nor loaded until it is on again', async () => {
      const { webhook, id } = await oneDelivery();
      await webhooks.update('t1', webhook.id, { active: false });
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([]);
      await webhooks.update('t1', webhook.id, { active: true });
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([id]);
      await webhooks.update('t1', webhook.id, { active: false });
      expect(await deliveries.load(id)).toBeNull();
    });

    it('hands each due delivery to one of two claims running at once', async () => {
      await newWebhook('t1', 'all');
      for (let i = 0; i < 20; i++) await newEvent('t1', 'batch_created', `b_${i}`);
      await relayAll();
      const [a, b] = await Promise.all([deliveries.claimDue(15, LONG_LEASE), deliveries.claimDue(15, LONG_LEASE)]);
      expect(a.length + b.length).toBe(20);
      expect(new Set([...a, ...b]).size).toBe(20);
    });

    it('loads nothing for a delivery that was never leased, is settled, or does not exist', async () => {
      const { id } = await oneDelivery();
      expect(await deliveries.load(id)).toBeNull();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.load(id)).not.toBeNull();
      expect(await deliveries.recordAttempt(id, attempt({ outcome: 'succeeded', statusCode: 200, error: undefined }), { transition: 'delivered' })).toBe(true);
      expect(await deliveries.load(id)).toBeNull();
      expect(await deliveries.load('msg_missing')).toBeNull();
    });
  });

  describe('keepBody', () => {
    it('keeps the first body: a later one is ignored and the kept one returned', async () => {
      const { id } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.keepBody(id, '{"first":true}')).toBe('{"first":true}');
      expect(await deliveries.keepBody(id, '{"second":true}')).toBe('{"first":true}');
      expect((await deliveries.load(id))?.body).toBe('{"first":true}');
    });
  });

  describe('recordAttempt', () => {
    it('retry: counts the attempt, schedules the next, releases the lease, keeps the first attempt time, and writes the attempt', async () => {
      const { id } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      const firstAt = new Date(Date.now() - 5_000);
      const nextAt = new Date(Date.now() + 10_000);
      expect(await deliveries.recordAttempt(id, attempt({ at: firstAt }), { transition: 'retry', nextAttemptAt: nextAt })).toBe(true);

      const [row] = await deliveryRows('id = $1', [id]);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500', lease_until: null });
      expect(new Date(row.next_attempt_at).getTime()).toBe(nextAt.getTime());
      expect(new Date(row.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());
      expect(await attemptRows(id)).toEqual([{ outcome: 'failed', status_code: 500, error: 'HTTP 500', duration_ms: 13, attempted_at: expect.anything() }]);
      // Not due yet, so not claimable; and no longer leased.
      expect(await deliveries.load(id)).toBeNull();
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([]);

      // Due again: the second attempt keeps the first attempt's time.
      await db.dataSource.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1`, [id]);
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([id]);
      expect((await deliveries.load(id))?.firstAttemptAt?.getTime()).toBe(firstAt.getTime());
      expect(await deliveries.recordAttempt(id, attempt({ error: 'timeout after 10000 ms', statusCode: undefined }), { transition: 'retry', nextAttemptAt: nextAt })).toBe(true);
      const [again] = await deliveryRows('id = $1', [id]);
      expect(again).toMatchObject({ attempts: 2, last_status_code: null, last_error: 'timeout after 10000 ms' });
      expect(new Date(again.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());
      expect(await attemptRows(id)).toHaveLength(2);
    });

    it('delivered: succeeded; a second record on the settled delivery returns false and writes no attempt', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.recordAttempt(id, attempt({ outcome: 'succeeded', statusCode: 204, error: undefined }), { transition: 'delivered' })).toBe(true);
      const [row] = await deliveryRows('id = $1', [id]);
      expect(row).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 204, last_error: null, lease_until: null });
      expect(await deliveries.findById('t1', webhook.id, id)).toMatchObject({ status: 'succeeded', nextAttemptAt: null });

      expect(await deliveries.recordAttempt(id, attempt(), { transition: 'retry', nextAttemptAt: new Date() })).toBe(false);
      expect(await deliveries.recordAttempt(id, attempt({ outcome: 'succeeded', statusCode: 200 }), { transition: 'delivered' })).toBe(false);
      expect(await deliveries.recordAttempt(id, attempt(), { transition: 'gave_up' })).toBe(false);
      expect(await attemptRows(id)).toHaveLength(1);
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 204 });
    });

    it('gave_up: failed, not claimable; recording on it again returns false', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      expect(await deliveries.recordAttempt(id, attempt({ statusCode: 503, error: 'HTTP 503' }), { transition: 'gave_up' })).toBe(true);
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 503, last_error: 'HTTP 503', lease_until: null });
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([]);
      expect(await deliveries.recordAttempt(id, attempt(), { transition: 'gave_up' })).toBe(false);
      expect(await attemptRows(id)).toHaveLength(1);
      // Giving up on one delivery leaves the webhook on.
      expect(await webhooks.findById('t1', webhook.id)).toMatchObject({ active: true, disabledReason: null });
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
        await deliveries.recordAttempt(ofGone[0], attempt({ outcome: 'gone', statusCode: 410, error: 'HTTP 410 Gone' }), { transition: 'gave_up', disableWebhook: reason }),
      ).toBe(true);

      expect(await webhooks.findById('t1', gone.id)).toMatchObject({ active: false, disabledReason: reason });
      const after = await deliveryRows('webhook_id = $1', [gone.id]);
      expect(after.map((d) => [d.id, d.status, d.lease_until])).toEqual(ofGone.map((id) => [id, 'failed', null]));
      expect(after.find((d) => d.id === ofGone[0])).toMatchObject({ attempts: 1, last_status_code: 410, last_error: 'HTTP 410 Gone' });
      for (const d of after.filter((x) => x.id !== ofGone[0])) expect(d).toMatchObject({ attempts: 0, last_error: 'the webhook was disabled (410 Gone)' });
      expect((await deliveryRows('webhook_id = $1', [fine.id])).map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
      expect(await webhooks.findById('t1', fine.id)).toMatchObject({ active: true });

      // The attempt in flight finishes later: nothing is recorded on the failed delivery.
      expect(await deliveries.recordAttempt(ofGone[1], attempt({ outcome: 'succeeded', statusCode: 200 }), { transition: 'delivered' })).toBe(false);
      expect(await attemptRows(ofGone[1])).toEqual([]);

      // No more deliveries for the disabled webhook; turning it on again clears the reason.
      await newEvent('t1', 'batch_purchased', 'b_9');
      expect(await relayAll()).toEqual({ events: 1, deliveries: 1 });
      expect(await deliveryRows('webhook_id = $1', [gone.id])).toHaveLength(3);
      expect(await webhooks.update('t1', gone.id, { active: true })).toMatchObject({ active: true, disabledReason: null });
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
      await deliveries.recordAttempt(ok, attempt({ at: firstAt, outcome: 'succeeded', statusCode: 200, error: undefined }), { transition: 'delivered' });
      await deliveries.recordAttempt(bad, attempt({ at: firstAt }), { transition: 'gave_up' });
      await deliveries.recordAttempt(waiting, attempt({ at: firstAt }), { transition: 'retry', nextAttemptAt: new Date(Date.now() + 3_600_000) });
      expect(await deliveries.claimDue(10, LONG_LEASE)).toEqual([]);

      for (const id of [ok, bad]) {
        const again = await deliveries.redeliver('t1', webhook.id, id);
        expect(again).toMatchObject({ id, status: 'pending', attempts: 1, nextAttemptAt: expect.any(Date) });
        const [row] = await deliveryRows('id = $1', [id]);
        expect(row).toMatchObject({ status: 'pending', first_attempt_at: null, lease_until: null });
      }
      const stillPending = await deliveries.redeliver('t1', webhook.id, waiting);
      expect(stillPending).toMatchObject({ id: waiting, status: 'pending' });
      const [waitingRow] = await deliveryRows('id = $1', [waiting]);
      expect(new Date(waitingRow.first_attempt_at ?? 0).getTime()).toBe(firstAt.getTime());

      // All three are due now.
      expect((await deliveries.claimDue(10, LONG_LEASE)).sort()).toEqual([ok, bad, waiting].sort());
      expect((await deliveries.load(ok))?.firstAttemptAt).toBeNull();
    });

    it('redelivers nothing for another tenant, another webhook or an unknown id', async () => {
      const { id, webhook } = await oneDelivery();
      const other = await newWebhook('t1', 'batch_purchased');
      await deliveries.claimDue(10, LONG_LEASE);
      await deliveries.recordAttempt(id, attempt(), { transition: 'gave_up' });
      expect(await deliveries.redeliver('t2', webhook.id, id)).toBeNull();
      expect(await deliveries.redeliver('t1', other.id, id)).toBeNull();
      expect(await deliveries.redeliver('t1', webhook.id, 'msg_missing')).toBeNull();
      expect((await deliveryRows('id = $1', [id]))[0]).toMatchObject({ status: 'failed' });
    });

    it('deleting a webhook deletes its deliveries and their attempts', async () => {
      const { id, webhook } = await oneDelivery();
      await deliveries.claimDue(10, LONG_LEASE);
      await deliveries.recordAttempt(id, attempt(), { transition: 'retry', nextAttemptAt: new Date() });
      expect(await webhooks.delete('t1', webhook.id)).toBe(true);
      expect(await deliveryRows('id = $1', [id])).toEqual([]);
      expect(await attemptRows(id)).toEqual([]);
    });
  });
});
