import { LABEL_FILE_TYPES, type ProviderCapabilities } from '@shipbatch/providers/core';

/** Carriers and Shippo service level tokens the mock sells, with list prices in cents. */
export const MOCK_PRICES_CENTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  usps: { usps_priority: 758, usps_priority_express: 2870, usps_ground_advantage: 520, usps_first_class: 450 },
  ups: { ups_ground: 1124, ups_next_day_air: 4890, ups_second_day_air: 2210, ups_3_day_select: 1849 },
  fedex: { fedex_ground: 1090, fedex_2_day: 2475, fedex_standard_overnight: 5120 },
  dhl_express: { dhl_express_worldwide: 6230 },
};

/** The price of a label for a carrier or service the mock does not list (never sold: validation refuses them). */
export const MOCK_DEFAULT_PRICE_CENTS = 1000;

export const MOCK_CAPABILITIES: ProviderCapabilities = {
  rates: true,
  addressValidation: true,
  purchaseDeduplication: 'lookup',
  labelFileTypes: LABEL_FILE_TYPES,
  funding: { prepaidBalance: true, addFunds: true },
  voidWindowHours: 720,
  serviceLevels: Object.fromEntries(Object.entries(MOCK_PRICES_CENTS).map(([c, s]) => [c, Object.keys(s)])),
  // Printed on the label (label-layout); anything else (insurance, COD...) the service refuses for the mock.
  shipmentExtras: { signature_confirmation: { values: ['STANDARD', 'ADULT'] }, reference_1: true, reference_2: true },
};
