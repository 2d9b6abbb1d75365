import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LABEL_FILE_TYPES } from '@shipbatch/providers/core';
import { BATCH_SHIPMENT_STATUSES, BATCH_STATUSES } from '@shipbatch/shipping/domain';
import { component, int, nullableDateTime, nullableStr, str, url } from '../openapi/schema.builders';
import { SHIPMENT_MESSAGE_SCHEMA } from './message.schema';
import { shippoPageSchema } from './shippo-page.schema';

export const BATCH_SHIPMENT_SCHEMA = component('BatchShipment', {
  type: 'object',
  required: ['object_id', 'object_status', 'status', 'shipment', 'transaction', 'carrier_account', 'servicelevel_token', 'metadata', 'messages'],
  properties: {
    object_id: str(),
    object_status: { type: 'string', enum: [...BATCH_SHIPMENT_STATUSES], description: 'PENDING until validated' },
    status: { type: 'string', enum: [...BATCH_SHIPMENT_STATUSES], description: 'the same as object_status (today’s Shippo name)' },
    shipment: nullableStr('the shipment object id, once validation stored it'),
    transaction: nullableStr('the transaction (label) object id, once bought'),
    carrier_account: nullableStr('the override given for this shipment, else null (the batch default applies)'),
    servicelevel_token: nullableStr('the override given for this shipment, else null (the batch default applies)'),
    metadata: str(),
    messages: { type: 'array', items: SHIPMENT_MESSAGE_SCHEMA },
  },
});

export const OBJECT_RESULTS_SCHEMA = component('BatchObjectResults', {
  type: 'object',
  required: ['purchase_succeeded', 'purchase_failed', 'creation_failed', 'creation_succeeded'],
  properties: {
    purchase_succeeded: int(),
    purchase_failed: int(),
    creation_failed: int(),
    creation_succeeded: int(),
  },
});

export const BATCH_SCHEMA = component('Batch', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_status',
    'status',
    'object_created',
    'object_updated',
    'metadata',
    'default_carrier_account',
    'default_servicelevel_token',
    'label_filetype',
    'batch_shipments',
    'object_results',
    'label_url',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_status: { type: 'string', enum: [...BATCH_STATUSES] },
    status: { type: 'string', enum: [...BATCH_STATUSES], description: 'the same as object_status (today’s Shippo name)' },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    metadata: str(),
    default_carrier_account: str(),
    default_servicelevel_token: str(),
    label_filetype: { type: 'string', enum: [...LABEL_FILE_TYPES] },
    batch_shipments: {
      ...shippoPageSchema(BATCH_SHIPMENT_SCHEMA),
      description: 'one page of the batch shipments (100 a page, in request order); empty in the answer to POST /batches and in lists',
    },
    object_results: OBJECT_RESULTS_SCHEMA,
    label_url: { type: 'array', items: url(), description: 'signed links to merged label files of at most 100 labels each, in batch order' },
  },
});

export const BATCH_LIST_SCHEMA: SchemaObject = shippoPageSchema(BATCH_SCHEMA);
