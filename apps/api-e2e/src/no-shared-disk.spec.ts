import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startTestS3, type TestS3, tempDir } from '@shipbatch/platform/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };
/** More than one merged file's worth (100 labels a file): two files, of 100 and 20 labels. */
const SHIPMENTS = 120;

/** GET without any key, as a label printer would, with `url`'s path and query sent to `baseUrl`. */
async function downloadVia(baseUrl: string, url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const { pathname, search } = new URL(url);
  const res = await fetch(`${baseUrl}${pathname}${search}`);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

/** Every file (not folder) under `dir`, relative paths. */
function filesUnder(dir: string, at = ''): string[] {
  return readdirSync(join(dir, at), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(at, e.name)) : [join(at, e.name)]));
}

/**
 * Scale-out across machines: two API processes and two worker processes, each with its own
 * DATA_DIR (no disk shared), label files in an S3-compatible bucket (FILE_STORAGE=s3, a test
 * s3rver). Every label and merged file of a purchased batch downloads through either API process.
 */
describe('scale-out without a shared disk (FILE_STORAGE=s3)', () => {
  let s3: TestS3;
  let h: Harness;
  let apis: string[];
  let dataDirs: string[];
  let acme: Client;
  let apiKey: string;
  const savedEnv = { AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'], AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] };

  beforeAll(async () => {
    s3 = await startTestS3('shipbatch-e2e');
    // The SDK's usual credential chain: the environment, for the API in this process and the children alike.
    const credentials = { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey };
    Object.assign(process.env, credentials);
    const storage = { FILE_STORAGE: 's3', S3_BUCKET: s3.bucket, S3_PREFIX: 'e2e/labels', S3_ENDPOINT: s3.endpoint, S3_FORCE_PATH_STYLE: '1', ...credentials };
    // The first API runs in this process (its DATA_DIR the harness's); the rest are processes of their own.
    h = await startScaleOut({ env: storage, inProcessWorker: false });
    dataDirs = [tempDir('shipbatch-api2-'), tempDir('shipbatch-worker1-'), tempDir('shipbatch-worker2-')];
    const second = await h.spawnApi({ DATA_DIR: dataDirs[0] });
    await h.spawnWorker({ DATA_DIR: dataDirs[1] });
    await h.spawnWorker({ DATA_DIR: dataDirs[2] });
    apis = [h.baseUrl, second.baseUrl];
    const anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(tenant.status).toBe(201);
    apiKey = tenant.body.api_key;
    acme = anon.withKey(apiKey);
  });

  afterAll(async () => {
    await h?.close();
    await s3?.close();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('buys a batch whose every label and merged file downloads through either API process, the same bytes', async () => {
    const account = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'acct-usps', parameters: { initial_balance: 100_000 } });
    expect(account.status).toBe(201);
    const created = await acme.post('/batches', {
      default_carrier_account: account.body.object_id,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: SHIPMENTS }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Customer ${i}` }, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    // Read through the second API process: both see the same batch.
    const other = new Client(apis[1], apiKey);
    expect((await eventually(() => other.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING')).body.object_status).toBe('VALID');
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await eventually(() => other.get(`/batches/${id}`), (r) => r.body.object_status !== 'PURCHASING');
    expect(done.body.object_status).toBe('PURCHASED');
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: SHIPMENTS, purchase_failed: 0 });

    // The merged files, through each API process: the same PDF, 100 and 20 labels in batch order.
    expect(done.body.label_url).toHaveLength(2);
    const tracking: string[] = [];
    for (let page = 1; ; page++) {
      const res = await acme.get(`/batches/${id}?page=${page}&object_results=purchase_succeeded`);
      for (const s of res.body.batch_shipments.results) tracking.push(s.transaction);
      if (!res.body.batch_shipments.next) break;
    }
    const transactions = await Promise.all(tracking.map(async (t) => (await acme.get(`/transactions/${t}`)).body));
    const merged: string[] = [];
    for (const url of done.body.label_url as string[]) {
      const [a, b] = await Promise.all(apis.map((api) => downloadVia(api, url)));
      expect([a.status, b.status, a.type]).toEqual([200, 200, 'application/pdf']);
      expect(b.body.equals(a.body)).toBe(true);
      merged.push(...(await readPdfLabels(a.body)).barcodes);
    }
    expect(merged).toEqual(transactions.map((t) => t.tracking_number));

    // Each label: the transaction's label_url (Shippo) and label_download (ShipStation v2), through each API.
    const labels: Array<{ tracking_number: string; label_download: { href: string } }> = [];
    for (let page = 1; ; page++) {
      const res = await acme.get(`/v2/labels?batch_id=${id}&page_size=100&page=${page}`);
      expect(res.status).toBe(200);
      labels.push(...res.body.labels);
      if (page >= res.body.pages) break;
    }
    expect(labels.map((l) => l.tracking_number).sort()).toEqual([...merged].sort());
    const byTracking = new Map(labels.map((l) => [l.tracking_number, l.label_download.href]));
    for (const t of transactions) {
      const urls = [t.label_url as string, byTracking.get(t.tracking_number) as string];
      const answers = await Promise.all(urls.flatMap((url) => apis.map((api) => downloadVia(api, url))));
      for (const f of answers) {
        expect([f.status, f.type]).toEqual([200, 'application/pdf']);
        expect(f.body.equals(answers[0].body)).toBe(true);
      }
      expect((await readPdfLabels(answers[0].body)).barcodes).toEqual([t.tracking_number]);
    }

    // The files are objects in the bucket, under S3_PREFIX; no process wrote any to its DATA_DIR.
    const objects = filesUnder(join(s3.directory, s3.bucket)).filter((f) => f.endsWith('._S3rver_object'));
    expect(objects.length).toBe(SHIPMENTS + 2);
    expect(objects.every((o) => o.startsWith('e2e/labels/'))).toBe(true);
    for (const dir of dataDirs) expect(existsSync(join(dir, 'files'))).toBe(false);
  });
});
