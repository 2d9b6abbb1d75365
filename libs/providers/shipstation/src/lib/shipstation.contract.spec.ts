import { randomUUID } from 'node:crypto';
import { describeProviderContract, loadOpenApi, providerSpecPath, startFakeServer } from '@shipbatch/providers/testing';
import { shipStationProviderDefinition } from './shipstation.definition';
import { ShipStationProviderOptions } from './shipstation-provider.options';

// A fake ShipStation API v2 built from its OpenAPI file: every request the adapter sends is checked
// against it. Give it handlers (by operationId) for the calls the client makes.
describeProviderContract(
  'shipstation',
  async () => {
    const fake = await startFakeServer({ document: loadOpenApi(providerSpecPath('shipstation-openapi.yaml')), handlers: {} });
    const options = Object.assign(new ShipStationProviderOptions(), { api_key: 'test-key' });
    return {
      provider: shipStationProviderDefinition.create(options, { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url }),
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      teardown: () => fake.close(),
    };
  },
  { capabilities: shipStationProviderDefinition.capabilities },
);
