import { LABEL_FILE_TYPES, type ProviderCapabilities, type ProviderDefinition } from '@shipbatch/providers/core';
import { ShipStationClient } from './shipstation.client';
import { SERVICE_CODES } from './shipstation.mapper';
import { ShipStationProviderOptions } from './shipstation-provider.options';
import { ShipStationProvider } from './shipstation.provider';

/** What ShipStation API v2 can do. The core reads these instead of asking which provider it is. */
export const SHIPSTATION_CAPABILITIES: ProviderCapabilities = {
  rates: false,
  addressValidation: false,
  purchaseDeduplication: 'none',
  labelFileTypes: LABEL_FILE_TYPES,
  funding: { prepaidBalance: false, addFunds: false },
  serviceLevels: { usps: Object.keys(SERVICE_CODES) },
};

/** The `shipstation` provider's registration. */
export const shipStationProviderDefinition: ProviderDefinition<ShipStationProviderOptions> = {
  key: 'shipstation',
  displayName: 'ShipStation API v2',
  optionsClass: ShipStationProviderOptions,
  capabilities: SHIPSTATION_CAPABILITIES,
  baseUrl: { env: 'SHIPSTATION_BASE_URL', default: 'https://api.shipstation.com' },
  secretParameters: ['api_key'],
  create(options, context) {
    return new ShipStationProvider(new ShipStationClient(options, context), context);
  },
};
