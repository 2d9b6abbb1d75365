import type { LabelFileType, ProviderCapabilities } from '@shipbatch/providers/core';
import { SHIPSTATION_MAX_BATCH_SIZE } from './shipstation-batch.rules';
import { LABEL_FORMATS, serviceLevelsByCarrier } from './shipstation.mapper';
import { SHIPSTATION_SHIPMENT_EXTRAS } from './shipstation-extra.mapper';

/** The smallest top-up ShipStation's add_funds takes here: $10.00. */
export const SHIPSTATION_MIN_TOP_UP_MINOR = 1000;

/** What ShipStation API v2 can do. The core reads these instead of asking which provider it is. */
export const SHIPSTATION_CAPABILITIES: ProviderCapabilities = {
  // POST /v2/shipments in bulk, /v2/batches, process/labels, labels listed by batch.
  nativeBatch: { maxSize: SHIPSTATION_MAX_BATCH_SIZE },
  // quote(): POST /v2/rates/estimate.
  rates: true,
  addressValidation: true,
  purchaseDeduplication: 'lookup',
  labelFileTypes: Object.keys(LABEL_FORMATS) as LabelFileType[],
  funding: { prepaidBalance: true, addFunds: true, minTopUpMinor: SHIPSTATION_MIN_TOP_UP_MINOR },
  voidWindowHours: 720,
  serviceLevels: serviceLevelsByCarrier(),
  shipmentExtras: SHIPSTATION_SHIPMENT_EXTRAS,
};
