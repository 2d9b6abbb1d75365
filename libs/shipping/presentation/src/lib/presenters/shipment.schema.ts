import { component, nullableDateTime, nullableObject, str } from '../openapi/schema.builders';
import { CURRENCY_UPPER_SCHEMA, SHIPMENT_MESSAGE_SCHEMA } from './message.schema';
import { ADDRESS_SCHEMA } from './address.schema';
import { PARCEL_SCHEMA } from './parcel.schema';

/** Shippo's `extra` of a shipment: service options (signature, insurance, references, ...). */
export const SHIPMENT_EXTRA_SCHEMA = component('ShipmentExtra', {
  type: 'object',
  description: 'Shippo’s shipment options, as given',
  properties: {
    signature_confirmation: { type: 'string', enum: ['STANDARD', 'ADULT', 'CERTIFIED', 'INDIRECT', 'CARRIER_CONFIRMATION'] },
    insurance: {
      type: 'object',
      properties: { amount: str('decimal string'), currency: CURRENCY_UPPER_SCHEMA, content: str(), provider: str() },
    },
    reference_1: str(),
    reference_2: str(),
    saturday_delivery: { type: 'boolean' },
    bypass_address_validation: { type: 'boolean' },
  },
});

/** Shippo's rate; Shipbatch rates nothing before purchase, so a shipment's `rates` is always empty. */
export const RATE_SCHEMA = component('Rate', {
  type: 'object',
  required: ['object_id', 'amount', 'currency', 'provider', 'servicelevel'],
  properties: {
    object_id: str(),
    amount: str('decimal string'),
    currency: CURRENCY_UPPER_SCHEMA,
    provider: str(),
    carrier_account: str(),
    servicelevel: { type: 'object', required: ['token'], properties: { token: str(), name: str() } },
    estimated_days: { type: 'integer', nullable: true },
  },
});

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
    address_from: nullableObject(ADDRESS_SCHEMA, 'null when the address no longer resolves'),
    address_to: nullableObject(ADDRESS_SCHEMA, 'null when the address no longer resolves'),
    address_return: nullableObject(ADDRESS_SCHEMA, 'null when none was given'),
    parcels: { type: 'array', items: PARCEL_SCHEMA },
    shipment_date: nullableDateTime(),
    extra: SHIPMENT_EXTRA_SCHEMA,
    customs_declaration: { type: 'object', nullable: true },
    carrier_accounts: { type: 'array', items: { type: 'string' } },
    rates: { type: 'array', items: RATE_SCHEMA, description: 'always empty: nothing is rated before purchase' },
    messages: { type: 'array', items: SHIPMENT_MESSAGE_SCHEMA },
    metadata: str(),
    test: { type: 'boolean' },
  },
});
