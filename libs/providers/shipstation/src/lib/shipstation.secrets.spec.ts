import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { isProviderError, type PortShipment, type ProviderContext, type PurchaseLabelCommand } from '@shipbatch/providers/core';
import { anAddress, aValidShipment, type FakeShipStation, startFakeShipStation } from '@shipbatch/providers/testing';
import { ShipStationClient } from './shipstation.client';
import { ShipStationProviderOptions } from './shipstation-provider.options';
import { ShipStationProvider } from './shipstation.provider';

// Every kind of failure the adapter can produce, each checked for the API key in every form an
// error is shown: message, stack, JSON, util.inspect (cause and details included).
let fake: FakeShipStation;
let serial = 0;

beforeAll(async () => {
  fake = await startFakeShipStation({ rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => fake.faults.clear());

function aShipment(overrides: Partial<PortShipment> = {}): PortShipment {
  const base = aValidShipment();
  return { ...base, addressFrom: anAddress({ ...base.addressFrom, phone: '415-555-0100' }), ...overrides };
}

function make(input: { balance?: number; known?: boolean; baseUrl?: string } = {}) {
  serial += 1;
  const apiKey = `TEST_secret_${randomUUID().replace(/-/g, '')}`;
  const carrierId = `se-${800000 + serial}`;
  if (input.known !== false) fake.addAccount({ apiKey, carriers: [{ carrierId, balance: input.balance ?? 100 }] });
  const options = Object.assign(new ShipStationProviderOptions(), { api_key: apiKey, carrier_id: carrierId });
  const context: ProviderContext = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: input.baseUrl ?? fake.url };
  // A short request timeout so that the `timeout` fault ends quickly (no timing is asserted).
  const provider = new ShipStationProvider(new ShipStationClient(options, context, { timeoutMs: 300 }), options, context);
  return { provider, apiKey, carrierId };
}

const command = (overrides: Partial<PurchaseLabelCommand> = {}): PurchaseLabelCommand => ({
  reference: randomUUID(),
  carrier: 'usps',
  serviceLevelToken: 'usps_priority',
  shipment: aShipment(),
  labelFileType: 'PDF_4x6',
  ...overrides,
});

async function failure(p: Promise<unknown>): Promise<Error> {
  const error = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
  expect(isProviderError(error)).toBe(true);
  return error;
}

function expectNoKey(error: Error, apiKey: string): void {
  const cause = (error as { cause?: unknown }).cause;
  const shown = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), inspect(cause, { depth: 10 }), JSON.stringify(cause ?? null)];
  for (const text of shown) expect(text).not.toContain(apiKey);
}

const echo = (apiKey: string) => ({
  request_id: randomUUID(),
  errors: [{ error_source: 'shipengine', error_type: 'validation', error_code: 'invalid_field_value', message: `API-Key ${apiKey} was sent with an invalid request` }],
});

describe('ShipStation credentials never appear in errors', () => {
  it('an API key ShipStation does not know (a real 401)', async () => {
    const { provider, apiKey } = make({ known: false });
    expectNoKey(await failure(provider.getBalance()), apiKey);
    expectNoKey(await failure(provider.purchaseLabel(command())), apiKey);
  });

  it.each([400, 401, 403, 404, 409, 429, 500, 503])('an answer %i whose body and headers echo the key', async (status) => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind: 'status', status, body: echo(apiKey), headers: { 'X-Echo': apiKey, 'Retry-After': '1' } });
    expectNoKey(await failure(provider.purchaseLabel(command())), apiKey);
  });

  it('an answer with a plain-text body that echoes the key', async () => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind: 'status', status: 502, body: `bad gateway for key ${apiKey}` });
    expectNoKey(await failure(provider.getBalance()), apiKey);
  });

  it('insufficient funds, a refused service, an unknown label (real answers)', async () => {
    const poor = make({ balance: 1 });
    expectNoKey(await failure(poor.provider.purchaseLabel(command())), poor.apiKey);
    const { provider, apiKey } = make();
    expectNoKey(await failure(provider.purchaseLabel(command({ serviceLevelToken: 'ups_ground' }))), apiKey);
    expectNoKey(await failure(provider.voidLabel('se-123456789')), apiKey);
  });

  it.each(['reset', 'lost_answer', 'timeout'] as const)('a %s on the network', async (kind) => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind });
    expectNoKey(await failure(provider.purchaseLabel(command())), apiKey);
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { provider, apiKey } = make({ baseUrl: `http://127.0.0.1:${port}` });
    expectNoKey(await failure(provider.getBalance()), apiKey);
  });

  it('local refusals: an incomplete shipment, a small top-up, an id that is no label', async () => {
    const { provider, apiKey } = make();
    expectNoKey(await failure(provider.purchaseLabel(command({ shipment: aShipment({ addressTo: anAddress({ zip: undefined }) }) }))), apiKey);
    expectNoKey(await failure(provider.addFunds({ amountMinor: 1, currency: 'usd' })), apiKey);
    expectNoKey(await failure(provider.voidLabel(apiKey)), apiKey);
  });

  it('a label download that fails at a URL holding the key', async () => {
    const { provider, apiKey } = make();
    expectNoKey(await failure(provider.downloadDocument(`${fake.url}/v2/downloads/labels/${apiKey}.pdf?api_key=${apiKey}`)), apiKey);
    expectNoKey(await failure(provider.downloadDocument(`ftp://files.example/${apiKey}.pdf`)), apiKey);
  });
});
