import { component, nullableDateTime, str } from '../openapi/schema.builders';
import { ADDRESS_SCHEMA } from './address.schema';
import { PARCEL_SCHEMA } from './parcel.schema';

/**
 * Shippo's shipment as validation stored it (`GET /shipments/{id}`, `GET /shipments`): its
 * addresses and parcels resolved to objects. Nothing is rated before purchase: `rates` is empty.
 */
export const SHIPMENT_SCHEMA = component('Shipment', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_created',
    'object_updated',
    'status',
    'address_from',
    'address_to',
    'address_return',
    'parcels',
    'shipment_date',
    'extra',
    'customs_declaration',
    'carrier_accounts',
    'rates',
    'messages',
    'metadata',
    'test',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    status: { type: 'string', enum: ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR'], description: 'SUCCESS: the shipment exists and is complete' },
    address_from: { allOf: [ADDRESS_SCHEMA], nullable: true, description: 'null when the address no longer resolves' },
    address_to: { allOf: [ADDRESS_SCHEMA], nullable: true, description: 'null when the address no longer resolves' },
    address_return: { allOf: [ADDRESS_SCHEMA], nullable: true },
    parcels: { type: 'array', items: PARCEL_SCHEMA },
    shipment_date: nullableDateTime(),
    extra: { type: 'object' },
    customs_declaration: { type: 'object', nullable: true },
    carrier_accounts: { type: 'array', items: { type: 'string' } },
    rates: { type: 'array', items: { type: 'object' }, description: 'always empty: nothing is rated before purchase' },
    messages: { type: 'array', items: { type: 'object' } },
    metadata: str(),
    test: { type: 'boolean' },
  },
});
