import { retryDelayMs, shouldGiveUp } from '@shipbatch/platform/webhooks';
import { afterWebhookAttempt } from '@shipbatch/shipping/domain';
import type { RecordedAttempt, WebhookAttempt } from './webhook-delivery.repository';

/** The retry settings a delivery's schedule is made of (`WEBHOOK_RETRY_BASE_MS`, `WEBHOOK_RETRY_WINDOW_SECONDS`). */
export interface WebhookRetrySchedule {
  retryBaseMs: number;
  retryWindowMs: number;
  /** Uniform in [0, 1) for the jitter; default `Math.random` (inject for an exact schedule). */
  random?: () => number;
}

/**
 * What an attempt of a delivery leads to, decided from that delivery alone: `attempts` it had
 * made before this one, the first at `firstAttemptAt` (null: this is its first). Delivered on
 * 2xx; given up on 410 (which turns the webhook off) or once the retry window since its first
 * attempt has passed; otherwise retried at `now` + `retryDelayMs(attempts + 1)`: base, doubling,
 * minus up to 20 % jitter, capped. `now` is when the attempt's outcome was known. Nothing about
 * the webhook's other deliveries moves it: this is the schedule the contract promises, and an
 * attempt recorded without being sent (its receiver could not be reached) is scheduled the same.
 */
export function scheduleAfterAttempt(
  delivery: { id: string; attempts: number; firstAttemptAt: Date | null },
  attempt: WebhookAttempt,
  now: Date,
  schedule: WebhookRetrySchedule,
): RecordedAttempt {
  const next = afterWebhookAttempt(attempt.outcome, shouldGiveUp(delivery.firstAttemptAt ?? attempt.at, now, schedule.retryWindowMs));
  return {
    id: delivery.id,
    attempt,
    transition: next.transition,
    nextAttemptAt:
      next.transition === 'retry' ? new Date(now.getTime() + retryDelayMs(delivery.attempts + 1, { baseMs: schedule.retryBaseMs, random: schedule.random })) : undefined,
    disableWebhook: next.disableWebhook ? `the receiver answered 410 Gone to delivery ${delivery.id}` : undefined,
  };
}
