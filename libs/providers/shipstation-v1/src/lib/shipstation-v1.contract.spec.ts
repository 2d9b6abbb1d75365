import { randomUUID } from 'node:crypto';
import { describeProviderContract, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStationV1, startFakeShipStationV1 } from '../testing';
import { shipStationV1ProviderDefinition } from './shipstation-v1.definition';
import { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';

// One fake ShipStation v1 (src/testing/fake-shipstation-v1.ts: a real HTTP server checking every
// request and answer against openapi/shipstation-v1.openapi.json) for this file; every test gets a
// fresh API key.

let fake: FakeShipStationV1;

beforeAll(async () => {
  fake = await startFakeShipStationV1();
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake);

describeProviderContract(
  'shipstation_v1',
  async ({ pacer }) => {
    const apiKey = `test_${randomUUID().replace(/-/g, '')}`;
    fake.addAccount(apiKey);
    const options = Object.assign(new ShipStationV1ProviderOptions(), { api_key: apiKey });
    return {
      provider: shipStationV1ProviderDefinition.create(options, { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url, pacer }),
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      http: {
        faults: fake.faults,
        // TODO: the purchase request, e.g. { method: 'POST', path: '/labels' } (default: any request).
        requestCount: () => fake.requests().length,
        secrets: [apiKey],
        sales: (reference) => fake.salesFor(reference),
        // The provider's own error body, for the faults the suite injects.
        errorBody: (status) => fake.errorBody(status, status === 400 ? 'address_to.zip is invalid' : `error ${status}`),
      },
    };
  },
  { capabilities: shipStationV1ProviderDefinition.capabilities, http: true },
);

