import type { ProviderDefinition } from '@shipbatch/providers/core';
import { SHIPSTATION_V1_CAPABILITIES } from './shipstation-v1.capabilities';
import { SHIPSTATION_V1_DEFAULT_BASE_URL, ShipStationV1Client } from './shipstation-v1.client';
import { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';
import { ShipStationV1Provider } from './shipstation-v1.provider';

/** The `shipstation_v1` provider's registration (ShipStation's legacy API v1). */
export const shipStationV1ProviderDefinition: ProviderDefinition<ShipStationV1ProviderOptions> = {
  key: 'shipstation_v1',
  displayName: 'ShipStation v1',
  optionsClass: ShipStationV1ProviderOptions,
  capabilities: SHIPSTATION_V1_CAPABILITIES,
  baseUrl: { env: 'SHIPSTATION_V1_BASE_URL', default: SHIPSTATION_V1_DEFAULT_BASE_URL },
  secretParameters: ['api_key', 'api_secret'],
  create(options, context) {
    return new ShipStationV1Provider(new ShipStationV1Client(options, context), context);
  },
};
