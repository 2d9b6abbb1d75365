import type { ProviderDefinition } from '@shipbatch/providers/core';
import { SHIPPO_CAPABILITIES } from './shippo.capabilities';
import { SHIPPO_DEFAULT_BASE_URL, ShippoClient } from './shippo.client';
import { ShippoProviderOptions } from './shippo-provider.options';
import { ShippoProvider } from './shippo.provider';

/** The `shippo` provider's registration (Shippo API 2018-02-08). */
export const shippoProviderDefinition: ProviderDefinition<ShippoProviderOptions> = {
  key: 'shippo',
  displayName: 'Shippo',
  optionsClass: ShippoProviderOptions,
  capabilities: SHIPPO_CAPABILITIES,
  baseUrl: { env: 'SHIPPO_BASE_URL', default: SHIPPO_DEFAULT_BASE_URL },
  secretParameters: ['api_token'],
  create(options, context) {
    return new ShippoProvider(new ShippoClient(options, context), options, context);
  },
};
