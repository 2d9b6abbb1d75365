import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { freePort } from './free-port';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { WebhookReceiver } from './webhook-receiver';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };

/** One sample's value from Prometheus text: `name{labels} value`, labels given as they are written. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => inside.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('metrics and health, %s mode', (mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;
  /** Where the labels are bought: the API in embedded mode, the worker's METRICS_PORT in scale-out. */
  let workerUrl: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const metricsPort = await freePort();
    receiver = await new WebhookReceiver().start();
    h = await start({ env: { METRICS_PORT: String(metricsPort), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '100' } });
    workerUrl = mode === 'embedded' ? h.baseUrl : `http://127.0.0.1:${metricsPort}`;
    anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acme = anon.withKey(tenant.body.api_key);
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('answers /health/live and /health/ready without a key, and keeps /health', async () => {
    for (const base of [h.baseUrl, workerUrl]) {
      const live = await fetch(`${base}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      const checks = mode === 'embedded' ? { database: 'ok', migrations: 'ok' } : { database: 'ok', migrations: 'ok', redis: 'ok' };
      expect(await ready.json()).toEqual({ status: 'ok', checks });
    }
    expect((await anon.get('/health')).status).toBe(200);
  });

  it('counts a batch just bought: labels by provider, state transitions, HTTP requests by route template, queue depth, webhook backlog, process metrics', async () => {
    const account = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'acct-usps', parameters: {} });
    expect(account.status).toBe(201);
    expect((await acme.post('/webhooks', { url: `${receiver.url}/hooks`, event: 'batch_purchased', is_test: true })).status).toBe(201);
    const created = await acme.post('/batches', {
      default_carrier_account: account.body.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: [1, 2, 3].map(() => ({ shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const purchased = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'PURCHASING');
    expect(purchased.body.object_status).toBe('PURCHASED');

    const worker = await fetch(`${workerUrl}/metrics`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const workerText = await worker.text();
    expect(sample(workerText, 'shipbatch_labels_bought_total', { provider: 'mock' })).toBe(3);
    expect(sample(workerText, 'shipbatch_queue_jobs', { queue: 'purchase-shipment', state: 'waiting' })).toBe(0);
    expect(sample(workerText, 'shipbatch_queue_oldest_waiting_seconds', { queue: 'purchase-shipment' })).toBe(0);
    expect(workerText).toMatch(/^process_cpu_user_seconds_total\{process="(api|worker)"\} /m);
    // State transitions: the purchase on the API in scale-out (it handles the request), the rest where the jobs ran.
    expect(sample(workerText, 'shipbatch_shipment_transitions_total', { field: 'status', to: 'VALID' })).toBe(3);
    expect(sample(workerText, 'shipbatch_shipment_transitions_total', { field: 'purchase_state', to: 'PURCHASING' })).toBe(3);
    expect(sample(workerText, 'shipbatch_shipment_transitions_total', { field: 'purchase_state', to: 'PURCHASED' })).toBe(3);
    expect(sample(workerText, 'shipbatch_batch_transitions_total', { from: 'VALIDATING', to: 'VALID' })).toBe(1);
    expect(sample(workerText, 'shipbatch_batch_transitions_total', { from: 'PURCHASING', to: 'PURCHASED' })).toBe(1);
    // The batch_purchased webhook: delivered (its lag observed where it was sent), nothing left pending.
    const delivered = await eventually(
      async () => (await fetch(`${workerUrl}/metrics`)).text(),
      // The backlog is read at most once a second: the scrape after the delivery may still show it due.
      // Other events of the batch (one per shipment) are relayed by the outbox on its own beat: wait for them too.
      (text) =>
        /^shipbatch_webhook_delivery_lag_seconds_count\{process="(api|worker)"\} 1$/m.test(text) &&
        sample(text, 'shipbatch_webhook_deliveries_pending', { state: 'due' }) === 0 &&
        sample(text, 'shipbatch_webhook_deliveries_pending', { state: 'unrelayed' }) === 0,
    );
    expect(sample(delivered, 'shipbatch_webhook_delivery_attempts_total', { transition: 'delivered', sent: 'true' })).toBe(1);
    expect(sample(delivered, 'shipbatch_webhook_deliveries_pending', { state: 'unrelayed' })).toBe(0);

    const api = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(sample(api, 'shipbatch_http_requests_total', { method: 'POST', route: '/batches/:id/purchase', status: '202' })).toBe(1);
    expect(sample(api, 'shipbatch_http_requests_total', { method: 'GET', route: '/batches/:id', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(sample(api, 'shipbatch_http_request_duration_seconds_count', { method: 'POST', route: '/batches', status: '201' })).toBe(1);
    expect(sample(api, 'shipbatch_batch_transitions_total', { from: 'none', to: 'VALIDATING' })).toBe(1);
    expect(sample(api, 'shipbatch_batch_transitions_total', { from: 'VALID', to: 'PURCHASING' })).toBe(1);
    expect(sample(api, 'shipbatch_shipment_transitions_total', { field: 'purchase_state', to: 'QUEUED' })).toBe(3);
    expect(sample(api, 'shipbatch_webhook_deliveries_pending', { state: 'scheduled' })).toBe(0);
    // Never a raw path: no batch id in any label.
    expect(api).not.toContain(id);
    expect(workerText).not.toContain(id);
  });
});
