import type { WebhookRecord } from '@shipbatch/shipping/application';

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
