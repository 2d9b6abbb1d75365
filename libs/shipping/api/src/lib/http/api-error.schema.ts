import { component, str } from '@shipbatch/shipping/presentation';

export const ERROR_ITEM_SCHEMA = component('ErrorItem', {
  type: 'object',
  required: ['error_source', 'error_type', 'error_code', 'message'],
  properties: {
    error_source: { type: 'string', enum: ['shipbatch'] },
    error_type: { type: 'string', enum: ['validation', 'security', 'business_rules', 'system'] },
    error_code: str('machine-readable, e.g. invalid_field_value, not_found, unauthorized, batch_not_valid'),
    message: str('for people'),
    field_name: str('the field (or query parameter, header) the error is about, e.g. batch_shipments[3].shipment.address_to'),
  },
});

/** ShipStation's error shape, used by every error answer (API-CONTRACT.md, "Errors and limits"). */
export const ERROR_SCHEMA = component('Error', {
  type: 'object',
  required: ['request_id', 'errors'],
  properties: {
    request_id: str('the X-Request-Id header when given, else a new UUID'),
    errors: { type: 'array', minItems: 1, items: ERROR_ITEM_SCHEMA },
  },
});
