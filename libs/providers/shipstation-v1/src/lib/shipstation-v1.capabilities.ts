import type { ProviderCapabilities } from '@shipbatch/providers/core';
import { serviceLevelsByCarrier } from './shipstation-v1.mapper';
import { SHIPSTATION_V1_SHIPMENT_EXTRAS } from './shipstation-v1-extra.mapper';

/** The smallest top-up `POST /carriers/addfunds` takes: $10.00 (its largest is $10,000.00). */
export const SHIPSTATION_V1_MIN_TOP_UP_MINOR = 1000;
export const SHIPSTATION_V1_MAX_TOP_UP_MINOR = 1_000_000;

/** What ShipStation's legacy API v1 can do. The core reads these instead of asking which provider it is. */
export const SHIPSTATION_V1_CAPABILITIES: ProviderCapabilities = {
  // v1 has no batch label creation: one call per label.
  rates: false,
  addressValidation: false,
  // The order path: orderKey = orderNumber = our reference, found again by GET /shipments?orderNumber=.
  purchaseDeduplication: 'lookup',
  // createlabelfororder answers labelData, a base64 PDF (4 x 6).
  labelFileTypes: ['PDF_4x6'],
  funding: { prepaidBalance: true, addFunds: true, minTopUpMinor: SHIPSTATION_V1_MIN_TOP_UP_MINOR },
  voidWindowHours: 720,
  serviceLevels: serviceLevelsByCarrier(),
  shipmentExtras: SHIPSTATION_V1_SHIPMENT_EXTRAS,
};
