import { component, CURRENCY_CODES, str } from '../openapi/schema.builders';

/** Shippo's message: what validation, a provider or a purchase said about a shipment. */
export const SHIPMENT_MESSAGE_SCHEMA = component('ShipmentMessage', {
  type: 'object',
  required: ['source', 'code', 'text'],
  properties: {
    source: str('who said it: shipbatch or the provider (e.g. mock, shipstation, shippo)'),
    code: str('e.g. address_incomplete, insufficient_funds, purchase_outcome_unknown'),
    text: str(),
  },
});

/** ISO 4217, upper case (Shippo's spelling). */
export const CURRENCY_UPPER_SCHEMA = component('CurrencyCode', {
  type: 'string',
  description: 'ISO 4217, upper case (Shippo’s spelling)',
  enum: [...CURRENCY_CODES],
});

/** ISO 4217, lower case (ShipStation's spelling). */
export const CURRENCY_LOWER_SCHEMA = component('CurrencyCodeLower', {
  type: 'string',
  description: 'ISO 4217, lower case (ShipStation’s spelling)',
  enum: CURRENCY_CODES.map((c) => c.toLowerCase()),
});
