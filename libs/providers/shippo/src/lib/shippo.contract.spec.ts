import { randomUUID } from 'node:crypto';
import { describeProviderContract, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShippo, startFakeShippo } from '../testing';
import { shippoProviderDefinition } from './shippo.definition';
import { ShippoProviderOptions } from './shippo-provider.options';

// One fake Shippo (a real HTTP server checking every request and answer against Shippo's
// OpenAPI file) for this file; every test gets a fresh token and carrier account.
let fake: FakeShippo;

beforeAll(async () => {
  fake = await startFakeShippo({ limitScale: 20 });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake);

describeProviderContract(
  'shippo',
  async ({ pacer }) => {
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const carrierAccount = randomUUID().replace(/-/g, '');
    fake.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });
    const options = Object.assign(new ShippoProviderOptions(), { api_token: token, carrier_account: carrierAccount });
    return {
      provider: shippoProviderDefinition.create(options, { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url, pacer }),
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      http: {
        faults: fake.faults,
        purchase: { method: 'POST', path: '/transactions' },
        nativePurchase: { method: 'POST', path: /^\/batches\/[^/]+\/purchase$/ },
        requestCount: () => fake.stats().requests,
        secrets: [token],
        sales: (reference) => fake.salesFor(reference),
        errorBody: (status) =>
          status === 400
            ? { shipment: { address_to: { zip: ['This ZIP code is not valid.'] } } }
            : status === 401
              ? { detail: 'Invalid token.' }
              : status === 429
                ? { detail: 'Request was throttled. Expected available in 7 seconds.' }
                : { detail: 'Internal server error.' },
      },
    };
  },
  { capabilities: shippoProviderDefinition.capabilities, http: true },
);
