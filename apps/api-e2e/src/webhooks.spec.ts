import { Shippo } from 'shippo';
import { Webhook } from 'standardwebhooks';
import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { UnreachableReceiver } from './unreachable-receiver';
import { type ReceivedDelivery, WebhookReceiver } from './webhook-receiver';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

/** Fast retries for the tests: 200 ms, doubling; a delivery fails 4 s after its first attempt. */
const RETRY_BASE_MS = 200;
const POLL_MS = 200;
const ENV = {
  // Webhook bodies are built by workers, outside any request: their links equal GET's when the base is set (README).
  PUBLIC_BASE_URL: 'https://shipbatch.example.test',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
  WEBHOOK_RETRY_WINDOW_SECONDS: '4',
  WEBHOOK_POLL_MS: String(POLL_MS),
  WEBHOOK_TIMEOUT_MS: '2000',
};
/**
 * How much later than its due time an attempt may come: the pass that leases it runs every poll
 * interval, then the job starts and the round is recorded. In embedded mode passes share one
 * database connection with the purchase running at the same time; at a load average of 12 on
 * 2 cores attempts came up to 0.7 s late, so ten intervals. The count of attempts is the sharp
 * check; this bound only catches delays of whole backoff steps on top of the schedule.
 */
const LATE_TOLERANCE_MS = 10 * POLL_MS;

/** A transaction without its signed label URL (signed again, with a later expiry, on every read). */
const unsigned = (t: any) => ({ ...t, label_url: t.label_url?.split('?')[0] });

/** Verifies a delivery the way a receiver would, with the standardwebhooks package. */
function verified(secret: string, d: ReceivedDelivery): any {
  return new Webhook(secret).verify(d.raw, {
    'webhook-id': String(d.headers['webhook-id']),
    'webhook-timestamp': String(d.headers['webhook-timestamp']),
    'webhook-signature': String(d.headers['webhook-signature']),
  });
}

