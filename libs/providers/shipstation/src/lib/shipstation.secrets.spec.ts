import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RETRY_POLICY, type ProviderContext, type PurchaseLabelCommand } from '@shipbatch/providers/core';
import {
  anAddress,
  aPurchaseCommand,
  aShipmentWithSenderPhone as aShipment,
  expectSecretHidden,
  providerFailure,
} from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from '../testing';
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

const command = (overrides: Partial<PurchaseLabelCommand> = {}) => aPurchaseCommand({ shipment: aShipment(), ...overrides });

const echo = (apiKey: string) => ({
  request_id: randomUUID(),
  errors: [{ error_source: 'shipengine', error_type: 'validation', error_code: 'invalid_field_value', message: `API-Key ${apiKey} was sent with an invalid request` }],
});

describe('ShipStation credentials never appear in errors', () => {
  it('an API key ShipStation does not know (a real 401)', async () => {
    const { provider, apiKey } = make({ known: false });
    expectSecretHidden(await providerFailure(provider.getBalance()), apiKey);
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), apiKey);
  });

  it.each([400, 401, 403, 404, 409, 429, 500, 503])('an answer %i whose body and headers echo the key', async (status) => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind: 'status', status, body: echo(apiKey), headers: { 'X-Echo': apiKey, 'Retry-After': '1' } });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), apiKey);
  });

  it('an answer with a plain-text body that echoes the key', async () => {
    const { provider, apiKey } = make();
    // On every try: the balance is a read, which the transport tries again after a 5xx.
    fake.faults.inject({ kind: 'status', status: 502, body: `bad gateway for key ${apiKey}` }, { times: DEFAULT_RETRY_POLICY.attempts });
    expectSecretHidden(await providerFailure(provider.getBalance()), apiKey);
  });

  it('insufficient funds, a refused service, an unknown label (real answers)', async () => {
    const poor = make({ balance: 1 });
    expectSecretHidden(await providerFailure(poor.provider.purchaseLabel(command())), poor.apiKey);
    const { provider, apiKey } = make();
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command({ serviceLevelToken: 'ups_ground' }))), apiKey);
    expectSecretHidden(await providerFailure(provider.voidLabel('se-123456789')), apiKey);
  });

  it.each(['reset', 'lost_answer', 'timeout'] as const)('a %s on the network', async (kind) => {
    const { provider, apiKey } = make();
    fake.faults.inject({ kind });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), apiKey);
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { provider, apiKey } = make({ baseUrl: `http://127.0.0.1:${port}` });
    expectSecretHidden(await providerFailure(provider.getBalance()), apiKey);
  });

  it('local refusals: an incomplete shipment, a small top-up, an id that is no label', async () => {
    const { provider, apiKey } = make();
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command({ shipment: aShipment({ addressTo: anAddress({ zip: undefined }) }) }))), apiKey);
    expectSecretHidden(await providerFailure(provider.addFunds({ amountMinor: 1, currency: 'usd' })), apiKey);
    expectSecretHidden(await providerFailure(provider.voidLabel(apiKey)), apiKey);
  });

  it('a label download that fails at a URL holding the key', async () => {
    const { provider, apiKey } = make();
    expectSecretHidden(await providerFailure(provider.downloadDocument(`${fake.url}/v2/downloads/labels/${apiKey}.pdf?api_key=${apiKey}`)), apiKey);
    expectSecretHidden(await providerFailure(provider.downloadDocument(`ftp://files.example/${apiKey}.pdf`)), apiKey);
  });
});
