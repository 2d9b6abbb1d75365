import { randomUUID } from 'node:crypto';
import { aShipmentWithSenderPhone, describeProviderContract, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from '../testing';
import { shipStationProviderDefinition } from './shipstation.definition';
import { ShipStationProviderOptions } from './shipstation-provider.options';

// One fake ShipStation v2 (a real HTTP server checking every request and answer against the
// ShipEngine OpenAPI file) for this file; every test gets a fresh API key and carrier with a balance.

let fake: FakeShipStation;
let serial = 0;

beforeAll(async () => {
  fake = await startFakeShipStation({ rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake);

describeProviderContract(
  'shipstation',
  async ({ pacer }) => {
    serial += 1;
    const apiKey = `TEST_${randomUUID().replace(/-/g, '')}`;
    const carrierId = `se-${900000 + serial}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 500 }] });
    const options = Object.assign(new ShipStationProviderOptions(), { api_key: apiKey, carrier_id: carrierId });
    return {
      provider: shipStationProviderDefinition.create(options, { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url, pacer }),
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      // ShipStation's ship_from requires a phone number.
      shipment: aShipmentWithSenderPhone(),
      http: {
        faults: fake.faults,
        purchase: { method: 'POST', path: '/v2/labels' },
        nativePurchase: { method: 'POST', path: /^\/v2\/batches\/[^/]+\/process\/labels$/ },
        requestCount: () => fake.stats().requests,
        secrets: [apiKey],
        sales: (reference) => fake.salesFor(reference),
        errorBody: (status) => ({
          request_id: randomUUID(),
          errors: [
            status === 400
              ? { error_source: 'shipengine', error_type: 'validation', error_code: 'invalid_address', message: 'ship_to.postal_code is invalid' }
              : status === 401
                ? { error_source: 'shipengine', error_type: 'security', error_code: 'unauthorized', message: 'The API key is invalid.' }
                : status === 429
                  ? { error_source: 'shipengine', error_type: 'system', error_code: 'rate_limit_exceeded', message: 'Rate limit exceeded.' }
                  : { error_source: 'shipengine', error_type: 'system', error_code: 'unspecified', message: 'Internal server error.' },
          ],
        }),
      },
    };
  },
  { capabilities: shipStationProviderDefinition.capabilities, http: true },
);
