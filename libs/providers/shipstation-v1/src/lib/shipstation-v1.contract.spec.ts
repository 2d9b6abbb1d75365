import { randomUUID } from 'node:crypto';
import { describeProviderContract, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStationV1, startFakeShipStationV1 } from '../testing';
import { shipStationV1ProviderDefinition } from './shipstation-v1.definition';
import { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';

// One fake ShipStation v1 (src/testing/fake-shipstation-v1.ts: a real HTTP server checking every
// request and answer against openapi/shipstation-v1.openapi.json) for this file; every test gets a
// fresh API key and secret with a stamps_com carrier and a balance.

let fake: FakeShipStationV1;

beforeAll(async () => {
  fake = await startFakeShipStationV1({ rateLimit: 10_000 });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake, { answers: true });

describeProviderContract(
  'shipstation_v1',
  async ({ pacer }) => {
    const apiKey = `key${randomUUID().replace(/-/g, '')}`;
    const apiSecret = `secret${randomUUID().replace(/-/g, '')}`;
    fake.addAccount({ apiKey, apiSecret, carriers: [{ code: 'stamps_com', balance: 500 }] });
    const options = Object.assign(new ShipStationV1ProviderOptions(), { api_key: apiKey, api_secret: apiSecret, carrier_code: 'stamps_com' });
    return {
      provider: shipStationV1ProviderDefinition.create(options, { carrierAccountId: randomUUID(), carrier: 'usps', test: false, baseUrl: fake.url, pacer }),
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      http: {
        faults: fake.faults,
        purchase: { method: 'POST', path: '/orders/createlabelfororder' },
        requestCount: () => fake.requests().length,
        secrets: [apiKey, apiSecret, Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')],
        sales: (reference) => fake.salesFor(reference),
        errorBody: (status) => fake.errorBody(status, status === 400 ? "The request is invalid: shipTo.postalCode '9410' is not a valid ZIP code" : status === 401 ? 'Authorization has been denied for this request.' : `error ${status}`),
      },
    };
  },
  { capabilities: shipStationV1ProviderDefinition.capabilities, http: true },
);
