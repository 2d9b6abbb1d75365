import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { component, str } from '@shipbatch/shipping/presentation';

/**
 * The codes the service itself gives (`<object>_not_found` for each kind of object). The list
 * stays open: a provider's refusal passes its own code through (a 409 of add_funds, say).
 */
export const KNOWN_ERROR_CODES = [
  'invalid_field_value',
  'unknown_field',
  'invalid_json',
  'invalid_body',
  'parameters_invalid',
  'repeated_parameter',
  'too_many_parameters',
  'request_too_large',
  'unsupported_media_type',
  'unauthorized',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'batch_not_found',
  'address_not_found',
  'parcel_not_found',
  'shipment_not_found',
  'transaction_not_found',
  'label_not_found',
  'carrier_account_not_found',
  'webhook_not_found',
  'webhook_delivery_not_found',
  'batch_shipment_not_found',
  'batch_empty',
  'batch_invalid',
  'batch_validating',
  'batch_purchasing',
  'batch_already_purchased',
  'batch_not_modifiable',
  'carrier_account_invalid',
  'provider_unknown',
  'balance_not_supported',
  'add_funds_not_supported',
  'funding_not_supported',
  'funding_in_progress',
  'amount_refused',
  'webhook_url_refused',
  'idempotency_key_in_progress',
  'idempotency_key_reused',
  'provider_unavailable',
  'internal_error',
] as const;

export const ERROR_ITEM_SCHEMA = component('ErrorItem', {
  type: 'object',
  required: ['error_source', 'error_type', 'error_code', 'message'],
  properties: {
    error_source: { type: 'string', enum: ['shipbatch'] },
    error_type: { type: 'string', enum: ['validation', 'security', 'business_rules', 'system'] },
    error_code: {
      type: 'string',
      description: 'machine-readable; the known codes are listed in x-extensible-enum, and a provider’s refusal may pass its own code through',
      example: 'invalid_field_value',
      'x-extensible-enum': [...KNOWN_ERROR_CODES],
    } as SchemaObject,
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
