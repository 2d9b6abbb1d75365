import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENTS } from '@shipbatch/shipping/domain';
import { component, dateTime, int, nullableDateTime, nullableStr, str } from '../openapi/schema.builders';

export const WEBHOOK_DELIVERY_SCHEMA = component('WebhookDelivery', {
  type: 'object',
  required: ['object_id', 'webhook', 'event_id', 'event', 'object', 'status', 'attempts', 'last_status_code', 'last_error', 'next_attempt_at', 'object_created'],
  properties: {
    object_id: str('also the webhook-id header of every attempt'),
    webhook: str(),
    event_id: str(),
    event: { type: 'string', enum: WEBHOOK_EVENTS.filter((e) => e !== 'all') },
    object: str('the id of the object the event is about'),
    status: { type: 'string', enum: [...WEBHOOK_DELIVERY_STATES] },
    attempts: int('attempts on this delivery\'s own schedule, those recorded as not sent included'),
    last_status_code: { type: 'integer', nullable: true },
    last_error: nullableStr(),
    next_attempt_at: nullableDateTime('when this delivery is next tried: after a failed attempt, its own backoff (10 s by default, doubling, minus up to 20 % jitter, at most an hour apart)'),
    object_created: dateTime(),
  },
});

export const WEBHOOK_ATTEMPT_SCHEMA = component('WebhookAttempt', {
  type: 'object',
  required: ['attempted_at', 'outcome', 'status_code', 'error', 'duration_ms'],
  properties: {
    attempted_at: dateTime(),
    outcome: { type: 'string', enum: ['succeeded', 'failed', 'gone', 'refused'] },
    status_code: { type: 'integer', nullable: true },
    error: nullableStr(
      'why it failed; `not sent: the receiver could not be reached (<error>, delivery <id>)` when it was recorded without being sent because that delivery, tried in the same round, got no answer',
    ),
    duration_ms: { type: 'number', minimum: 0 },
  },
});

export const WEBHOOK_DELIVERY_DETAIL_SCHEMA: SchemaObject = {
  allOf: [
    WEBHOOK_DELIVERY_SCHEMA,
    {
      type: 'object',
      required: ['attempt_history'],
      properties: { attempt_history: { type: 'array', items: WEBHOOK_ATTEMPT_SCHEMA, description: 'oldest first' } },
    },
  ],
};
