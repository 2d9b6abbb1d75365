import { component, nullableDateTime, str } from '../openapi/schema.builders';

export const FUNDING_POLICY_SCHEMA = component('FundingPolicy', {
  type: 'object',
  required: ['enabled', 'min_balance', 'top_up_amount', 'daily_cap'],
  properties: {
    enabled: { type: 'boolean' },
    min_balance: { type: 'number' },
    top_up_amount: { type: 'number' },
    daily_cap: { type: 'number' },
  },
});

/** Credentials (`parameters`) are never returned. */
export const CARRIER_ACCOUNT_SCHEMA = component('CarrierAccount', {
  type: 'object',
  required: ['object_id', 'object_owner', 'object_created', 'object_updated', 'provider', 'carrier', 'account_id', 'active', 'test', 'metadata', 'funding'],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    provider: str('mock, shipstation, shippo, shipstation_v1 or another registered provider'),
    carrier: str('e.g. usps'),
    account_id: str(),
    active: { type: 'boolean' },
    test: { type: 'boolean' },
    metadata: str(),
    funding: FUNDING_POLICY_SCHEMA,
  },
});
