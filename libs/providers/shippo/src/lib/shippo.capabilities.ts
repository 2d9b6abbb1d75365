import { EVERY_SHIPMENT_EXTRA, LABEL_FILE_TYPES, type ProviderCapabilities } from '@shipbatch/providers/core';
import { SHIPPO_SERVICE_LEVELS } from './shippo.service-levels';

/** The largest batch Shippo's batch API takes. */
export const SHIPPO_MAX_BATCH_SIZE = 10_000;

/** What Shippo can do. The core reads these instead of asking which provider it is. */
export const SHIPPO_CAPABILITIES: ProviderCapabilities = {
  nativeBatch: { maxSize: SHIPPO_MAX_BATCH_SIZE },
  // Instant transactions buy without a rate; quotes would need a shipment and its rates first.
  rates: false,
  addressValidation: true,
  purchaseDeduplication: 'lookup',
  labelFileTypes: LABEL_FILE_TYPES,
  // Shippo bills the account; it keeps no prepaid balance to read or top up.
  funding: { prepaidBalance: false, addFunds: false },
  voidWindowHours: 720,
  serviceLevels: SHIPPO_SERVICE_LEVELS,
  // Shippo's own vocabulary: `extra` goes to Shippo as sent (its carriers decide which apply).
  shipmentExtras: EVERY_SHIPMENT_EXTRA,
};
