import type { ProviderDefinition } from '@shipbatch/providers/core';
import { SHIPSTATION_CAPABILITIES } from './shipstation.capabilities';
import { SHIPSTATION_DEFAULT_BASE_URL, ShipStationClient } from './shipstation.client';
import { ShipStationProviderOptions } from './shipstation-provider.options';
import { ShipStationProvider } from './shipstation.provider';

/** The `shipstation` provider's registration (ShipStation API v2). */
export const shipStationProviderDefinition: ProviderDefinition<ShipStationProviderOptions> = {
  key: 'shipstation',
  displayName: 'ShipStation API v2',
  optionsClass: ShipStationProviderOptions,
  capabilities: SHIPSTATION_CAPABILITIES,
  baseUrl: { env: 'SHIPSTATION_BASE_URL', default: SHIPSTATION_DEFAULT_BASE_URL },
  secretParameters: ['api_key'],
  create(options, context) {
    return new ShipStationProvider(new ShipStationClient(options, context), options, context);
  },
};
