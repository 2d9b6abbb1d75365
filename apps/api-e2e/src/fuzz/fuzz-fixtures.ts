import type { OperationInput } from './fuzz-cases';

/**
 * The objects a fuzz run starts from (a tenant, a carrier account on the mock provider, an
 * address, a parcel, a webhook, a purchased batch and a VALID one) and a valid request of each
 * route that uses them: the fuzzer changes one thing at a time from these, so most malformed
 * requests get past authentication and the router to the code that reads them.
 */
export interface Fixtures {
  tenantKey: string;
  inputs: Record<string, OperationInput>;
}

const FROM = { name: 'Fuzz Warehouse', company: 'Fuzz', street1: '215 Clayton St.', street2: 'Unit 1', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '+1 555 341 9393', email: 'ops@example.com', is_residential: false, metadata: 'from' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb', metadata: 'box' };

async function call(baseUrl: string, method: string, path: string, auth: string | undefined, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (auth) headers['Authorization'] = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`fuzz fixtures: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fuzz fixtures: ${what} never happened`);
}

/**
 * Makes the fixtures. `adminToken` makes a tenant of the run's own; without it `tenantKey`
 * must be given. `webhookUrl` must be one the service accepts (it is never reached: deliveries
 * may fail).
 */
export async function makeFixtures(
  baseUrl: string,
  options: { adminToken?: string; tenantKey?: string; webhookUrl?: string },
): Promise<Fixtures> {
  const tenant = options.adminToken
    ? await call(baseUrl, 'POST', '/admin/tenants', `Bearer ${options.adminToken}`, { name: `fuzz-${Date.now()}` })
    : undefined;
  const tenantKey: string | undefined = tenant?.api_key ?? options.tenantKey;
  if (!tenantKey) throw new Error('fuzz fixtures: give an admin token or a tenant key');
  const auth = `ShippoToken ${tenantKey}`;
  const api = (method: string, path: string, body?: unknown) => call(baseUrl, method, path, auth, body);

  const account = (await api('POST', '/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'fuzz', parameters: {} })).object_id as string;
  const address = (await api('POST', '/addresses', FROM)).object_id as string;
  const parcel = (await api('POST', '/parcels', PARCEL)).object_id as string;
  const webhookUrl = options.webhookUrl ?? 'http://127.0.0.1:9/fuzz';
  const webhook = (await api('POST', '/webhooks', { url: webhookUrl, event: 'all', is_test: true }).catch(() => undefined))?.object_id as string | undefined;

  const shipment = (i: number) => ({
    shipment: { address_from: address, address_to: { ...TO, name: `Customer ${i}` }, parcels: [parcel], metadata: `order ${i}` },
  });
  const batchOf = async (n: number) => {
    const created = await api('POST', '/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: Array.from({ length: n }, (_, i) => shipment(i)),
    });
    const id = created.object_id as string;
    await until(() => api('GET', `/batches/${id}`), (b) => b.object_status !== 'VALIDATING', `batch ${id} validated`);
    return id;
  };

  // A purchased batch: its transaction, label, shipment and label file.
  const bought = await batchOf(1);
  await api('POST', `/batches/${bought}/purchase`);
  const done = await until(() => api('GET', `/batches/${bought}`), (b) => b.object_status !== 'PURCHASING', 'the purchase');
  const first = done.batch_shipments.results[0];
  const transaction = await api('GET', `/transactions/${first.transaction}`);
  const labels = await api('GET', `/v2/labels?batch_id=${bought}`);
  const label = labels.labels[0];
  const file = new URL(transaction.label_url as string);
  const deliveries = webhook ? await api('GET', `/webhooks/${webhook}/deliveries`) : { results: [] };

  // A VALID batch to add to, remove from and purchase.
  const open = await batchOf(3);
  const openShipments = (await api('GET', `/batches/${open}`)).batch_shipments.results.map((s: { object_id: string }) => s.object_id) as string[];

  const funding = { enabled: false, min_balance: 100, top_up_amount: '500.00', daily_cap: 2000 };
  const batchShipment = {
    shipment: {
      object_purpose: 'PURCHASE',
      address_from: FROM,
      address_to: TO,
      address_return: address,
      parcels: [PARCEL, parcel],
      shipment_date: '2030-01-01T00:00:00Z',
      metadata: 'order',
      external_shipment_id: `fuzz-${Date.now()}`,
    },
    carrier_account: account,
    servicelevel_token: 'usps_priority',
    metadata: 'line',
  };
  const inputs: Record<string, OperationInput> = {
    'POST /admin/tenants': { body: { name: 'fuzz-tenant' } },
    '/admin/tenants/{tenantId}/api_keys': { path: { tenantId: tenant?.tenant_id ?? 'unknown' } },
    'POST /local/api_keys': { body: { tenant: 'fuzz-nobody' } },
    'POST /batches': {
      body: {
        default_carrier_account: account,
        default_servicelevel_token: 'usps_priority',
        label_filetype: 'PDF_4x6',
        metadata: 'fuzz',
        batch_shipments: [batchShipment, { shipment: { address_from: address, address_to: TO, parcel: PARCEL } }],
      },
    },
    '/batches/{id}': { path: { id: open }, query: { page: '1', object_results: 'creation_succeeded' } },
    'POST /batches/{id}/add_shipments': { body: [batchShipment] },
    'POST /batches/{id}/remove_shipments': { body: [openShipments[0]] },
    'PUT /batches/{id}/remove_shipments': { body: [openShipments[1]] },
    '/batches/{id}/add_shipments': { path: { id: open } },
    '/batches/{id}/remove_shipments': { path: { id: open } },
    '/batches/{id}/purchase': { path: { id: open } },
    'GET /batches': { query: { page: '1', results: '10' } },
    'POST /addresses': { body: FROM },
    'GET /addresses': { query: { page: '1', results: '5' } },
    '/addresses/{id}': { path: { id: address } },
    'POST /parcels': { body: PARCEL },
    'GET /parcels': { query: { page: '1', results: '5' } },
    '/parcels/{id}': { path: { id: parcel } },
    'POST /carrier_accounts': {
      body: { provider: 'mock', carrier: 'usps', account_id: 'fuzz-2', parameters: { initial_balance: 100, latency_ms: 0 }, active: true, test: true, metadata: 'm', funding },
    },
    'GET /carrier_accounts': { query: { page: '1', results: '5', carrier: 'usps', account_id: 'fuzz' } },
    '/carrier_accounts/{id}': { path: { id: account } },
    'PUT /carrier_accounts/{id}': { body: { parameters: { label_cost: 5 }, active: true, metadata: 'm', funding } },
    '/carrier_accounts/{id}/balance': { path: { id: account } },
    '/carrier_accounts/{id}/add_funds': { path: { id: account }, body: { amount: '5.00', currency: 'usd' } },
    '/carrier_accounts/{id}/funding_events': { path: { id: account }, query: { page: '1', results: '5' } },
    'GET /shipments': { query: { page: '1', results: '5' } },
    '/shipments/{id}': { path: { id: first.shipment } },
    'GET /transactions': { query: { page: '1', results: '5', object_status: 'SUCCESS', tracking_status: 'UNKNOWN' } },
    '/transactions/{id}': { path: { id: first.transaction } },
    '/files/{path}': {
      path: { path: decodeURIComponent(file.pathname.replace(/^\/files\//, '')) },
      query: Object.fromEntries(file.searchParams),
    },
    'GET /v2/labels': {
      query: { label_status: 'completed', batch_id: bought, page: '1', page_size: '25', sort_dir: 'desc', sort_by: 'created_at', created_at_start: '2000-01-01T00:00:00Z' },
    },
    '/v2/labels/external_shipment_id/{external_shipment_id}': { path: { external_shipment_id: label.external_shipment_id ?? 'none' } },
    '/v2/labels/{label_id}': { path: { label_id: label.label_id } },
    '/v2/labels/{label_id}/void': { path: { label_id: label.label_id } },
    'POST /webhooks': { body: { url: webhookUrl, event: 'all', is_test: true, active: false } },
    'GET /webhooks': { query: { page: '1', results: '5' } },
    '/webhooks/{id}': { path: { id: webhook ?? 'none' } },
    'PUT /webhooks/{id}': { body: { url: webhookUrl, event: 'all', is_test: true, active: true } },
    '/webhooks/{id}/deliveries': { path: { id: webhook ?? 'none' }, query: { page: '1', results: '5' } },
    '/webhooks/{id}/deliveries/{deliveryId}': { path: { id: webhook ?? 'none', deliveryId: deliveries.results[0]?.object_id ?? 'none' } },
    '/webhooks/{id}/deliveries/{deliveryId}/redeliver': { path: { id: webhook ?? 'none', deliveryId: deliveries.results[0]?.object_id ?? 'none' } },
  };
  return { tenantKey, inputs };
}
