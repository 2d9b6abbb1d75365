import { component, nullableDateTime, nullableObject, str } from '../openapi/schema.builders';
import { MONEY_SCHEMA } from './money.schema';

export const FUNDING_EVENT_SCHEMA = component('FundingEvent', {
  type: 'object',
  required: ['object_id', 'carrier_account', 'amount', 'balance_before', 'balance_after', 'reason', 'status', 'message', 'object_created'],
  properties: {
    object_id: str(),
    carrier_account: str(),
    amount: MONEY_SCHEMA,
    balance_before: nullableObject(MONEY_SCHEMA, 'null when the provider did not tell the balance'),
    balance_after: nullableObject(MONEY_SCHEMA, 'null when the provider did not tell the balance'),
    reason: { type: 'string', enum: ['pre_purchase', 'insufficient_funds', 'manual'] },
    status: { type: 'string', enum: ['succeeded', 'failed'] },
    message: str(),
    object_created: nullableDateTime(),
  },
});
