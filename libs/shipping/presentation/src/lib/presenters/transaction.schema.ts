import { LABEL_FILE_TYPES } from '@shipbatch/providers/core';
import { component, nullableDateTime, nullableStr, nullableUrl, str } from '../openapi/schema.builders';
import { CURRENCY_UPPER_SCHEMA, SHIPMENT_MESSAGE_SCHEMA } from './message.schema';

/** Shippo's tracking statuses; Shipbatch does not track parcels, so its transactions say UNKNOWN. */
export const SHIPPO_TRACKING_STATUSES = ['UNKNOWN', 'PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE'] as const;

/** Shippo's transaction: one bought label (`GET /transactions/{id}`, webhook `data`). */
export const TRANSACTION_SCHEMA = component('Transaction', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_state',
    'object_status',
    'status',
    'object_created',
    'object_updated',
    'test',
    'rate',
    'shipment',
    'batch',
    'carrier_account',
    'servicelevel_token',
    'tracking_number',
    'tracking_status',
    'tracking_url_provider',
    'eta',
    'label_url',
    'label_file_type',
    'commercial_invoice_url',
    'amount',
    'currency',
    'messages',
    'metadata',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_state: { type: 'string', enum: ['VALID'] },
    object_status: { type: 'string', enum: ['SUCCESS', 'REFUNDED'] },
    status: { type: 'string', enum: ['SUCCESS', 'REFUNDED'], description: 'the same as object_status' },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    test: { type: 'boolean' },
    rate: { type: 'string', nullable: true, description: 'always null: batches buy without a rate object' },
    shipment: nullableStr(),
    batch: nullableStr(),
    carrier_account: str(),
    servicelevel_token: str(),
    tracking_number: str(),
    tracking_status: { type: 'string', enum: [...SHIPPO_TRACKING_STATUSES], description: 'UNKNOWN (tracking is not followed)' },
    tracking_url_provider: str(),
    eta: nullableDateTime(),
    label_url: str('a signed link to the label file (empty when there is none)'),
    label_file_type: { type: 'string', enum: [...LABEL_FILE_TYPES] },
    commercial_invoice_url: nullableUrl(),
    amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'decimal string, e.g. "5.25"' },
    currency: CURRENCY_UPPER_SCHEMA,
    messages: { type: 'array', items: SHIPMENT_MESSAGE_SCHEMA },
    metadata: str(),
  },
});
