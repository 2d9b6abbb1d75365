import { component, str } from '../openapi/schema.builders';

export const MONEY_SCHEMA = component('Money', {
  type: 'object',
  required: ['currency', 'amount'],
  properties: { currency: str('ISO 4217, lower case'), amount: { type: 'number' } },
});
