import { component, nullableDateTime, str } from '../openapi/schema.builders';
import { SHIPMENT_MESSAGE_SCHEMA } from './message.schema';

/** Shippo's address validation results; `{}` when the address was not validated on its own. */
export const ADDRESS_VALIDATION_RESULTS_SCHEMA = component('AddressValidationResults', {
  type: 'object',
  properties: { is_valid: { type: 'boolean' }, messages: { type: 'array', items: SHIPMENT_MESSAGE_SCHEMA } },
});

export const ADDRESS_SCHEMA = component('Address', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_created',
    'object_updated',
    'is_complete',
    'name',
    'company',
    'street1',
    'street2',
    'city',
    'state',
    'zip',
    'country',
    'phone',
    'email',
    'is_residential',
    'metadata',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    is_complete: { type: 'boolean', description: 'street1, city, zip and country are given' },
    name: str(),
    company: str(),
    street1: str(),
    street2: str(),
    street3: str(),
    city: str(),
    state: str(),
    zip: str(),
    country: str('ISO 3166-1 alpha-2'),
    phone: str(),
    email: str(),
    is_residential: { type: 'boolean', nullable: true },
    metadata: str(),
    test: { type: 'boolean' },
    validation_results: ADDRESS_VALIDATION_RESULTS_SCHEMA,
  },
});
