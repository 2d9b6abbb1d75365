import { randomUUID } from 'node:crypto';
import {
  budgetKey,
  DEFAULT_RETRY_POLICY,
  ProviderAuthError,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderUnavailableError,
  ProviderValidationError,
  type PurchaseLabelCommand,
} from '@shipbatch/providers/core';
import {
  anAddress,
  aParcel,
  aPurchaseCommand,
  aShipmentWithSenderPhone as aShipment,
  expectConformingRequests,
  RecordingPacer,
} from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from '../testing';
import { ShipStationClient } from './shipstation.client';
import { ShipStationProviderOptions } from './shipstation-provider.options';
import { ShipStationProvider } from './shipstation.provider';

let fake: FakeShipStation;
let serial = 0;

beforeAll(async () => {
  fake = await startFakeShipStation({ rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake);

interface Made {
  provider: ShipStationProvider;
  apiKey: string;
  carrierId: string;
  pacer: RecordingPacer;
}

/** A fresh API key with one carrier (or a second carrier on a given key) and an instance over it. */
function make(input: { apiKey?: string; balance?: number; services?: string[]; options?: Partial<ShipStationProviderOptions> } = {}): Made {
  serial += 1;
  const apiKey = input.apiKey ?? `TEST_${randomUUID().replace(/-/g, '')}`;
  const carrierId = `se-${700000 + serial}`;
  fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: input.balance ?? 100, services: input.services }] });
  const options = Object.assign(new ShipStationProviderOptions(), { api_key: apiKey, carrier_id: carrierId, ...input.options });
  const pacer = new RecordingPacer();
  const context = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url, pacer };
  return { provider: new ShipStationProvider(new ShipStationClient(options, context), options, context), apiKey, carrierId, pacer };
}

const command = (overrides: Partial<PurchaseLabelCommand> = {}) => aPurchaseCommand({ shipment: aShipment(), ...overrides });

const requestsTo = (apiKey: string, method: string, path: RegExp) =>
  fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.method === method && path.test(r.path));

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & Record<string, unknown>,
  );

