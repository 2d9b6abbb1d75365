import { component, str } from '../openapi/schema.builders';

export const VOID_RESULT_SCHEMA = component('VoidResult', {
  type: 'object',
  required: ['approved', 'message'],
  properties: { approved: { type: 'boolean' }, message: str() },
});
