import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { WEBHOOK_EVENTS } from '@shipbatch/shipping/domain';
import { component, dateTime, str } from '../openapi/schema.builders';

export const WEBHOOK_SCHEMA = component('Webhook', {
  type: 'object',
  required: ['object_id', 'url', 'event', 'is_test', 'active', 'object_created', 'object_updated'],
  properties: {
    object_id: str(),
    url: str(),
    event: { type: 'string', enum: [...WEBHOOK_EVENTS] },
    is_test: { type: 'boolean' },
    active: { type: 'boolean' },
    disabled_reason: str('why the service turned the webhook off (a receiver answered 410); absent when it did not'),
    object_created: dateTime(),
    object_updated: dateTime(),
    secret: { type: 'string', pattern: '^whsec_', description: 'only in the answer that created the webhook' },
  },
});

export const WEBHOOK_CREATED_SCHEMA: SchemaObject = {
  allOf: [WEBHOOK_SCHEMA, { type: 'object', required: ['secret'] }],
};
