// The README walk-through written against a client generated from /docs-json, as an integrator
// would: `openapi-typescript` makes `./schema` (types only, written next to a copy of this file
// at test time, never committed) and `openapi-fetch` calls the API with those types.
// typed-client.spec.ts typechecks this file with `tsc --strict` (no casts, no `any`), then runs it.
// Kept out of the repository's own typecheck (tsconfig.check.json) because `./schema` exists only there.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export interface WalkthroughOptions {
  baseUrl: string;
  /** A tenant's API key. */
  key: string;
  /** An account at the fake ShipStation (its API key and carrier id). */
  shipstation: { apiKey: string; carrierId: string };
  /** An account at the fake Shippo (its token and carrier account object id). */
  shippo: { token: string; carrierAccount: string };
  /** Where webhook deliveries go (http, so the webhook is a test one). */
  webhookUrl: string;
  /** The caller's own id for the first shipment (unique per tenant). */
  order: string;
  log?: (line: string) => void;
  /** The fetch calls go through (default: the global one). */
  fetch?: (input: Request) => Promise<Response>;
  /** How long to wait for each state change (default 120 s). */
  waitMs?: number;
}

export interface WalkthroughResult {
  batch: Schemas['Batch'];
  label: Schemas['Label'];
  labels: Schemas['Label'][];
  shipment: Schemas['Shipment'];
  balance: Schemas['Balance'];
  webhook: Schemas['Webhook'];
  removed: string[];
  accounts: Schemas['CarrierAccount'][];
}