/**
 * Webhooks end to end in both modes: real HTTP from the workers to a receiver on 127.0.0.1
 * (allowed by WEBHOOK_ALLOWED_HOSTS, as an operator would), every delivery verified with the
 * standardwebhooks package; events come from batches bought through the mock provider.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('webhooks, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  let receiver: WebhookReceiver;

  const tenant = async (name: string) => {
    const res = await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    return anon.withKey(res.body.api_key);
  };

  const hook = async (client: Client, path: string, event = 'all') => {
    const res = await client.post('/webhooks', { url: `${receiver.url}${path}`, event, is_test: true });
    expect(res.status).toBe(201);
    return res.body as { object_id: string; secret: string };
  };

  /** A batch of `n` shipments on the mock, validated (batch_created); purchased too unless told not to. */
  const batch = async (client: Client, n: number, purchase = true) => {
    const account = (await client.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock', parameters: {} })).body.object_id;
    const created = await client.post('/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Hippo ${i}` }, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    expect((await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING')).body.object_status).toBe('VALID');
    if (purchase) {
      expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
      await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED');
    }
    return id;
  };

  const deliveries = async (client: Client, webhookId: string) => (await client.get(`/webhooks/${webhookId}/deliveries?results=100`)).body.results as any[];

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await start({ env: ENV });
    anon = new Client(h.baseUrl);
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('saves a webhook, shows its secret once, lists, changes and deletes it; another tenant sees 404', async () => {
    const acme = await tenant('acme');
    const other = await tenant('other');
    const created = await acme.post('/webhooks', { url: `${receiver.url}/crud`, event: 'batch_created', is_test: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: `${receiver.url}/crud`, event: 'batch_created', is_test: true, active: true, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{32,}$/) });
    const id = created.body.object_id;
    const got = await acme.get(`/webhooks/${id}`);
    expect(got.body).toMatchObject({ object_id: id, event: 'batch_created' });
    expect(got.body.secret).toBeUndefined();
    expect(JSON.stringify((await acme.get('/webhooks')).body)).not.toContain(created.body.secret);
    expect((await acme.get('/webhooks')).body).toMatchObject({ count: 1, results: [expect.objectContaining({ object_id: id })] });
    const changed = await acme.put(`/webhooks/${id}`, { event: 'all', active: false });
    expect(changed.body).toMatchObject({ object_id: id, event: 'all', active: false, url: `${receiver.url}/crud` });
    expect((await other.get(`/webhooks/${id}`)).status).toBe(404);
    expect((await other.put(`/webhooks/${id}`, { active: true })).status).toBe(404);
    expect((await other.request('DELETE', `/webhooks/${id}`)).status).toBe(404);
    expect((await other.get(`/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await acme.request('DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await acme.get(`/webhooks/${id}`)).status).toBe(404);
  });

  it.each([
    ['an http URL without is_test', { url: 'http://127.0.0.1:9/hook', event: 'all' }, /https/],
    ['a private address', { url: 'https://10.1.2.3/hook', event: 'all' }, /private/],
    ['the cloud metadata address', { url: 'https://169.254.169.254/latest/meta-data', event: 'all' }, /169\.254\.169\.254/],
    ['a loopback host not allowed by the operator', { url: 'https://localhost/hook', event: 'all' }, /loopback/],
    ['an IPv6 unique-local address', { url: 'https://[fd12:3456::1]/hook', event: 'all' }, /fd12/],
    ['a URL with credentials', { url: 'https://user:s3cr3t-pw@example.com/hook', event: 'all' }, /credentials|userinfo/i],
    ['something that is not a URL', { url: 'not a url', event: 'all' }, /url/],
    ['an unknown event', { url: 'https://example.com/hook', event: 'label_printed' }, /event/],
  ])('refuses %s with 400 naming the field', async (_what, body, message) => {
    const acme = await tenant('refusals');
    const res = await acme.post('/webhooks', body);
    expect(res.status).toBe(400);
    const error = res.body.errors[0];
    expect(error.field_name).toBe(body.event === 'label_printed' ? 'event' : 'url');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cr3t-pw');
  });

  it('delivers batch_created, transaction_created and batch_purchased, signed per Standard Webhooks, with the objects as GET shows them', async () => {
    const acme = await tenant('deliveries');
    const all = await hook(acme, '/all');
    const purchasedOnly = await hook(acme, '/purchased', 'batch_purchased');
    const id = await batch(acme, 2);
    const got = await eventually(
      async () => receiver.at('/all'),
      (r) => r.length >= 4,
    );
    const events = got.map((d) => verified(all.secret, d));
    expect(events.map((e) => e.event).sort()).toEqual(['batch_created', 'batch_purchased', 'transaction_created', 'transaction_created']);
    const created = events.find((e) => e.event === 'batch_created');
    expect(created).toMatchObject({ test: true, data: { object_id: id, object_status: 'VALID' } });
    const purchased = events.find((e) => e.event === 'batch_purchased');
    expect(purchased.data).toMatchObject({ object_id: id, object_status: 'PURCHASED', label_url: [expect.any(String)] });
    const transactions = events.filter((e) => e.event === 'transaction_created');
    for (const t of transactions) {
      expect(unsigned(t.data)).toEqual(unsigned((await acme.get(`/transactions/${t.data.object_id}`)).body));
      expect(t.data.label_url).toMatch(/\/files\/.*signature=/);
      expect(t.data).toMatchObject({ status: 'SUCCESS', tracking_number: expect.any(String) });
    }
    // One delivery id each, never reused across deliveries.
    expect(new Set(got.map((d) => d.headers['webhook-id'])).size).toBe(4);
    expect(() => verified(all.secret, { ...got[0], raw: got[0].raw.replace('"test":true', '"test":false') })).toThrow();
    const log = await eventually(() => deliveries(acme, all.object_id), (r) => r.length === 4 && r.every((d) => d.status === 'succeeded'));
    expect(log[0]).toMatchObject({ attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null, object_id: expect.stringMatching(/^msg_/) });
    const only = await eventually(async () => receiver.at('/purchased'), (r) => r.length >= 1);
    expect(only.map((d) => verified(purchasedOnly.secret, d).event)).toEqual(['batch_purchased']);
    // A void is a transaction_updated, with the transaction as it is now.
    const label = (await acme.get(`/v2/labels?batch_id=${id}`)).body.labels[0];
    expect((await acme.put(`/v2/labels/${label.label_id}/void`)).body.approved).toBe(true);
    const updated = await eventually(async () => receiver.at('/all').map((d) => verified(all.secret, d)), (r) => r.some((e) => e.event === 'transaction_updated'));
    const voided = updated.find((e) => e.event === 'transaction_updated');
    expect(unsigned(voided.data)).toEqual(unsigned((await acme.get(`/transactions/${voided.data.object_id}`)).body));
    expect(voided.data.tracking_number).toBe(label.tracking_number);
  });

  it('retries a failing receiver with the same webhook-id until it answers 2xx, and redelivers on request', async () => {
    const acme = await tenant('flaky');
    receiver.answer('/flaky', (n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 503 } : { status: 200 }));
    const flaky = await hook(acme, '/flaky', 'batch_created');
    await batch(acme, 1, false);
    const got = await eventually(async () => receiver.at('/flaky'), (r) => r.length >= 3);
    expect(new Set(got.map((d) => d.headers['webhook-id'])).size).toBe(1);
    expect(new Set(got.map((d) => d.raw)).size).toBe(1);
    const [delivery] = await eventually(() => deliveries(acme, flaky.object_id), (r) => r[0]?.status === 'succeeded');
    expect(delivery).toMatchObject({ event: 'batch_created', attempts: 3, last_status_code: 200 });
    const history = (await acme.get(`/webhooks/${flaky.object_id}/deliveries/${delivery.object_id}`)).body.attempt_history;
    expect(history.map((a: any) => [a.outcome, a.status_code])).toEqual([['failed', 500], ['failed', 503], ['succeeded', 200]]);
    expect(history[0]).toMatchObject({ error: expect.stringContaining('500'), attempted_at: expect.any(String), duration_ms: expect.any(Number) });
    expect(new Date(history[1].attempted_at) >= new Date(history[0].attempted_at)).toBe(true);
    const again = await acme.post(`/webhooks/${flaky.object_id}/deliveries/${delivery.object_id}/redeliver`);
    expect(again.status).toBe(202);
    const four = await eventually(async () => receiver.at('/flaky'), (r) => r.length >= 4);
    expect(four[3].headers['webhook-id']).toBe(delivery.object_id);
    expect(verified(flaky.secret, four[3]).event).toBe('batch_created');
  });

  it('a receiver failing the first three attempts of every delivery gets each event on its 4th attempt, each delivery on its own schedule', async () => {
    const acme = await tenant('restarting');
    // 500 to the first three requests of each delivery (by webhook-id), whatever else is pending.
    receiver.answer('/restarting', (_n, request) => ({ status: receiver.ofDelivery('/restarting', String(request.headers['webhook-id'])).length <= 3 ? 500 : 200 }));
    const restarting = await hook(acme, '/restarting');
    await batch(acme, 3);
    // batch_created, three transaction_created, batch_purchased: each delivered, none given up.
    const log = await eventually(() => deliveries(acme, restarting.object_id), (r) => r.length === 5 && r.every((d) => d.status !== 'pending'), { attempts: 300 });
    expect(log.map((d) => [d.status, d.attempts, d.last_status_code])).toEqual(log.map(() => ['succeeded', 4, 200]));
    expect(log.map((d) => d.event).sort()).toEqual(['batch_created', 'batch_purchased', 'transaction_created', 'transaction_created', 'transaction_created']);
    for (const d of log) {
      const sent = receiver.ofDelivery('/restarting', d.object_id);
      expect(sent).toHaveLength(4);
      expect(new Set(sent.map((x) => x.raw)).size).toBe(1);
      const history = (await acme.get(`/webhooks/${restarting.object_id}/deliveries/${d.object_id}`)).body.attempt_history as any[];
      expect(history.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
      // Its own schedule, whatever the webhook's other deliveries did: attempt n+1 is due
      // retryDelayMs(n) after attempt n was recorded (base x 2^(n-1), minus up to 20 % jitter), so it
      // never comes sooner, and comes within a few poll intervals of its due time.
      const at = history.map((a) => Date.parse(a.attempted_at));
      for (let n = 1; n <= 3; n++) {
        const nominal = RETRY_BASE_MS * 2 ** (n - 1);
        const gap = at[n] - at[n - 1];
        expect(gap).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8) - 1);
        expect(gap).toBeLessThanOrEqual(nominal + history[n - 1].duration_ms + LATE_TOLERANCE_MS);
      }
    }
  });

  it('turns a webhook off on 410, follows no redirect, and fails a delivery whose receiver stays down past the retry window', async () => {
    const acme = await tenant('failures');
    receiver.answer('/gone', () => ({ status: 410 }));
    receiver.answer('/redirect', () => ({ status: 302, headers: { location: `${receiver.url}/target` } }));
    receiver.answer('/down', () => ({ status: 500 }));
    const gone = await hook(acme, '/gone', 'batch_created');
    const redirect = await hook(acme, '/redirect', 'batch_created');
    const down = await hook(acme, '/down', 'batch_created');
    await batch(acme, 1, false);

    const [goneDelivery] = await eventually(() => deliveries(acme, gone.object_id), (r) => r[0]?.status === 'failed');
    expect(goneDelivery).toMatchObject({ attempts: 1, last_status_code: 410 });
    expect((await acme.get(`/webhooks/${gone.object_id}`)).body).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });

    const [downDelivery] = await eventually(() => deliveries(acme, down.object_id), (r) => r[0]?.status === 'failed', { attempts: 300 });
    expect(downDelivery.attempts).toBeGreaterThanOrEqual(3);
    expect(downDelivery).toMatchObject({ last_status_code: 500, next_attempt_at: null });

    const [redirected] = await eventually(() => deliveries(acme, redirect.object_id), (r) => r[0]?.status === 'failed', { attempts: 300 });
    expect(redirected).toMatchObject({ last_status_code: 302, last_error: expect.stringMatching(/redirect/) });
    expect(receiver.at('/target')).toEqual([]);
    // A disabled webhook receives nothing more.
    const before = receiver.at('/gone').length;
    await batch(acme, 1, false);
    await eventually(() => deliveries(acme, down.object_id), (r) => r.length === 2);
    expect(receiver.at('/gone').length).toBe(before);
  });

  it('probes a receiver that cannot be reached (one connection a round, not one per event), every delivery still on its own schedule, holding back no other webhook', async () => {
    const acme = await tenant('down-and-up');
    const down = await new UnreachableReceiver().start();
    try {
      const dead = await acme.post('/webhooks', { url: `${down.url}/dead`, event: 'transaction_created', is_test: true });
      expect(dead.status).toBe(201);
      const alive = await hook(acme, '/alive', 'transaction_created');
      const n = 40;
      await batch(acme, n);
      const got = await eventually(async () => receiver.at('/alive'), (r) => r.length >= n);
      expect(new Set(got.map((d) => verified(alive.secret, d).data.object_id)).size).toBe(n);
      // Every delivery to the unreachable receiver ends failed once its (4 s) window has passed...
      const log = await eventually(() => deliveries(acme, dead.body.object_id), (r) => r.length === n && r.every((d) => d.status === 'failed'), { attempts: 300 });
      const histories = await Promise.all(
        log.map(async (d) => (await acme.get(`/webhooks/${dead.body.object_id}/deliveries/${d.object_id}`)).body.attempt_history as any[]),
      );
      // ...after the attempts of its own schedule (nominally at 0, 0.2, 0.6, 1.4 and 3 s, then one
      // past the window), whatever the others did...
      for (const h of histories) expect(h.length).toBeGreaterThanOrEqual(4);
      const all = histories.flat();
      // ...most of them recorded without being sent: after a round got no answer, one delivery a
      // round probes the receiver and the others due with it are recorded as not sent. Each
      // attempt that went out is one connection.
      const sent = all.filter((a) => !String(a.error).startsWith('not sent'));
      expect(sent.every((a) => a.outcome === 'failed' && a.status_code === null && a.error === 'connection reset')).toBe(true);
      expect(down.connections).toBe(sent.length);
      expect(sent.length).toBeLessThan(all.length / 2);
      const notSent = all.filter((a) => String(a.error).startsWith('not sent'));
      expect(notSent.every((a) => a.outcome === 'failed' && a.status_code === null && a.duration_ms === 0)).toBe(true);
      expect(notSent[0].error).toMatch(/^not sent: the receiver could not be reached \(connection reset, delivery msg_[0-9a-f]{32}\)$/);
      expect(receiver.at('/alive')).toHaveLength(n);
    } finally {
      await down.close();
    }
  });

  it("works with the official shippo SDK's webhook calls", async () => {
    const res = await anon.post('/admin/tenants', { name: 'sdk' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    const shippo = new Shippo({ apiKeyHeader: `ShippoToken ${res.body.api_key}`, serverURL: h.baseUrl });
    const created = await shippo.webhooks.createWebhook({ url: `${receiver.url}/sdk`, event: 'batch_purchased', isTest: true, active: true });
    expect(created).toMatchObject({ url: `${receiver.url}/sdk`, event: 'batch_purchased', isTest: true, active: true, objectId: expect.any(String) });
    expect(created.objectCreated).toBeInstanceOf(Date);
    const id = created.objectId as string;
    expect((await shippo.webhooks.getWebhook(id)).event).toBe('batch_purchased');
    const list = await shippo.webhooks.listWebhooks();
    expect(list.results?.map((w) => w.objectId)).toEqual([id]);
    const updated = await shippo.webhooks.updateWebhook({ url: `${receiver.url}/sdk`, event: 'all', active: false }, id);
    expect(updated).toMatchObject({ event: 'all', active: false });
    await shippo.webhooks.deleteWebhook(id);
    await expect(shippo.webhooks.getWebhook(id)).rejects.toThrow();
  });
});

/**
 * Scale-out with only child worker processes: the one sending a delivery is killed (SIGKILL)
 * while the receiver holds the request; the delivery's lease runs out and another worker sends
 * it again, with the same webhook-id (at least once; the receiver dedupes by it).
 */
describe('webhooks, scale-out: a worker killed mid-delivery', () => {
  let h: Harness;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await startScaleOut({ env: { ...ENV, WEBHOOK_TIMEOUT_MS: '2000' }, inProcessWorker: false, childWorkers: 1 });
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('sends the delivery again from another worker, with the same webhook-id, and records one successful attempt', async () => {
    const anon = new Client(h.baseUrl);
    const acme = anon.withKey((await anon.post('/admin/tenants', { name: 'killed' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
    receiver.answer('/killed', (n) => (n === 1 ? 'hang' : { status: 200 }));
    const hook = (await acme.post('/webhooks', { url: `${receiver.url}/killed`, event: 'batch_created', is_test: true })).body;
    const account = (await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock', parameters: {} })).body.object_id;
    await acme.post('/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: [{ shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } }],
    });
    // The only worker is waiting for the receiver's answer: it dies now.
    await eventually(async () => receiver.at('/killed').length, (n) => n === 1);
    const [victim] = h.children;
    await victim.kill();
    await h.spawnWorker();
    const both = await eventually(async () => receiver.at('/killed'), (r) => r.length >= 2, { attempts: 600 });
    expect(both[1].headers['webhook-id']).toBe(both[0].headers['webhook-id']);
    expect(both[1].raw).toBe(both[0].raw);
    expect(verified(hook.secret, both[1]).event).toBe('batch_created');
    const [delivery] = await eventually(async () => (await acme.get(`/webhooks/${hook.object_id}/deliveries`)).body.results, (r: any[]) => r[0]?.status === 'succeeded');
    // The killed attempt was never recorded: one attempt, the one that succeeded.
    expect(delivery).toMatchObject({ attempts: 1, last_status_code: 200, object_id: both[0].headers['webhook-id'] });
  });
});
