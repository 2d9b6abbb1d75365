import { randomUUID } from 'node:crypto';
import { ProviderAuthError, ProviderInsufficientFundsError, ProviderOutcomeUnknownError, ProviderRateLimitedError, type PurchaseLabelCommand } from '@shipbatch/providers/core';
import { aShipmentWithSenderPhone, expectConformingRequests, expectSecretHidden, providerFailure, readPdfLabels, RecordingPacer } from '@shipbatch/providers/testing';
import { type FakeShipStationV1, startFakeShipStationV1 } from '../testing';
import { shipStationV1ProviderDefinition } from './shipstation-v1.definition';
import { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';
import type { ShipStationV1Provider } from './shipstation-v1.provider';

// What is particular to ShipStation v1, against the fake: the order path, a label found again
// without its file, a shipped order that lists no label, Ship From Locations, pacing from the
// X-Rate-Limit headers, the budget per key and secret, ASP.NET errors.

let fake: FakeShipStationV1;
const LIMIT = 1_000;

beforeAll(async () => {
  fake = await startFakeShipStationV1({ rateLimit: LIMIT });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake, { answers: true });

function setup(options: { balance?: number; secret?: string } = {}) {
  const apiKey = `key${randomUUID().replace(/-/g, '')}`;
  const apiSecret = `secret${randomUUID().replace(/-/g, '')}`;
  fake.addAccount({ apiKey, apiSecret, carriers: [{ code: 'stamps_com', balance: options.balance ?? 500 }] });
  const pacer = new RecordingPacer();
  const options_ = Object.assign(new ShipStationV1ProviderOptions(), { api_key: apiKey, api_secret: options.secret ?? apiSecret, carrier_code: 'stamps_com' });
  const provider = shipStationV1ProviderDefinition.create(options_, { carrierAccountId: randomUUID(), carrier: 'usps', test: false, baseUrl: fake.url, pacer }) as ShipStationV1Provider;
  return { apiKey, apiSecret, pacer, provider };
}

const command = (reference: string = randomUUID().replace(/-/g, '')): PurchaseLabelCommand => ({
  reference,
  carrier: 'usps',
  serviceLevelToken: 'usps_priority',
  shipment: aShipmentWithSenderPhone(),
  labelFileType: 'PDF_4x6',
});

describe('the order path', () => {
  it('buys through one order (orderKey = orderNumber = our reference) shipped from a location of the shipment address, with the file inline', async () => {
    const { apiKey, provider } = setup();
    const c = command();
    const label = await provider.purchaseLabel(c);
    expect(fake.salesFor(c.reference)).toBe(1);
    expect(fake.ordersFor(c.reference)).toBe(1);
    type SentOrder = { orderKey: string; orderDate: string; shipDate: string; advancedOptions: { warehouseId: number } };
    const order = fake.requests().find((r) => r.path === '/orders/createorder' && (r.body as SentOrder).orderKey === c.reference)?.body as SentOrder;
    expect(order).toMatchObject({ orderNumber: c.reference, orderKey: c.reference, orderStatus: 'awaiting_shipment', packageCode: 'package', serviceCode: 'usps_priority_mail' });
    expect(order.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000$/);
    expect(order.shipDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const location = fake.warehouses(apiKey).find((w) => w.warehouseId === order.advancedOptions.warehouseId);
    expect(location).toMatchObject({ isDefault: false, originAddress: expect.objectContaining({ street1: c.shipment.addressFrom.street1, city: c.shipment.addressFrom.city }) });
    const pdf = await readPdfLabels(label.document?.content ?? Buffer.alloc(0));
    expect(pdf.barcodes).toEqual([label.trackingNumber]);
    expect(pdf.pages[0].text.join(' ')).toContain(`From ${c.shipment.addressFrom.name}`);
    // A second label from the same address reuses the location.
    await provider.purchaseLabel(command());
    expect(fake.warehouses(apiKey)).toHaveLength(2);
  });

  it('repeats a createorder whose answer was lost (idempotent by orderKey): one order, one label', async () => {
    const { provider } = setup();
    const c = command();
    fake.faults.inject({ kind: 'lost_answer' }, { path: '/orders/createorder', times: 1 });
    await provider.purchaseLabel(c);
    expect(fake.ordersFor(c.reference)).toBe(1);
    expect(fake.salesFor(c.reference)).toBe(1);
  });

  it('finds a label whose answer was lost by GET /shipments?orderNumber=, without its file (v1 lists none)', async () => {
    const { provider } = setup();
    const c = command();
    fake.faults.inject({ kind: 'lost_answer' }, { path: '/orders/createlabelfororder', times: 1 });
    const error = await providerFailure(provider.purchaseLabel(c));
    expect(error).toMatchObject({ code: 'unavailable', possiblyCommitted: true });
    const found = await provider.findPurchase(c.reference);
    expect(found).toMatchObject({ reference: c.reference, serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' } });
    expect(found?.document).toBeUndefined();
    expect(found?.documentUrl).toBeUndefined();
    // Bought again without a lookup (as after a crash): the shipped order is refused an update, the label found, none bought.
    const again = await provider.purchaseLabel(c);
    expect(again.providerLabelId).toBe(found?.providerLabelId);
    expect(fake.salesFor(c.reference)).toBe(1);
  });

  it('never buys blind: a shipped order that ShipStation lists no label for is purchase_outcome_unknown', async () => {
    const { provider } = setup();
    const c = command();
    await provider.purchaseLabel(c);
    fake.faults.inject({ kind: 'status', status: 200, body: { shipments: [], total: 0, page: 1, pages: 1 } }, { path: '/shipments', times: 1 });
    const error = await providerFailure(provider.purchaseLabel(c));
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect(fake.salesFor(c.reference)).toBe(1);
  });

  it('buys again after a void (the order is open again), and a void label is not found', async () => {
    const { provider } = setup();
    const c = command();
    const first = await provider.purchaseLabel(c);
    expect((await provider.voidLabel(first.providerLabelId)).approved).toBe(true);
    expect(await provider.findPurchase(c.reference)).toBeNull();
    const second = await provider.purchaseLabel(c);
    expect(second.providerLabelId).not.toBe(first.providerLabelId);
  });
});

describe('validation', () => {
  it('refuses a shipment of several parcels (a v1 label carries one package)', async () => {
    const { provider } = setup();
    const shipment = aShipmentWithSenderPhone();
    shipment.parcels = [shipment.parcels[0], shipment.parcels[0]];
    const problems = await provider.validateShipment({ carrier: 'usps', serviceLevelToken: 'usps_priority', shipment });
    expect(problems).toEqual([expect.objectContaining({ code: 'multiple_parcels_unsupported', severity: 'INVALID' })]);
  });
});

describe('pacing and errors', () => {
  it('paces every call on one budget per key and secret: a hash of both, shared by accounts of the same pair', async () => {
    const a = setup();
    await a.provider.getBalance();
    const key = a.pacer.acquires()[0].budget;
    expect(key).toMatchObject({ perMinute: 40 });
    expect(key.key).toMatch(/^shipstation_v1:[0-9a-f]{32}$/);
    expect(key.key).not.toContain(a.apiKey);
    const sameOptions = Object.assign(new ShipStationV1ProviderOptions(), { api_key: a.apiKey, api_secret: a.apiSecret, carrier_code: 'stamps_com' });
    const pacer = new RecordingPacer();
    await shipStationV1ProviderDefinition.create(sameOptions, { carrierAccountId: randomUUID(), carrier: 'usps', test: false, baseUrl: fake.url, pacer }).getBalance?.();
    expect(pacer.acquires()[0].budget.key).toBe(key.key);
    const otherSecret = Object.assign(new ShipStationV1ProviderOptions(), { ...sameOptions, api_secret: 'another' });
    const other = new RecordingPacer();
    await providerFailure(shipStationV1ProviderDefinition.create(otherSecret, { carrierAccountId: randomUUID(), carrier: 'usps', test: false, baseUrl: fake.url, pacer: other }).getBalance?.() ?? Promise.resolve());
    expect(other.acquires()[0].budget.key).not.toBe(key.key);
  });

  it('pauses the budget until the window resets when X-Rate-Limit-Remaining says none are left', async () => {
    const { apiKey, pacer, provider } = setup();
    fake.consume(apiKey, LIMIT - 1);
    await provider.getBalance();
    // Paused for as long as the answer's X-Rate-Limit-Reset says (whole seconds).
    const answered = fake.lastRateHeaders(apiKey);
    expect(answered?.['X-Rate-Limit-Remaining']).toBe('0');
    expect(pacer.pauses().at(-1)?.ms).toBe(Number(answered?.['X-Rate-Limit-Reset']) * 1000);
    // Past the limit: a 429, whose wait is the window's reset (X-Rate-Limit-Reset), the budget paused as long.
    const error = await providerFailure(provider.getBalance());
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    const refused = fake.lastRateHeaders(apiKey);
    expect((error as ProviderRateLimitedError).retryAfterMs).toBe(Number(refused?.['X-Rate-Limit-Reset']) * 1000);
    expect(pacer.pauses().at(-1)?.ms).toBe((error as ProviderRateLimitedError).retryAfterMs);
  });

  it("maps ShipStation's insufficient funds (an ASP.NET 400) with the amounts it names", async () => {
    const { provider } = setup({ balance: 1 });
    const error = await providerFailure(provider.purchaseLabel(command()));
    expect(error).toBeInstanceOf(ProviderInsufficientFundsError);
    expect(error.message).toMatch(/^shipstation_v1: POST \/orders\/createlabelfororder answered 400: Insufficient funds/);
    expect((error as ProviderInsufficientFundsError).details).toMatchObject({ needed_minor: 758, balance_minor: 100 });
  });

  it('refuses a wrong secret with a clear message that holds neither credential', async () => {
    const { apiKey, provider } = setup({ secret: 'not-the-secret' });
    const error = await providerFailure(provider.getBalance());
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toMatch(/refused the API key and secret/);
    expectSecretHidden(error, apiKey);
    expectSecretHidden(error, 'not-the-secret');
  });
});
