import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderContext } from '@shipbatch/providers/core';
import {
  anAddress,
  aPurchaseCommand as command,
  aValidShipment,
  expectSecretHidden,
  providerFailure,
} from '@shipbatch/providers/testing';
import { type FakeShippo, startFakeShippo } from '../testing';
import { ShippoClient } from './shippo.client';
import { ShippoProviderOptions } from './shippo-provider.options';
import { ShippoProvider } from './shippo.provider';

// Every kind of failure the adapter can produce, each checked for the token in every form an
// error is shown: message, stack, JSON, util.inspect (cause and details included).
let fake: FakeShippo;

beforeAll(async () => {
  fake = await startFakeShippo({ limitScale: 20 });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  fake.faults.clear();
  fake.queueNext(0, 1);
});

function make(input: { known?: boolean; baseUrl?: string } = {}) {
  const token = `shippo_test_secret_${randomUUID().replace(/-/g, '')}`;
  const carrierAccount = randomUUID().replace(/-/g, '');
  if (input.known !== false) fake.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });
  const options = Object.assign(new ShippoProviderOptions(), { api_token: token, carrier_account: carrierAccount });
  const context: ProviderContext = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: input.baseUrl ?? fake.url };
  // A short request timeout so that the `timeout` fault ends quickly (no timing is asserted).
  const provider = new ShippoProvider(new ShippoClient(options, context, { timeoutMs: 300 }), options, context, { pollDelaysMs: [1], lookup: { maxPages: 1 } });
  return { provider, token };
}

describe('Shippo credentials never appear in errors', () => {
  it('a token Shippo does not know (a real 401)', async () => {
    const { provider, token } = make({ known: false });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), token);
    expectSecretHidden(await providerFailure(provider.findPurchase(randomUUID())), token);
    expectSecretHidden(await providerFailure(provider.nativeBatch.status('f'.repeat(32))), token);
  });

  it.each([400, 401, 403, 404, 429, 500, 503])('an answer %i whose body and headers echo the token', async (status) => {
    const { provider, token } = make();
    fake.faults.inject({ kind: 'status', status, body: { detail: `ShippoToken ${token} refused`, shipment: [`token ${token}`] }, headers: { 'X-Echo': token, 'Retry-After': '1' } });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), token);
  });

  it('an answer with a plain-text body that echoes the token', async () => {
    const { provider, token } = make();
    fake.faults.inject({ kind: 'status', status: 502, body: `bad gateway for ${token}` });
    expectSecretHidden(await providerFailure(provider.voidLabel('a'.repeat(32))), token);
  });

  it.each(['reset', 'lost_answer', 'timeout'] as const)('a %s on the network, on a purchase and while polling', async (kind) => {
    const { provider, token } = make();
    fake.faults.inject({ kind });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), token);
    fake.queueNext(1, 5);
    fake.faults.inject({ kind }, { operationId: 'GetTransaction' });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), token);
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { provider, token } = make({ baseUrl: `http://127.0.0.1:${port}` });
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command())), token);
  });

  it('ERROR transactions, refused refunds, an unknown outcome, local refusals', async () => {
    const { provider, token } = make();
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command({ serviceLevelToken: 'ups_ground' }))), token);
    expectSecretHidden(await providerFailure(provider.voidLabel('f'.repeat(32))), token);
    expectSecretHidden(await providerFailure(provider.voidLabel(token)), token);
    expectSecretHidden(await providerFailure(provider.purchaseLabel(command({ reference: token, shipment: aValidShipment({ addressTo: anAddress({ zip: undefined }) }) }))), token);
    for (let i = 0; i < 101; i++) await provider.purchaseLabel(command());
    expectSecretHidden(await providerFailure(provider.findPurchase(token)), token);
  });

  it('a label download that fails at a URL holding the token', async () => {
    const { provider, token } = make();
    expectSecretHidden(await providerFailure(provider.downloadDocument(`${fake.url}/labels/${token}.pdf?token=${token}`)), token);
    expectSecretHidden(await providerFailure(provider.downloadDocument(`ftp://files.example/${token}.pdf`)), token);
  });
});
