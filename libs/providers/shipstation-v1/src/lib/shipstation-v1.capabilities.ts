import { LABEL_FILE_TYPES, type ProviderCapabilities } from '@shipbatch/providers/core';
import { SERVICE_CODES } from './shipstation-v1.mapper';

/**
 * What ShipStation v1 can do. The core reads these instead of asking which provider it is; the
 * contract suite defines its cases from them (void, balance, funds, quotes, address validation,
 * native batch only when declared). TODO: the provider's real answers.
 */
export const SHIPSTATION_V1_CAPABILITIES: ProviderCapabilities = {
  rates: false,
  addressValidation: false,
  // An HTTP adapter finds a purchase whose answer was lost by our reference (findPurchase).
  purchaseDeduplication: 'lookup',
  labelFileTypes: LABEL_FILE_TYPES,
  funding: { prepaidBalance: false, addFunds: false },
  serviceLevels: { usps: Object.keys(SERVICE_CODES) },
  // The shipment extras the mapper sends (signature_confirmation, insurance, ...); the service refuses any other.
  shipmentExtras: {},
};
