import { decodePngBarcode, readPdfLabels, readZplLabels } from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from './fake-shipstation';
import { aShipStationLabelRequest, aShipStationRateEstimateRequest, aShipStationShipTo } from './shipstation-request.fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'key-alpha';

describe('fake ShipStation (API v2)', () => {
  let fake: FakeShipStation;

  const call = async (method: string, path: string, body?: unknown, apiKey: string | null = KEY): Promise<{ status: number; headers: Headers; json: Json }> => {
    const headers: Record<string, string> = {};
    if (apiKey !== null) headers['API-Key'] = apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${fake.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  const buy = (input: Parameters<typeof aShipStationLabelRequest>[0] = {}, apiKey = KEY) => call('POST', '/v2/labels', aShipStationLabelRequest(input), apiKey);

  beforeEach(async () => {
    fake = await startFakeShipStation({
      accounts: [{ apiKey: KEY, carriers: [{ carrierId: 'se-123', balance: 100 }, { carrierId: 'se-456', carrierCode: 'ups', services: ['ups_ground'] }] }],
    });
    fake.addAccount({ apiKey: 'key-beta', carriers: [{ carrierId: 'se-789', carrierCode: 'fedex', balance: 50 }] });
  });

  afterEach(() => fake.close());

  it('answers 401 in ShipStation error shape without an API-Key or with an unknown one', async () => {
    for (const key of [null, 'key-unknown']) {
      const res = await call('GET', '/v2/carriers/se-123', undefined, key);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ request_id: expect.any(String), errors: [{ error_source: 'shipengine', error_type: 'security', error_code: 'unauthorized', message: expect.stringContaining('API') }] });
    }
    expect(fake.violations()).toEqual([]);
  });

  it('sells a label: prices it, debits the balance, records the sale and answers the label', async () => {
    const res = await buy({ externalShipmentId: 'ship-42' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      label_id: expect.stringMatching(/^se-\d+$/),
      status: 'completed',
      external_shipment_id: 'ship-42',
      carrier_id: 'se-123',
      carrier_code: 'stamps_com',
      service_code: 'usps_priority_mail',
      tracking_number: expect.stringMatching(/^\d{22}$/),
      shipment_cost: { currency: 'usd', amount: 7.58 },
      label_format: 'pdf',
      label_layout: '4x6',
      voided: false,
      label_download: { href: expect.stringContaining(`${fake.url}/v2/downloads/`), pdf: expect.any(String) },
    });
    expect(fake.balance('se-123')).toBe(92.42);
    expect(fake.sales()).toEqual([expect.objectContaining({ label_id: res.json.label_id, external_shipment_id: 'ship-42', carrierId: 'se-123', service_code: 'usps_priority_mail', cost: 7.58, voided: false, at: expect.any(Number) })]);
    expect(fake.salesFor('ship-42')).toBe(1);
    expect(fake.salesFor('ship-other')).toBe(0);
    const second = await buy({ externalShipmentId: 'ship-43' });
    expect(second.json.tracking_number).not.toBe(res.json.tracking_number);
    expect(fake.violations()).toEqual([]);
  });

  it('serves the label document: a real PDF whose barcode decodes to the tracking number', async () => {
    const { json: label } = await buy();
    const res = await fetch(label.label_download.pdf);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const read = await readPdfLabels(pdf);
    expect(read.barcodes).toEqual([label.tracking_number]);
    expect(read.pages[0]).toMatchObject({ width: 288, height: 432 });
    expect(read.pages[0].text.join(' ')).toContain('Mr Hippo');
    expect(fake.violations()).toEqual([]);
  });

  it('serves ZPL, PNG and letter-size PDF labels as asked, and refuses layouts the format does not offer', async () => {
    const zpl = await buy({ labelFormat: 'zpl' });
    expect(readZplLabels(await (await fetch(zpl.json.label_download.zpl)).text()).barcodes).toEqual([zpl.json.tracking_number]);
    const png = await buy({ labelFormat: 'png', carrierId: 'se-456', serviceCode: 'ups_ground' });
    expect(png.json.tracking_number).toMatch(/^1Z[0-9A-Z]{16}$/);
    expect(await decodePngBarcode(new Uint8Array(await (await fetch(png.json.label_download.png)).arrayBuffer()))).toBe(png.json.tracking_number);
    const letter = await buy({ labelLayout: 'letter' });
    expect((await readPdfLabels(new Uint8Array(await (await fetch(letter.json.label_download.href)).arrayBuffer()))).pages[0]).toMatchObject({ width: 612, height: 792 });
    const refused = await buy({ labelFormat: 'zpl', labelLayout: 'letter' });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({ error_code: 'invalid_field_value', field_name: 'label_layout' });
    expect(fake.violations()).toEqual([]);
  });

  it('refuses a label the balance cannot pay: 400 insufficient_funds, nothing debited or sold', async () => {
    fake.setBalance('se-123', 5);
    const res = await buy();
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ error_source: 'carrier', error_type: 'business_rules', error_code: 'insufficient_funds', carrier_id: 'se-123', message: expect.stringMatching(/Insufficient funds.*\$7\.58.*\$5\.00/) })]);
    expect(fake.balance('se-123')).toBe(5);
    expect(fake.sales()).toEqual([]);
    expect(fake.violations()).toEqual([]);
  });

  it("refuses another key's carrier and a service the carrier does not offer", async () => {
    const foreign = await buy({ carrierId: 'se-789', serviceCode: 'fedex_ground' });
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors[0]).toMatchObject({ error_code: 'invalid_identifier', field_name: 'carrier_id' });
    const service = await buy({ carrierId: 'se-456', serviceCode: 'ups_next_day_air' });
    expect(service.status).toBe(400);
    expect(service.json.errors[0]).toMatchObject({ error_code: 'invalid_field_value', field_name: 'service_code', message: expect.stringContaining('ups_ground') });
    expect(fake.sales()).toEqual([]);
    expect(fake.violations()).toEqual([]);
  });

  it('answers 400 in ShipStation error shape for a body that does not conform to the spec', async () => {
    const body = aShipStationLabelRequest() as Json;
    body.shipment.packages[0].weight.unit = 'stone';
    const res = await call('POST', '/v2/labels', body);
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ error_type: 'validation', error_code: 'invalid_field_value', message: expect.stringContaining('body/shipment/packages/0/weight/unit') })]);
    expect(fake.sales()).toEqual([]);
    expect(fake.violations()).toHaveLength(1);
  });

  it("refuses (404) an operation of ShipStation's API that its kept description lacks, as a violation", async () => {
    const res = await call('POST', '/v2/rates', { shipment_id: 'se-1' });
    expect(res.status).toBe(404);
    expect(res.json.errors[0]).toMatchObject({ error_type: 'validation', message: expect.stringContaining('no operation of the document serves /v2/rates') });
    // Another method of a kept path (labels are bought and listed, never deleted here) is not allowed.
    expect((await call('DELETE', '/v2/labels')).status).toBe(405);
    expect(fake.violations()).toEqual([expect.stringMatching(/^POST \/v2\/rates: unknown route/), expect.stringMatching(/^DELETE \/v2\/labels: method not allowed/)]);
  });

  it('finds the latest label not voided by external_shipment_id, for that key only', async () => {
    expect((await call('GET', '/v2/labels/external_shipment_id/ship-7')).status).toBe(404);
    const first = await buy({ externalShipmentId: 'ship-7' });
    await call('PUT', `/v2/labels/${first.json.label_id}/void`);
    // The shipment keeps its external_shipment_id: a second label is bought from it.
    expect(await buy({ externalShipmentId: 'ship-7' })).toMatchObject({ status: 400, json: { errors: [{ error_code: 'identifier_conflict', field_name: 'external_shipment_id' }] } });
    const second = await call('POST', `/v2/labels/shipment/${first.json.shipment_id}`, { label_format: 'pdf', label_layout: '4x6', label_download_type: 'url' });
    const found = await call('GET', '/v2/labels/external_shipment_id/ship-7');
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ label_id: second.json.label_id, tracking_number: second.json.tracking_number, status: 'completed' });
    const other = await call('GET', '/v2/labels/external_shipment_id/ship-7', undefined, 'key-beta');
    expect(other.status).toBe(404);
    expect(other.json.errors[0]).toMatchObject({ error_code: 'invalid_identifier', message: expect.stringContaining('ship-7') });
    expect(fake.salesFor('ship-7')).toBe(2);
    expect(fake.violations()).toEqual([]);
  });

  it('a lost answer still sells the label; the lookup by external id finds it', async () => {
    fake.faults.inject({ kind: 'lost_answer' }, { operationId: 'create_label' });
    await expect(buy({ externalShipmentId: 'ship-lost' })).rejects.toThrow();
    expect(fake.salesFor('ship-lost')).toBe(1);
    const found = await call('GET', '/v2/labels/external_shipment_id/ship-lost');
    expect(found.json.label_id).toBe(fake.sales()[0].label_id);
    expect(fake.requests()[0]).toMatchObject({ operationId: 'create_label', fault: 'lost_answer' });
  });

  it('voids a label once: refunds the balance; a second void is not approved', async () => {
    const { json: label } = await buy();
    const voided = await call('PUT', `/v2/labels/${label.label_id}/void`);
    expect(voided).toMatchObject({ status: 200, json: { approved: true, message: expect.any(String) } });
    expect(fake.balance('se-123')).toBe(100);
    expect(fake.sales()[0].voided).toBe(true);
    expect((await call('PUT', `/v2/labels/${label.label_id}/void`)).json).toMatchObject({ approved: false, reason_code: 'label_already_voided' });
    expect(fake.balance('se-123')).toBe(100);
    expect((await call('GET', `/v2/labels/${label.label_id}`)).json).toMatchObject({ status: 'voided', voided: true, voided_at: expect.any(String) });
    expect((await call('GET', '/v2/labels/se-999999')).status).toBe(404);
    expect((await call('PUT', `/v2/labels/${label.label_id}/void`, undefined, 'key-beta')).status).toBe(404);
    expect(fake.violations()).toEqual([]);
  });

  it('shows a carrier with its balance and services, and lists the services', async () => {
    await buy();
    const carrier = await call('GET', '/v2/carriers/se-123');
    expect(carrier.json).toMatchObject({ carrier_id: 'se-123', carrier_code: 'stamps_com', balance: 92.42 });
    expect(carrier.json.services.map((s: Json) => s.service_code)).toEqual(['usps_first_class_mail', 'usps_priority_mail', 'usps_priority_mail_express', 'usps_ground_advantage', 'usps_media_mail']);
    const services = await call('GET', '/v2/carriers/se-456/services');
    expect(services.json).toEqual({ services: [expect.objectContaining({ carrier_id: 'se-456', service_code: 'ups_ground', name: 'UPS Ground' })] });
    expect((await call('GET', '/v2/carriers/se-789')).status).toBe(404);
    expect(fake.violations()).toEqual([]);
  });

  it('estimates rates: every service of the carriers asked for at the price a label would cost, for that key only', async () => {
    const res = await call('POST', '/v2/rates/estimate', aShipStationRateEstimateRequest());
    expect(res.status).toBe(200);
    expect(res.json.map((r: Json) => [r.service_code, r.shipping_amount.amount])).toEqual([
      ['usps_first_class_mail', 4.75],
      ['usps_priority_mail', 7.58],
      ['usps_priority_mail_express', 28.75],
      ['usps_ground_advantage', 5.4],
      ['usps_media_mail', 3.92],
    ]);
    expect(res.json[1]).toMatchObject({ carrier_id: 'se-123', carrier_code: 'stamps_com', insurance_amount: { currency: 'usd', amount: 0 }, error_messages: [] });
    const both = await call('POST', '/v2/rates/estimate', aShipStationRateEstimateRequest({ carrier_ids: ['se-123', 'se-456'] }));
    expect(both.json.filter((r: Json) => r.carrier_id === 'se-456').map((r: Json) => r.service_code)).toEqual(['ups_ground']);
    const deprecated = await call('POST', '/v2/rates/estimate', { ...aShipStationRateEstimateRequest({ carrier_ids: undefined }), carrier_id: 'se-456' });
    expect(deprecated.json.map((r: Json) => r.service_code)).toEqual(['ups_ground']);
    const foreign = await call('POST', '/v2/rates/estimate', aShipStationRateEstimateRequest({ carrier_ids: ['se-789'] }));
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors[0]).toMatchObject({ error_code: 'invalid_identifier', field_name: 'carrier_ids' });
    expect(fake.violations()).toEqual([]);
    // Only the document's own contradictions are let through: a body missing what it requires is still refused.
    const incomplete = await call('POST', '/v2/rates/estimate', aShipStationRateEstimateRequest({ weight: undefined }));
    expect(incomplete.status).toBe(400);
    expect(incomplete.json.errors[0].message).toBe("body: must have required property 'weight'");
    expect(fake.violations()).toEqual([expect.stringMatching(/estimate_rates\): request does not conform: body: must have required property 'weight'$/)]);
  });

  it('adds funds of at least 10.00 and answers the new balance', async () => {
    const small = await call('PUT', '/v2/carriers/se-123/add_funds', { currency: 'usd', amount: 9.99 });
    expect(small.status).toBe(400);
    expect(small.json.errors[0]).toMatchObject({ error_code: 'invalid_field_value', field_name: 'amount', message: expect.stringContaining('minimum amount that can be added is 10.00') });
    const added = await call('PUT', '/v2/carriers/se-123/add_funds', { currency: 'usd', amount: 25 });
    expect(added).toMatchObject({ status: 200, json: { balance: { currency: 'usd', amount: 125 } } });
    expect(fake.balance('se-123')).toBe(125);
    expect(fake.fundsAdded('se-123')).toEqual([{ amount: 25, at: expect.any(Number) }]);
    expect(fake.violations()).toEqual([]);
  });

  it('validates addresses: complete US addresses with a 5 or 9 digit ZIP are verified, others are errors', async () => {
    const res = await call('POST', '/v2/addresses/validate', [
      aShipStationShipTo(),
      aShipStationShipTo({ postal_code: '94103-1234' }),
      aShipStationShipTo({ postal_code: '941' }),
      { address_line1: '10 Downing St', city_locality: 'London', state_province: 'LDN', country_code: 'GB' },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.map((r: Json) => r.status)).toEqual(['verified', 'verified', 'error', 'error']);
    expect(res.json[0].matched_address).toMatchObject({ address_line1: '965 MISSION ST', city_locality: 'SAN FRANCISCO', postal_code: '94103' });
    expect(res.json[2]).toMatchObject({ matched_address: null, messages: [expect.objectContaining({ type: 'error', detail_code: 'invalid_postal_code' })] });
    expect(res.json[3].messages.map((m: Json) => m.detail_code)).toEqual(expect.arrayContaining(['unsupported_country', 'invalid_postal_code']));
    expect(fake.violations()).toEqual([]);
  });

  it('answers 429 with Retry-After past the per-key limit; downloads and other keys are not counted', async () => {
    await fake.close();
    fake = await startFakeShipStation({ rateLimitPerMinute: 3, accounts: [{ apiKey: KEY, carriers: [{ carrierId: 'se-123' }] }, { apiKey: 'key-beta', carriers: [{ carrierId: 'se-789' }] }] });
    const { json: label } = await buy();
    expect((await call('GET', '/v2/carriers/se-123')).status).toBe(200);
    expect((await fetch(label.label_download.href)).status).toBe(200);
    expect((await call('GET', `/v2/labels/${label.label_id}`)).status).toBe(200);
    const limited = await call('GET', '/v2/carriers/se-123');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(limited.json.errors[0]).toMatchObject({ error_type: 'system', error_code: 'rate_limit_exceeded' });
    expect((await fetch(label.label_download.href)).status).toBe(200);
    expect((await call('GET', '/v2/carriers/se-789', undefined, 'key-beta')).status).toBe(200);
    expect(fake.stats()).toEqual({ requests: 5, answered429: 1, peakPer10s: 5, peakPer60s: 5 });
    expect(fake.stats(KEY)).toMatchObject({ requests: 4, answered429: 1 });
    expect(fake.violations()).toEqual([]);
  });

  it('applies latencyMs to every answer and keeps answering', async () => {
    await fake.close();
    fake = await startFakeShipStation({ latencyMs: 20, accounts: [{ apiKey: KEY, carriers: [{ carrierId: 'se-123' }] }] });
    expect((await buy()).status).toBe(200);
    expect(fake.violations()).toEqual([]);
  });
});