/** The answer's data, or an error naming the call, its status and the error body. */
function must<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${what} answered ${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runWalkthrough(o: WalkthroughOptions): Promise<WalkthroughResult> {
  const log = o.log ?? (() => undefined);
  const api = createClient<paths>({ baseUrl: o.baseUrl, headers: { Authorization: `ShippoToken ${o.key}` }, ...(o.fetch ? { fetch: o.fetch } : {}) });

  // Carrier accounts, one of each provider, each with its own parameters.
  const mock = must('POST /carrier_accounts (mock)', await api.POST('/carrier_accounts', { body: { provider: 'mock', carrier: 'usps', account_id: 'demo', parameters: {} } }));
  const shipstation = must(
    'POST /carrier_accounts (shipstation)',
    await api.POST('/carrier_accounts', {
      body: {
        provider: 'shipstation',
        carrier: 'usps',
        account_id: o.shipstation.carrierId,
        parameters: { api_key: o.shipstation.apiKey, carrier_id: o.shipstation.carrierId, rate_limit_per_minute: 600 },
        funding: { enabled: true, min_balance: '50.00', top_up_amount: '100.00', daily_cap: '1000.00' },
      },
    }),
  );
  const shippo = must(
    'POST /carrier_accounts (shippo)',
    await api.POST('/carrier_accounts', {
      body: { provider: 'shippo', carrier: 'usps', account_id: o.shippo.carrierAccount, parameters: { api_token: o.shippo.token, carrier_account: o.shippo.carrierAccount } },
    }),
  );
  log(`carrier accounts ${mock.object_id} (${mock.provider}), ${shipstation.object_id} (${shipstation.provider}), ${shippo.object_id} (${shippo.provider})`);

  // A webhook for every event.
  const webhook = must('POST /webhooks', await api.POST('/webhooks', { body: { url: o.webhookUrl, event: 'all', is_test: true } }));
  log(`webhook ${webhook.object_id}, secret ${webhook.secret?.slice(0, 6)}...`);

  // A sender and a parcel, to use by id.
  const from = must(
    'POST /addresses',
    await api.POST('/addresses', { body: { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '+1 555 341 9393' } }),
  );
  const parcel = must('POST /parcels', await api.POST('/parcels', { body: { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' } }));

  // 1. The batch: by id and inline, on each provider; one shipment without a zip fails validation.
  const hippo = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
  const created = must(
    'POST /batches',
    await api.POST('/batches', {
      body: {
        default_carrier_account: mock.object_id,
        default_servicelevel_token: 'usps_priority',
        label_filetype: 'PDF_4x6',
        metadata: 'BATCH #170',
        batch_shipments: [
          { shipment: { address_from: from.object_id, address_to: hippo, parcel: parcel.object_id, external_shipment_id: o.order } },
          {
            shipment: {
              address_from: { name: 'Inline Sender', street1: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US', phone: '+1 555 010 0000' },
              address_to: hippo,
              parcels: [{ length: 12, width: 9, height: 3, distance_unit: 'in', weight: 1.5, mass_unit: 'lb' }],
            },
          },
          { shipment: { address_from: from.object_id, address_to: hippo, parcels: [parcel.object_id] }, carrier_account: shipstation.object_id },
          { shipment: { address_from: from.object_id, address_to: hippo, parcel: parcel.object_id }, carrier_account: shippo.object_id, servicelevel_token: 'usps_priority' },
          { shipment: { address_from: from.object_id, address_to: { name: 'No Zip', street1: '1 Main St', city: 'Austin', country: 'US' }, parcel: parcel.object_id } },
        ],
      },
    }),
  );
  log(`batch ${created.object_id} ${created.object_status}`);

  const deadline = Date.now() + (o.waitMs ?? 120_000);
  const waitFor = async (wanted: Array<Schemas['Batch']['object_status']>): Promise<Schemas['Batch']> => {
    for (;;) {
      const batch = must('GET /batches/{id}', await api.GET('/batches/{id}', { params: { path: { id: created.object_id } } }));
      if (wanted.includes(batch.object_status)) return batch;
      if (Date.now() > deadline) throw new Error(`batch ${created.object_id} still ${batch.object_status}, waited for ${wanted.join(' or ')}`);
      await sleep(250);
    }
  };
  const validated = await waitFor(['VALID', 'INVALID']);
  log(`batch validated: ${validated.object_status}`);

  // 2. Fix validation issues: find the failed shipments and remove them.
  const failed = must(
    'GET /batches/{id}?object_results=creation_failed',
    await api.GET('/batches/{id}', { params: { path: { id: created.object_id }, query: { object_results: 'creation_failed' } } }),
  );
  const removed = failed.batch_shipments.results.map((s) => s.object_id);
  for (const s of failed.batch_shipments.results) log(`failed ${s.object_id}: ${s.messages.map((m) => `${m.code}: ${m.text}`).join('; ')}`);
  if (removed.length > 0) must('PUT /batches/{id}/remove_shipments', await api.PUT('/batches/{id}/remove_shipments', { params: { path: { id: created.object_id } }, body: removed }));
  const valid = await waitFor(['VALID', 'INVALID']);
  if (valid.object_status !== 'VALID') throw new Error(`batch ${created.object_id} is ${valid.object_status} after removing its failed shipments`);

  // 3. Purchase: 202 PURCHASING at once, then PURCHASED.
  const purchasing = must('POST /batches/{id}/purchase', await api.POST('/batches/{id}/purchase', { params: { path: { id: created.object_id } } }));
  log(`purchase: ${purchasing.object_status}`);
  const batch = await waitFor(['PURCHASED']);
  log(`batch PURCHASED: ${batch.object_results.purchase_succeeded} labels, ${batch.label_url.length} merged file(s)`);

  const balance = must('GET /carrier_accounts/{id}/balance', await api.GET('/carrier_accounts/{id}/balance', { params: { path: { id: mock.object_id } } }));
  // The label, by the id the caller gave the shipment; every label of the batch, by batch_id.
  const label = must(
    'GET /v2/labels/external_shipment_id/{external_shipment_id}',
    await api.GET('/v2/labels/external_shipment_id/{external_shipment_id}', { params: { path: { external_shipment_id: o.order } } }),
  );
  const list = must('GET /v2/labels', await api.GET('/v2/labels', { params: { query: { batch_id: batch.object_id, page_size: 100 } } }));
  // The first shipment as validation stored it: its addresses as objects (or null).
  const first = batch.batch_shipments.results[0];
  if (!first?.shipment) throw new Error('the first batch shipment has no shipment id');
  const shipment = must('GET /shipments/{id}', await api.GET('/shipments/{id}', { params: { path: { id: first.shipment } } }));
  log(`label ${label.label_id} ${label.status} ${label.tracking_number}, shipment from ${shipment.address_from?.street1 ?? '(none)'}`);
  return { batch, label, labels: list.labels, shipment, balance, webhook, removed, accounts: [mock, shipstation, shippo] };
}