describe('ShipStationProvider against the fake ShipStation', () => {
  it('buys with the whole shipment: service code, our reference, ship date, return address, converted parcels, format', async () => {
    const { provider, apiKey, carrierId, pacer } = make();
    const reference = randomUUID();
    const shipment = aShipment({
      addressTo: anAddress({ isResidential: true, street2: 'Apt 2' }),
      addressReturn: anAddress({ name: 'Returns Desk', street1: '1 Return Way', zip: '94107' }),
      parcels: [aParcel({ distanceUnit: 'mm', length: 300, width: 200, height: 100, massUnit: 'g', weight: 900 })],
      shipmentDate: '2026-05-04',
    });
    const label = await provider.purchaseLabel(command({ reference, shipment, labelFileType: 'PNG', serviceLevelToken: 'usps_ground_advantage' }));
    const [sent] = requestsTo(apiKey, 'POST', /^\/v2\/labels$/);
    expect(sent.body).toEqual({
      shipment: {
        carrier_id: carrierId,
        service_code: 'usps_ground_advantage',
        external_shipment_id: reference,
        ship_date: '2026-05-04T00:00:00Z',
        ship_to: expect.objectContaining({ name: 'Mr Hippo', address_line1: '965 Mission St', address_line2: 'Apt 2', postal_code: '94103', country_code: 'US', address_residential_indicator: 'yes' }),
        ship_from: expect.objectContaining({ phone: '415-555-0100', postal_code: '94117' }),
        return_to: expect.objectContaining({ name: 'Returns Desk', address_line1: '1 Return Way' }),
        packages: [{ weight: { value: 900, unit: 'gram' }, dimensions: { length: 30, width: 20, height: 10, unit: 'centimeter' } }],
      },
      label_format: 'png',
      label_layout: '4x6',
      label_download_type: 'url',
    });
    expect(label).toMatchObject({ reference, carrier: 'usps', serviceLevelToken: 'usps_ground_advantage', cost: { amountMinor: 540, currency: 'usd' } });
    expect(fake.balance(carrierId)).toBe(100 - 5.4);
    // The purchase waits at most 15 s for its slot.
    expect(pacer.acquires().at(-1)).toMatchObject({ ms: 15_000, budget: { key: budgetKey('shipstation', apiKey), perMinute: 200 } });
  });

  it("takes ShipStation's own service codes unchanged", async () => {
    const { provider } = make();
    expect(await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority_mail', shipment: aShipment() })).toEqual([]);
    const label = await provider.purchaseLabel(command({ serviceLevelToken: 'usps_priority_mail' }));
    expect(label).toMatchObject({ serviceLevelToken: 'usps_priority_mail', cost: { amountMinor: 758 } });
  });

  it("refuses a service the carrier does not offer, naming the offered codes; fetches the carrier's services once", async () => {
    const { provider, apiKey } = make({ services: ['usps_priority_mail', 'usps_media_mail'] });
    const problems = await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_ground_advantage', shipment: aShipment() });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'servicelevel_token', code: 'service_level_unknown', severity: 'INVALID', text: expect.stringContaining('usps_priority_mail, usps_media_mail') }),
    ]);
    expect(await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_media_mail', shipment: aShipment() })).toEqual([]);
    expect(requestsTo(apiKey, 'GET', /\/services$/)).toHaveLength(1);
  });

  it('does not keep a failed fetch of the services (failed on every try the transport makes)', async () => {
    const { provider, apiKey } = make();
    const tries = DEFAULT_RETRY_POLICY.attempts;
    fake.faults.inject({ kind: 'status', status: 503, body: { message: 'down' } }, { method: 'GET', path: /\/services$/, times: tries });
    const error = await rejection(provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aShipment() }));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aShipment() })).toEqual([]);
    expect(requestsTo(apiKey, 'GET', /\/services$/)).toHaveLength(tries + 1);
  });

  it('checks required fields locally: the sender needs a phone number, every address a state', async () => {
    const { provider } = make();
    const shipment = aShipment({ addressFrom: anAddress({ phone: undefined }), addressTo: anAddress({ state: ' ' }) });
    expect(await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment })).toEqual([
      expect.objectContaining({ field: 'address_from.phone', code: 'address_incomplete', severity: 'INCOMPLETE' }),
      expect.objectContaining({ field: 'address_to.state', code: 'address_incomplete', severity: 'INCOMPLETE' }),
    ]);
    const error = await rejection(provider.purchaseLabel(command({ shipment })));
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error.message).toContain('The sender address has no phone number.');
  });

  it('validates addresses through ShipStation only when validate_addresses is on: one call per shipment', async () => {
    const off = make();
    await off.provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aShipment() });
    expect(requestsTo(off.apiKey, 'POST', /^\/v2\/addresses\/validate$/)).toHaveLength(0);

    const on = make({ options: { validate_addresses: true } });
    expect(await on.provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aShipment() })).toEqual([]);
    const bad = aShipment({ addressTo: anAddress({ state: 'California' }) });
    expect(await on.provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: bad })).toEqual([
      expect.objectContaining({ field: 'address_to', code: 'address_invalid', severity: 'INVALID', text: expect.stringContaining("state_province 'California'") }),
    ]);
    expect(requestsTo(on.apiKey, 'POST', /^\/v2\/addresses\/validate$/)).toHaveLength(2);
  });

  it("maps ShipStation's insufficient funds answer with its text, code, request id and the amounts", async () => {
    const { provider, carrierId } = make({ balance: 5 });
    const error = await rejection(provider.purchaseLabel(command()));
    expect(error).toBeInstanceOf(ProviderInsufficientFundsError);
    expect(error).toMatchObject({ code: 'insufficient_funds', retryable: false, possiblyCommitted: false });
    expect(error.message).toMatch(/^shipstation: Insufficient funds: the label costs \$7\.58 and the account balance is \$5\.00\..* \(insufficient_funds\)$/);
    expect(error['details']).toMatchObject({ provider_code: 'insufficient_funds', request_id: expect.any(String), needed_minor: 758, balance_minor: 500 });
    expect(fake.balance(carrierId)).toBe(5);
  });

  it("keeps ShipStation's text and code for a request it refuses", async () => {
    const { provider } = make({ services: ['usps_priority_mail'] });
    const error = await rejection(provider.purchaseLabel(command({ serviceLevelToken: 'usps_media_mail' })));
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error.message).toMatch(/^shipstation: Service 'usps_media_mail' is not offered .* \(invalid_field_value\)$/);
    expect(error['details']).toMatchObject({ provider_code: 'invalid_field_value', field: 'service_code' });
  });

  it('maps a key ShipStation does not know to ProviderAuthError', async () => {
    const options = Object.assign(new ShipStationProviderOptions(), { api_key: `TEST_unknown_${randomUUID()}`, carrier_id: 'se-1' });
    const context = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url };
    const provider = new ShipStationProvider(new ShipStationClient(options, context), options, context);
    const error = await rejection(provider.getBalance());
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toContain('The API key is invalid');
    expect(error['details']).toMatchObject({ provider_code: 'unauthorized' });
  });

  it('finds a purchase by reference, and not once it is voided', async () => {
    const { provider } = make();
    const label = await provider.purchaseLabel(command({ serviceLevelToken: 'usps_media_mail' }));
    expect(await provider.findPurchase(label.reference)).toEqual({ ...label, serviceLevelToken: 'usps_media_mail' });
    expect(await provider.voidLabel(label.providerLabelId)).toEqual({ approved: true, message: expect.stringContaining('voided') });
    expect(await provider.findPurchase(label.reference)).toBeNull();
  });

  it('maps voiding an unknown label to ProviderNotFoundError, without asking for ids ShipStation cannot have', async () => {
    const { provider, apiKey } = make();
    expect(await rejection(provider.voidLabel('se-999999999'))).toBeInstanceOf(ProviderNotFoundError);
    expect(await rejection(provider.voidLabel('label-1'))).toBeInstanceOf(ProviderNotFoundError);
    expect(requestsTo(apiKey, 'PUT', /\/void$/)).toHaveLength(1);
  });

  it('quotes with the rate estimate of this carrier: one call per distinct parcel, the route and the parcel sent, buying nothing', async () => {
    const { provider, apiKey, carrierId, pacer } = make();
    const shipment = aShipment({
      addressTo: anAddress({ isResidential: true }),
      parcels: [aParcel(), aParcel(), aParcel({ distanceUnit: 'cm', length: 30, width: 20, height: 10, massUnit: 'kg', weight: 1.5 })],
      shipmentDate: '2999-01-02',
    });
    expect(await provider.quote(command({ shipment, serviceLevelToken: 'usps_priority' }))).toEqual({ amountMinor: 3 * 758, currency: 'usd' });
    const sent = requestsTo(apiKey, 'POST', /^\/v2\/rates\/estimate$/);
    expect(sent).toHaveLength(2);
    expect(sent[1].body).toEqual({
      carrier_ids: [carrierId],
      from_country_code: 'US',
      from_postal_code: '94117',
      from_city_locality: 'San Francisco',
      from_state_province: 'CA',
      to_country_code: 'US',
      to_postal_code: '94103',
      to_city_locality: 'San Francisco',
      to_state_province: 'CA',
      weight: { value: 1.5, unit: 'kilogram' },
      dimensions: { length: 30, width: 20, height: 10, unit: 'centimeter' },
      address_residential_indicator: 'yes',
      ship_date: '2999-01-02T00:00:00Z',
    });
    // A past shipment date is estimated from today; the estimate waits at most 5 s for its slot.
    await provider.quote(command({ shipment: aShipment({ shipmentDate: '2020-01-01' }) }));
    expect(Date.parse(String((requestsTo(apiKey, 'POST', /estimate$/).at(-1)?.body as { ship_date: string }).ship_date))).toBeGreaterThan(Date.parse('2025-01-01'));
    expect(pacer.acquires().at(-1)).toMatchObject({ ms: 5_000 });
    expect(fake.sales().filter((s) => s.carrierId === carrierId)).toEqual([]);
  });

  it('refuses to quote a service the estimate does not price, and a shipment it could not buy, the latter without a request', async () => {
    const { provider, apiKey } = make({ services: ['usps_priority_mail'] });
    const missing = await rejection(provider.quote(command({ serviceLevelToken: 'usps_media_mail' })));
    expect(missing).toBeInstanceOf(ProviderValidationError);
    expect(missing.message).toMatch(/^shipstation: no rate estimate for service usps_media_mail of carrier se-\d+ \(estimated: usps_priority_mail\)$/);
    expect(missing['details']).toMatchObject({ provider_code: 'rate_estimate_unavailable', field: 'servicelevel_token' });
    const incomplete = await rejection(provider.quote(command({ shipment: aShipment({ addressFrom: anAddress({ phone: undefined }) }) })));
    expect(incomplete).toBeInstanceOf(ProviderValidationError);
    expect(incomplete.message).toContain('cannot be priced');
    expect(requestsTo(apiKey, 'POST', /estimate$/)).toHaveLength(1);
  });

  it('tries a failed estimate again like any read, maps one that keeps failing like any call (a 503 is ProviderUnavailableError) and keeps nothing of it', async () => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { method: 'POST', path: '/v2/rates/estimate' });
    expect(await provider.quote(command())).toEqual({ amountMinor: 758, currency: 'usd' });
    expect(requestsTo(apiKey, 'POST', /estimate$/)).toHaveLength(2);
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { method: 'POST', path: '/v2/rates/estimate', times: 3 });
    expect(await rejection(provider.quote(command()))).toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.quote(command())).toEqual({ amountMinor: 758, currency: 'usd' });
  });

  it('reads the balance and adds funds, refusing less than 10.00 usd locally', async () => {
    const { provider, apiKey, carrierId } = make({ balance: 12.34 });
    expect(await provider.getBalance()).toEqual({ amount: { amountMinor: 1234, currency: 'usd' } });
    const small = await rejection(provider.addFunds({ amountMinor: 999, currency: 'usd' }));
    expect(small).toBeInstanceOf(ProviderValidationError);
    expect(small.message).toContain('10.00 usd');
    expect(await rejection(provider.addFunds({ amountMinor: 5000, currency: 'eur' }))).toBeInstanceOf(ProviderValidationError);
    expect(requestsTo(apiKey, 'PUT', /\/add_funds$/)).toHaveLength(0);
    expect(await provider.addFunds({ amountMinor: 1000, currency: 'USD' })).toEqual({ amount: { amountMinor: 2234, currency: 'usd' } });
    expect(fake.fundsAdded(carrierId)).toEqual([expect.objectContaining({ amount: 10 })]);
  });

  it('marks a top-up whose answer was lost as possibly committed', async () => {
    const { provider, carrierId } = make({ balance: 20 });
    fake.faults.inject({ kind: 'lost_answer' }, { method: 'PUT', path: /\/add_funds$/ });
    const error = await rejection(provider.addFunds({ amountMinor: 2500, currency: 'usd' }));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error['possiblyCommitted']).toBe(true);
    expect(fake.balance(carrierId)).toBe(45);
  });

  it('downloads label files with their content type: PDF, PNG and ZPL', async () => {
    const { provider } = make();
    for (const [labelFileType, contentType, extension] of [
      ['PDF', 'application/pdf', 'pdf'],
      ['PNG', 'image/png', 'png'],
      ['ZPLII', 'application/zpl', 'zpl'],
    ] as const) {
      const label = await provider.purchaseLabel(command({ labelFileType }));
      const doc = await provider.downloadDocument(String(label.documentUrl));
      expect(doc).toMatchObject({ contentType, extension });
      expect(doc.content.length).toBeGreaterThan(0);
    }
  });

  it('refuses label file types ShipStation does not make without a request', async () => {
    const { provider, apiKey } = make();
    const error = await rejection(provider.purchaseLabel(command({ labelFileType: 'PDF_4x8' })));
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error['details']).toMatchObject({ field: 'label_file_type', provider_code: 'label_file_type_unknown' });
    expect(requestsTo(apiKey, 'POST', /^\/v2\/labels$/)).toHaveLength(0);
  });

  it('paces two carrier accounts with the same API key under one budget, and other keys under their own', async () => {
    const a = make({ options: { rate_limit_per_minute: 120 } });
    const b = make({ apiKey: a.apiKey, options: { rate_limit_per_minute: 120 } });
    const c = make();
    for (const m of [a, b, c]) await m.provider.getBalance();
    const [ka, kb, kc] = [a, b, c].map((m) => m.pacer.acquires()[0].budget);
    expect(ka).toEqual({ key: budgetKey('shipstation', a.apiKey), perMinute: 120 });
    expect(kb).toEqual(ka);
    expect(kc.key).not.toBe(ka.key);
    expect(ka.key).not.toContain(a.apiKey);
  });
});
