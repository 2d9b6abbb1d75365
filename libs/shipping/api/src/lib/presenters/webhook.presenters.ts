import type { WebhookAttempt, WebhookDeliveryRecord, WebhookRecord } from '@shipbatch/shipping/application';

/** A webhook in Shippo's shape; the secret is shown only by the answer that created it. */
export function presentWebhook(w: WebhookRecord, secret?: string) {
  return {
    object_id: w.id,
    url: w.url,
    event: w.event,
    is_test: w.isTest,
    active: w.active,
    ...(w.disabledReason ? { disabled_reason: w.disabledReason } : {}),
    object_created: w.createdAt.toISOString(),
    object_updated: w.updatedAt.toISOString(),
    ...(secret ? { secret } : {}),
  };
}

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
