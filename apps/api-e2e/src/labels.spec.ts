import { DataSource } from 'typeorm';
import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const WAREHOUSE_A = { name: 'Warehouse A', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const WAREHOUSE_B = { name: 'Warehouse B', street1: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const TO_CA = { name: 'Ms Moose', street1: '1 Yonge St', city: 'Toronto', state: 'ON', zip: 'M5E1E5', country: 'CA' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

type Label = Record<string, any>;

/** The fields of the seed's "Get Label by ID" example (003), in its order, plus external_shipment_id. */
const GET_LABEL_BY_ID_FIELDS = [
  'label_id', 'status', 'shipment_id', 'external_shipment_id', 'ship_date', 'created_at', 'shipment_cost', 'insurance_cost',
  'requested_comparison_amount', 'rate_details', 'tracking_number', 'is_return_label', 'rma_number', 'is_international',
  'batch_id', 'carrier_id', 'charge_event', 'service_code', 'package_code', 'voided', 'voided_at', 'label_format',
  'display_scheme', 'label_layout', 'trackable', 'label_image_id', 'carrier_code', 'tracking_status', 'label_download',
  'form_download', 'paperless_download', 'insurance_claim', 'packages', 'alternative_identifiers', 'tracking_url',
];

/** Order the seed lists a page in: oldest to newest, ties by label id. */
const byCreated = (a: Label, b: Label) =>
  Date.parse(a.created_at) - Date.parse(b.created_at) || (a.label_id < b.label_id ? -1 : a.label_id > b.label_id ? 1 : 0);
/** A label without its download links (signed when read, so they differ from one read to the next). */
const withoutLinks = (l: Label) => ({ ...l, label_download: null, packages: l.packages.map((p: Label) => ({ ...p, label_download: null })) });
const ids = (labels: Label[]) => labels.map((l) => l.label_id);
/** Links are absolute on PUBLIC_BASE_URL; compare what follows the host. */
const relative = (links: Record<string, { href?: string }>) =>
  Object.fromEntries(Object.entries(links).map(([k, v]) => [k, v.href ? { href: v.href.replace(/^https?:\/\/[^/]+/, '') } : {}]));

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('labels (ShipStation v2), %s mode', (mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;
  let other: Client;
  let usps: string;
  let ups: string;
  let warehouseA: string;
  let batch1: string;
  let batch2: string;
  /** Every label of acme, oldest first, as listed before any void. */
  let all: Label[];
  let otherLabel: Label;

  const newTenant = async (name: string) => {
    const res = await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    return res.body.api_key as string;
  };

  const account = async (client: Client, carrier: string, parameters: Record<string, unknown>) => {
    const res = await client.post('/carrier_accounts', { provider: 'mock', carrier, account_id: `acct-${carrier}`, parameters });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  /** Creates a batch, waits for VALID, purchases it and waits for PURCHASED. */
  const buy = async (client: Client, body: Record<string, unknown>) => {
    const created = await client.post('/batches', body);
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(valid.body.object_status).toBe('VALID');
    expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'PURCHASING');
    expect(done.body.object_status).toBe('PURCHASED');
    expect(done.body.object_results.purchase_failed).toBe(0);
    return id;
  };

  const list = async (client: Client, query: string) => {
    const res = await client.get(`/v2/labels${query ? `?${query}` : ''}`);
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    return res.body;
  };

  beforeAll(async () => {
    h = await start();
    anon = new Client(h.baseUrl);
    acme = anon.withKey(await newTenant('acme'), 'API-Key');
    other = anon.withKey(await newTenant('other'));
    usps = await account(acme, 'usps', { label_cost: 5.25, initial_balance: 1000 });
    ups = await account(acme, 'ups', { label_cost: 12.5, initial_balance: 1000 });
    warehouseA = (await acme.post('/addresses', WAREHOUSE_A)).body.object_id;

    batch1 = await buy(acme, {
      default_carrier_account: usps,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: [
        { shipment: { address_from: warehouseA, address_to: TO, parcel: PARCEL, external_shipment_id: `${mode}-ext-1`, shipment_date: '2026-12-01T00:00:00.000Z' } },
        { shipment: { address_from: warehouseA, address_to: TO, parcels: [PARCEL], external_shipment_id: `${mode}-ext-2` } },
        { shipment: { address_from: warehouseA, address_to: TO_CA, parcels: [PARCEL] }, servicelevel_token: 'usps_ground_advantage' },
      ],
    });
    batch2 = await buy(acme, {
      default_carrier_account: ups,
      default_servicelevel_token: 'ups_ground',
      label_filetype: 'ZPLII',
      batch_shipments: [
        { shipment: { address_from: WAREHOUSE_B, address_to: TO, parcels: [PARCEL] } },
        { shipment: { address_from: WAREHOUSE_B, address_to: TO, parcels: [PARCEL], external_shipment_id: `${mode}-ext-3` } },
        { shipment: { address_from: warehouseA, address_to: TO, parcels: [PARCEL] }, carrier_account: usps, servicelevel_token: 'usps_priority' },
      ],
    });
    const otherAccount = await account(other, 'usps', {});
    await buy(other, {
      default_carrier_account: otherAccount,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: [{ shipment: { address_from: WAREHOUSE_A, address_to: TO, parcels: [PARCEL], external_shipment_id: `${mode}-ext-1` } }],
    });
    all = (await list(acme, 'page_size=500&sort_dir=asc')).labels;
    otherLabel = (await list(other, '')).labels[0];
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers the seed example: the most recent completed label, with every field', async () => {
    const body = await list(acme, 'label_status=completed&page_size=1');
    expect(body).toMatchObject({ total: 6, page: 1, pages: 6 });
    expect(body.labels).toHaveLength(1);
    const newest = all[all.length - 1];
    expect(body.labels[0].label_id).toBe(newest.label_id);
    expect(Object.keys(body.labels[0])).toEqual(GET_LABEL_BY_ID_FIELDS);
    const link = (page: number) => ({ href: `/v2/labels?label_status=completed&page=${page}&page_size=1` });
    expect(relative(body.links)).toEqual({ first: link(1), last: link(6), prev: {}, next: link(2) });
  });

  it('renders labels as ShipStation does, with download links signed at read time', async () => {
    expect(all).toHaveLength(6);
    expect([...all].sort(byCreated).map((l) => l.label_id)).toEqual(ids(all));

    const first = (await acme.get(`/v2/labels/external_shipment_id/${mode}-ext-1`)).body;
    expect(first).toMatchObject({
      status: 'completed',
      external_shipment_id: `${mode}-ext-1`,
      ship_date: '2026-12-01T00:00:00.000Z',
      shipment_cost: { currency: 'usd', amount: 5.25 },
      insurance_cost: { currency: 'usd', amount: 0 },
      rate_details: [{ rate_detail_type: 'shipping', amount: { currency: 'usd', amount: 5.25 } }],
      is_return_label: false,
      is_international: false,
      batch_id: batch1,
      carrier_id: usps,
      carrier_code: 'usps',
      service_code: 'usps_priority',
      package_code: 'package',
      voided: false,
      voided_at: null,
      label_format: 'pdf',
      label_layout: '4x6',
      tracking_status: 'unknown',
      form_download: null,
      insurance_claim: null,
    });
    expect(first.tracking_number).toMatch(/^\d{22}$/);
    expect(Object.keys(first.label_download).sort()).toEqual(['href', 'pdf']);
    expect(first.label_download.href).toBe(first.label_download.pdf);
    expect(first.label_download.href).toMatch(/[?&]expires=\d+.*signature=/);
    const file = await fetch(first.label_download.href);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const intl = all.find((l) => l.service_code === 'usps_ground_advantage');
    expect(intl).toMatchObject({ is_international: true, external_shipment_id: null });

    const zpl = (await acme.get(`/v2/labels/external_shipment_id/${mode}-ext-3`)).body;
    expect(zpl).toMatchObject({ label_format: 'zpl', label_layout: '4x6', carrier_code: 'ups', carrier_id: ups, shipment_cost: { amount: 12.5 } });
    expect(Object.keys(zpl.label_download).sort()).toEqual(['href', 'zpl']);
    expect((await (await fetch(zpl.label_download.zpl)).text()).startsWith('^XA')).toBe(true);

    const byId = await acme.get(`/v2/labels/${first.label_id}`);
    expect(byId.status).toBe(200);
    expect(withoutLinks(byId.body)).toEqual(withoutLinks(first));
  });

  it("carries every field of the seed's Get Label by ID example, null where the service has no value", async () => {
    const listed = (await list(acme, 'page_size=500&sort_dir=asc')).labels.find((l: Label) => l.external_shipment_id === `${mode}-ext-1`);
    const res = await acme.get(`/v2/labels/${listed.label_id}`);
    expect(res.status).toBe(200);
    const label = res.body;
    expect(Object.keys(label)).toEqual(GET_LABEL_BY_ID_FIELDS);
    // The list shows the same label shape (links are signed when read, so compare without them).
    expect(withoutLinks(listed)).toEqual(withoutLinks(label));
    expect(label).toMatchObject({
      requested_comparison_amount: null,
      rma_number: null,
      charge_event: 'carrier_default',
      display_scheme: 'label',
      label_image_id: null,
      paperless_download: null,
      alternative_identifiers: [],
      tracking_url: null,
    });
    expect(label.packages).toEqual([
      {
        package_id: null,
        package_code: 'package',
        weight: null,
        dimensions: null,
        insured_value: { currency: 'usd', amount: 0 },
        tracking_number: label.tracking_number,
        label_download: label.label_download,
        form_download: null,
        qr_code_download: null,
        paperless_download: null,
        label_messages: { reference1: null, reference2: null, reference3: null },
        external_package_id: null,
        content_description: null,
        sequence: 1,
        has_label_documents: true,
        has_form_documents: false,
        has_qr_code_documents: false,
        has_paperless_label_documents: false,
        alternative_identifiers: [],
      },
    ]);
    expect(Object.keys(label.packages[0].label_download).sort()).toEqual(['href', 'pdf']);
    // The same through the external id route.
    const byExternal = await acme.get(`/v2/labels/external_shipment_id/${mode}-ext-1`);
    expect(Object.keys(byExternal.body)).toEqual(GET_LABEL_BY_ID_FIELDS);
  });

  it('uses the ship-from address object as warehouse_id, made from an inline address too', async () => {
    const listA = await list(acme, `warehouse_id=${warehouseA}&page_size=500`);
    expect(listA.total).toBe(4);
    expect(new Set(listA.labels.map((l: Label) => l.batch_id))).toEqual(new Set([batch1, batch2]));

    // Each inline ship-from address became an address object of its own.
    const inlineLabels = all.filter((l) => l.batch_id === batch2 && l.carrier_id === ups);
    expect(inlineLabels).toHaveLength(2);
    const warehouses = new Set<string>();
    for (const label of inlineLabels) {
      const [{ warehouse_id: b }] = await h.api.get(DataSource).query(`SELECT warehouse_id FROM labels WHERE id = $1`, [label.label_id]);
      warehouses.add(b);
      const address = await acme.get(`/addresses/${b}`);
      expect(address.status).toBe(200);
      expect(address.body).toMatchObject({ name: 'Warehouse B', street1: '1 Market St' });
      expect(ids((await list(acme, `warehouse_id=${b}`)).labels)).toEqual([label.label_id]);
    }
    expect(warehouses.size).toBe(2);
  });

  it('applies every filter alone and together', async () => {
    const expectIds = async (query: string, want: Label[]) => {
      const body = await list(acme, `${query}&page_size=500`);
      expect({ query, total: body.total, ids: ids(body.labels) }).toEqual({ query, total: want.length, ids: ids(want) });
    };
    const one = all[2];
    await expectIds('label_status=completed', all);
    await expectIds('label_status=voided', []);
    await expectIds('label_status=processing', []);
    await expectIds('label_status=error', []);
    await expectIds(`carrier_id=${usps}`, all.filter((l) => l.carrier_id === usps));
    await expectIds(`carrier_id=${ups}`, all.filter((l) => l.carrier_id === ups));
    await expectIds('service_code=usps_priority', all.filter((l) => l.service_code === 'usps_priority'));
    await expectIds(`tracking_number=${one.tracking_number}`, [one]);
    await expectIds(`batch_id=${batch1}`, all.filter((l) => l.batch_id === batch1));
    await expectIds(`batch_id=${batch2}`, all.filter((l) => l.batch_id === batch2));
    await expectIds(`created_at_start=${all[1].created_at}`, all.filter((l) => l.created_at >= all[1].created_at));
    await expectIds(`created_at_end=${all[3].created_at}`, all.filter((l) => l.created_at <= all[3].created_at));
    await expectIds(
      `created_at_start=${all[1].created_at}&created_at_end=${all[4].created_at}`,
      all.filter((l) => l.created_at >= all[1].created_at && l.created_at <= all[4].created_at),
    );
    await expectIds('created_at_end=2000-01-01T00:00:00Z', []);
    await expectIds(
      `batch_id=${batch2}&carrier_id=${usps}&service_code=usps_priority&label_status=completed`,
      all.filter((l) => l.batch_id === batch2 && l.carrier_id === usps),
    );
    await expectIds(
      `carrier_id=${usps}&warehouse_id=${warehouseA}&created_at_start=${all[0].created_at}`,
      all.filter((l) => l.carrier_id === usps),
    );
    await expectIds(`carrier_id=${otherLabel.carrier_id}`, []);
    await expectIds(`tracking_number=${otherLabel.tracking_number}`, []);
  });

  it('pages as the seed says: sort_dir picks the oldest or newest part, each page oldest to newest', async () => {
    const desc1 = await list(acme, 'page_size=4');
    expect(ids(desc1.labels)).toEqual(ids(all.slice(2)));
    expect(desc1).toMatchObject({ total: 6, page: 1, pages: 2 });
    const desc2 = await list(acme, 'page_size=4&page=2');
    expect(ids(desc2.labels)).toEqual(ids(all.slice(0, 2)));
    const asc1 = await list(acme, 'page_size=4&sort_dir=asc');
    expect(ids(asc1.labels)).toEqual(ids(all.slice(0, 4)));
    const asc2 = await list(acme, 'page_size=4&sort_dir=asc&page=2');
    expect(ids(asc2.labels)).toEqual(ids(all.slice(4)));
    expect(ids((await list(acme, 'page_size=1')).labels)).toEqual([all[5].label_id]);
    expect(ids((await list(acme, 'page_size=1&sort_dir=asc')).labels)).toEqual([all[0].label_id]);
    expect(ids((await list(acme, '')).labels)).toEqual(ids(all)); // defaults: 25 a page, desc

    const past = await list(acme, 'page_size=4&page=3');
    expect(past).toMatchObject({ labels: [], total: 6, page: 3, pages: 2 });
    expect(past.links.next).toEqual({});

    const mid = await list(acme, `page_size=2&page=2&sort_dir=asc&batch_id=${batch1}&sort_by=created_at`);
    const href = (page: number) => ({
      href: `/v2/labels?batch_id=${batch1}&page=${page}&page_size=2&sort_dir=asc&sort_by=created_at`,
    });
    expect(relative(mid.links)).toEqual({ first: href(1), last: href(2), prev: href(1), next: {} });
    const followed = await acme.get(mid.links.prev.href);
    expect(ids(followed.body.labels)).toEqual(ids(all.filter((l) => l.batch_id === batch1).slice(0, 2)));
  });

  it('voids through the provider: voided, voided_at, modified_at order; again is harmless', async () => {
    const target = all.filter((l) => l.carrier_id === usps)[1];
    const voided = await acme.put(`/v2/labels/${target.label_id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({ approved: true, message: expect.any(String) });
    const after = (await acme.get(`/v2/labels/${target.label_id}`)).body;
    expect(after).toMatchObject({ status: 'voided', voided: true });
    expect(Date.parse(after.voided_at)).toBeGreaterThanOrEqual(Date.parse(target.created_at));

    const again = await acme.put(`/v2/labels/${target.label_id}/void`);
    expect(again.body).toMatchObject({ approved: true });
    expect((await acme.get(`/v2/labels/${target.label_id}`)).body.voided_at).toBe(after.voided_at);
    // The mock refunded the label once: 6 labels were sold on the two accounts, one came back.
    expect((await acme.get(`/carrier_accounts/${usps}/balance`)).body.amount).toBe(1000 - 4 * 5.25 + 5.25);

    expect(ids((await list(acme, 'label_status=voided')).labels)).toEqual([target.label_id]);
    expect((await list(acme, 'label_status=completed')).total).toBe(5);
    // Voiding changed modified_at: newest by modified_at is the voided label, by created_at it is not.
    expect(ids((await list(acme, 'sort_by=modified_at&page_size=1')).labels)).toEqual([target.label_id]);
    expect(ids((await list(acme, 'sort_by=created_at&page_size=1')).labels)).toEqual([all[5].label_id]);
    expect(ids((await list(acme, 'sort_by=modified_at&sort_dir=asc&page_size=5')).labels)).toEqual(
      ids(all.filter((l) => l.label_id !== target.label_id)),
    );
  });

  it('answers approved: false with the provider refusal, and changes nothing', async () => {
    const target = all.find((l) => l.carrier_id === ups) as Label;
    // The label was voided at the carrier behind the service's back: the provider refuses.
    const db = h.api.get(DataSource);
    const [row] = await db.query(`SELECT carrier_account_id, provider_label_id FROM labels WHERE id = $1`, [target.label_id]);
    const [acct] = await db.query(`SELECT carrier FROM carrier_accounts WHERE id = $1`, [row.carrier_account_id]);
    const { ProviderRegistry } = await import('@shipbatch/providers/registry');
    const { SQL_CLIENT } = await import('@shipbatch/providers/runtime');
    const provider = new ProviderRegistry().instanceFor(
      { id: row.carrier_account_id, provider: 'mock', carrier: acct.carrier, parameters: {}, test: false },
      { sql: h.api.get(SQL_CLIENT) },
    );
    expect((await provider.voidLabel?.(row.provider_label_id))?.approved).toBe(true);

    const refused = await acme.put(`/v2/labels/${target.label_id}/void`);
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ approved: false, message: expect.stringMatching(/already voided/) });
    expect((await acme.get(`/v2/labels/${target.label_id}`)).body).toMatchObject({ status: 'completed', voided: false, voided_at: null });
  });

  it('rejects bad query values with 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['label_status=shipped', 'label_status'],
      ['page_size=0', 'page_size'],
      ['page_size=501', 'page_size'],
      ['page_size=ten', 'page_size'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['created_at_start=yesterday', 'created_at_start'],
      ['created_at_end=2026-02-30T00:00:00Z', 'created_at_end'],
      ['sort_by=price', 'sort_by'],
      ['sort_dir=up', 'sort_dir'],
      ['batch_id=a&batch_id=b', 'batch_id'],
    ];
    for (const [query, field] of cases) {
      const res = await acme.get(`/v2/labels?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.request_id).toEqual(expect.any(String));
      expect(res.body.errors[0]).toMatchObject({ error_source: 'shipbatch', error_type: 'validation', field_name: field });
    }
    expect((await anon.get('/v2/labels')).status).toBe(401);
  });

  it("never shows another tenant's labels", async () => {
    const theirs = await list(other, 'page_size=500');
    expect(theirs.total).toBe(1);
    expect(ids(theirs.labels)).toEqual([otherLabel.label_id]);
    for (const l of all) {
      const res = await other.get(`/v2/labels/${l.label_id}`);
      expect(res.status).toBe(404);
      expect(res.body.errors[0]).toMatchObject({ error_source: 'shipbatch', error_type: 'validation' });
      expect((await other.put(`/v2/labels/${l.label_id}/void`)).status).toBe(404);
    }
    expect((await acme.get(`/v2/labels/${otherLabel.label_id}`)).status).toBe(404);
    expect((await acme.get('/v2/labels/ffffffffffffffffffffffffffffffff')).status).toBe(404);
    // Both tenants used the same external_shipment_id: each sees only its own label.
    expect((await other.get(`/v2/labels/external_shipment_id/${mode}-ext-1`)).body.label_id).toBe(otherLabel.label_id);
    expect((await acme.get(`/v2/labels/external_shipment_id/${mode}-ext-1`)).body.label_id).not.toBe(otherLabel.label_id);
    expect((await other.get(`/v2/labels/external_shipment_id/${mode}-ext-2`)).status).toBe(404);
    expect((await list(acme, `batch_id=${otherLabel.batch_id}`)).total).toBe(0);
  });
});
