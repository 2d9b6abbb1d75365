import { defineMachine, type TransitionName } from './state-machine';

/** The events a webhook may subscribe to; `all` takes every one. */
export const WEBHOOK_EVENTS = ['batch_created', 'batch_purchased', 'transaction_created', 'transaction_updated', 'all'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** The events the service emits (the outbox's `type`). */
export type EmittedWebhookEvent = Exclude<WebhookEvent, 'all'>;

/** Whether a webhook subscribed to `subscribed` receives an event of type `type`. */
export function webhookReceives(subscribed: WebhookEvent, type: string): boolean {
  return subscribed === 'all' || subscribed === type;
}

export const WEBHOOK_DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/**
 * A webhook delivery (`webhook_deliveries.status`): one event for one webhook.
 *
 *   delivered    pending -> succeeded            the receiver answered 2xx
 *   retry        pending -> pending              a failed attempt, another one scheduled
 *   gave_up      pending -> failed               retries ran out (24 h), the receiver answered 410, or the webhook is gone
 *   redeliver    succeeded | failed -> pending   the tenant asked for it again (POST .../redeliver)
 */
export const WEBHOOK_DELIVERY_TRANSITIONS = defineMachine({
  subject: 'webhook delivery',
  states: WEBHOOK_DELIVERY_STATES,
  initial: 'pending',
  transitions: {
    delivered: { from: ['pending'], to: ['succeeded'] },
    retry: { from: ['pending'], to: ['pending'] },
    gave_up: { from: ['pending'], to: ['failed'] },
    redeliver: { from: ['succeeded', 'failed'], to: ['pending'] },
  },
});
export type WebhookDeliveryTransition = TransitionName<typeof WEBHOOK_DELIVERY_TRANSITIONS>;

/** What one attempt came to, as the sender reports it. */
export type WebhookAttemptOutcome = 'succeeded' | 'failed' | 'gone' | 'refused';

/**
 * The rule after an attempt: delivered on 2xx; a 410 gives up and disables the webhook; any other
 * failure (a refused address included: DNS may change back) is retried until the retry window
 * since the first attempt has passed.
 */
export function afterWebhookAttempt(outcome: WebhookAttemptOutcome, retryWindowPassed: boolean): { transition: WebhookDeliveryTransition; disableWebhook: boolean } {
  if (outcome === 'succeeded') return { transition: 'delivered', disableWebhook: false };
  if (outcome === 'gone') return { transition: 'gave_up', disableWebhook: true };
  return { transition: retryWindowPassed ? 'gave_up' : 'retry', disableWebhook: false };
}

/** An attempt as the receiver's reach sees it: its outcome and the HTTP status, if the receiver answered. */
export interface WebhookAttemptAnswer {
  outcome: WebhookAttemptOutcome;
  statusCode?: number;
}

/**
 * Whether a round of attempts (one delivery job's share) reached the receiver:
 * - `reachable` if the receiver answered any of them, whatever the status: it judges each
 *   delivery (a receiver restarting may answer 500 to one and 200 to the next), so every
 *   delivery keeps being sent on its own schedule;
 * - `unreachable` if none got an answer (connection refused or reset, timeout, DNS, TLS, an
 *   address or URL refused): anything else sent now would fail the same way, so the webhook's
 *   other deliveries due now are recorded as failed without being sent, each rescheduled on its
 *   own backoff, and its next round is a single probe;
 * - `unchanged` when there was nothing, or on a 410 (which turns the webhook off instead).
 * A receiver that is down therefore costs one connection attempt a round, not one per pending
 * event, and no delivery is attempted later than its own schedule says.
 */
export function webhookReachAfter(attempts: readonly WebhookAttemptAnswer[]): 'reachable' | 'unreachable' | 'unchanged' {
  if (attempts.length === 0 || attempts.some((a) => a.outcome === 'gone')) return 'unchanged';
  return attempts.some((a) => a.statusCode !== undefined) ? 'reachable' : 'unreachable';
}
