import { component } from '../openapi/schema.builders';
import { CURRENCY_LOWER_SCHEMA } from './message.schema';

export const MONEY_SCHEMA = component('Money', {
  type: 'object',
  required: ['currency', 'amount'],
  properties: { currency: CURRENCY_LOWER_SCHEMA, amount: { type: 'number' } },
});
