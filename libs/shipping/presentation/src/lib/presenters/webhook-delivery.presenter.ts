import type { WebhookAttempt, WebhookDeliveryRecord } from '@shipbatch/shipping/application';

export function presentWebhookDelivery(d: WebhookDeliveryRecord) {
  return {
    object_id: d.id,
    webhook: d.webhookId,
    event_id: d.eventId,
    event: d.event,
    object: d.objectId,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
    object_created: d.createdAt.toISOString(),
  };
}

export function presentWebhookAttempt(a: WebhookAttempt) {
  return { attempted_at: a.at.toISOString(), outcome: a.outcome, status_code: a.statusCode ?? null, error: a.error ?? null, duration_ms: a.durationMs };
}
