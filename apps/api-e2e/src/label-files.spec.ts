import { request } from 'node:http';
import { UrlSigner } from '@shipbatch/platform/config';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels, readZplLabels } from '@shipbatch/providers/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };

/** The barcode (Code 128, the tracking number) of each page of a merged PDF, in page order. */
async function barcodesOfPdf(pdf: Buffer): Promise<string[]> {
  return (await readPdfLabels(pdf)).barcodes;
}

/** GET without any API key, as a browser or a label printer would. */
async function download(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

/** GET with the path sent exactly as given (fetch would normalize dot segments). */
function rawGet(baseUrl: string, path: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('merged label files, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;

  const mockAccount = async (carrier: string, parameters: Record<string, unknown> = {}) => {
    const res = await acme.post('/carrier_accounts', { provider: 'mock', carrier, account_id: `acct-${carrier}`, parameters: { initial_balance: 100_000, ...parameters } });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const settled = (id: string, from: string) =>
    eventually(
      () => acme.get(`/batches/${id}`),
      (r) => r.body.object_status !== from,
    );

  /** Creates a batch, waits for VALID, purchases it and waits until it is no longer PURCHASING. */
  const purchasedBatch = async (body: Record<string, unknown>) => {
    const created = await acme.post('/batches', body);
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    expect((await settled(id, 'VALIDATING')).body.object_status).toBe('VALID');
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await settled(id, 'PURCHASING');
    expect(done.body.object_status).toBe('PURCHASED');
    return { id, batch: done.body };
  };

  /** Tracking numbers of the batch's bought labels, in batch order. */
  const trackingInBatchOrder = async (id: string): Promise<string[]> => {
    const numbers: string[] = [];
    for (let page = 1; ; page++) {
      const res = await acme.get(`/batches/${id}?page=${page}&object_results=purchase_succeeded`);
      for (const s of res.body.batch_shipments.results) numbers.push((await acme.get(`/transactions/${s.transaction}`)).body.tracking_number);
      if (!res.body.batch_shipments.next) return numbers;
    }
  };

  const shipments = (n: number, extra: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Customer ${i}` }, parcels: [PARCEL] }, ...extra }));

  beforeAll(async () => {
    h = await start();
    anon = new Client(h.baseUrl);
    const res = await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acme = anon.withKey(res.body.api_key);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('merges a 150-label PDF batch into files of 100 and 50 pages, in batch order, downloadable without a key', async () => {
    const account = await mockAccount('usps');
    const { id, batch } = await purchasedBatch({
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: shipments(150),
    });
    expect(batch.object_results).toMatchObject({ purchase_succeeded: 150, purchase_failed: 0 });
    expect(batch.label_url).toHaveLength(2);

    const files = await Promise.all(batch.label_url.map(download));
    for (const f of files) {
      expect(f.status).toBe(200);
      expect(f.type).toBe('application/pdf');
      expect(f.body.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const pages = await Promise.all(files.map((f) => barcodesOfPdf(f.body)));
    expect(pages.map((p) => p.length)).toEqual([100, 50]);
    expect(pages.flat()).toEqual(await trackingInBatchOrder(id));

    // The list shows the same files, signed afresh at read time.
    const listed = (await acme.get('/batches')).body.results.find((b: { object_id: string }) => b.object_id === id);
    expect(listed.label_url.map((u: string) => new URL(u).pathname)).toEqual(batch.label_url.map((u: string) => new URL(u).pathname));
  });

  it('concatenates a ZPLII batch: one ^XA ... ^XZ block per label, in batch order', async () => {
    const account = await mockAccount('ups');
    const { id, batch } = await purchasedBatch({
      default_carrier_account: account,
      default_servicelevel_token: 'ups_ground',
      label_filetype: 'ZPLII',
      batch_shipments: shipments(3),
    });
    expect(batch.label_url).toHaveLength(1);
    const file = await download(batch.label_url[0]);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/zpl');
    const blocks = file.body.toString('latin1').match(/\^XA[\s\S]*?\^XZ/g) ?? [];
    expect(blocks).toHaveLength(3);
    expect(readZplLabels(file.body).barcodes).toEqual(await trackingInBatchOrder(id));
  });

  it('makes a PNG batch one PDF with a page per label', async () => {
    const account = await mockAccount('fedex');
    const { id, batch } = await purchasedBatch({
      default_carrier_account: account,
      default_servicelevel_token: 'fedex_ground',
      label_filetype: 'PNG',
      batch_shipments: shipments(2),
    });
    expect(batch.label_url).toHaveLength(1);
    const file = await download(batch.label_url[0]);
    expect(file.type).toBe('application/pdf');
    const labels = await readPdfLabels(file.body);
    expect(labels.pageCount).toBe(2);
    // 812 x 1218 px at 203 dpi: 4 x 6 in.
    expect(labels.pages.map((p) => [Math.round(p.width), Math.round(p.height)])).toEqual([
      [288, 432],
      [288, 432],
    ]);
    expect(labels.barcodes).toEqual(await trackingInBatchOrder(id));
  });

  it('rebuilds label_url when failed shipments are purchased again', async () => {
    const good = await mockAccount('dhl_express');
    const flaky = await mockAccount('usps', { fail_rate: 1 });
    const { id, batch } = await purchasedBatch({
      default_carrier_account: good,
      default_servicelevel_token: 'dhl_express_worldwide',
      batch_shipments: [
        ...shipments(1),
        ...shipments(1, { carrier_account: flaky, servicelevel_token: 'usps_priority' }),
        ...shipments(1),
      ],
    });
    expect(batch.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 1 });
    expect(batch.label_url).toHaveLength(1);
    const before = await download(batch.label_url[0]);
    expect(await barcodesOfPdf(before.body)).toEqual(await trackingInBatchOrder(id));

    expect((await acme.put(`/carrier_accounts/${flaky}`, { parameters: { fail_rate: 0 } })).status).toBe(200);
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await settled(id, 'PURCHASING');
    expect(done.body.object_status).toBe('PURCHASED');
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    expect(done.body.label_url).toHaveLength(1);
    const after = await download(done.body.label_url[0]);
    const order = await trackingInBatchOrder(id);
    expect(order).toHaveLength(3);
    expect(await barcodesOfPdf(after.body)).toEqual(order);
    // The file it replaced is gone, never listed again.
    expect(new URL(done.body.label_url[0]).pathname).not.toBe(new URL(batch.label_url[0]).pathname);
    expect((await download(batch.label_url[0])).status).toBe(404);
  });

  it('refuses tampered, expired, unsigned and path-escaping file URLs', async () => {
    const account = await mockAccount('usps');
    const { batch } = await purchasedBatch({
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: shipments(1),
    });
    const url = new URL(batch.label_url[0]);
    expect((await download(url.toString())).status).toBe(200);

    const forged = new URL(url);
    forged.searchParams.set('signature', 'A'.repeat(43));
    expect((await download(forged.toString())).status).toBe(404);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1));
    expect((await download(later.toString())).status).toBe(404);
    expect((await download(`${url.origin}${url.pathname}`)).status).toBe(404);
    const other = new URL(url);
    other.pathname = url.pathname.replace(/\.pdf$/, '.zpl');
    expect((await download(other.toString())).status).toBe(404);

    // Correctly signed, but expired.
    const signer = h.api.get(UrlSigner);
    expect((await download(h.baseUrl + signer.sign(url.pathname, new Date(Date.now() - 1000)))).status).toBe(404);
    // Correctly signed, but leaving the file store (encoded so that no client normalizes it away).
    const escaping = signer.sign('/files/../encryption.key', new Date(Date.now() + 60_000));
    expect(await rawGet(h.baseUrl, escaping.replace('/files/../', '/files/..%2F'))).toBe(404);
    expect(await rawGet(h.baseUrl, escaping)).toBe(404);
  });
});
