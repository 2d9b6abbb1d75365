import { IllegalTransitionError, transition } from './state-machine';
import { afterWebhookAttempt, WEBHOOK_DELIVERY_TRANSITIONS, webhookReachAfter, webhookReceives } from './webhooks';

describe('webhook deliveries', () => {
  it.each([
    ['delivered', 'pending', 'succeeded'],
    ['retry', 'pending', 'pending'],
    ['gave_up', 'pending', 'failed'],
    ['redeliver', 'succeeded', 'pending'],
    ['redeliver', 'failed', 'pending'],
  ] as const)('%s leads from %s to %s', (name, from, to) => {
    expect(transition(WEBHOOK_DELIVERY_TRANSITIONS, name, from).to).toBe(to);
  });

  it.each([
    ['delivered', 'succeeded'],
    ['delivered', 'failed'],
    ['retry', 'failed'],
    ['gave_up', 'succeeded'],
    ['redeliver', 'pending'],
  ] as const)('%s is refused from %s', (name, from) => {
    expect(() => transition(WEBHOOK_DELIVERY_TRANSITIONS, name, from)).toThrow(IllegalTransitionError);
  });

  it('after an attempt: 2xx delivers, 410 gives up and disables, anything else retries until the window has passed', () => {
    expect(afterWebhookAttempt('succeeded', true)).toEqual({ transition: 'delivered', disableWebhook: false });
    expect(afterWebhookAttempt('gone', false)).toEqual({ transition: 'gave_up', disableWebhook: true });
    expect(afterWebhookAttempt('failed', false)).toEqual({ transition: 'retry', disableWebhook: false });
    expect(afterWebhookAttempt('refused', false)).toEqual({ transition: 'retry', disableWebhook: false });
    expect(afterWebhookAttempt('failed', true)).toEqual({ transition: 'gave_up', disableWebhook: false });
  });

  it('a webhook receives its own event, and every event when it subscribed to all', () => {
    expect(webhookReceives('batch_created', 'batch_created')).toBe(true);
    expect(webhookReceives('batch_created', 'batch_purchased')).toBe(false);
    expect(webhookReceives('all', 'transaction_updated')).toBe(true);
  });

  it("a round reached the receiver if it answered any attempt (any status), unreachable if none got an answer, unchanged when empty or gone (410 turns it off instead)", () => {
    expect(webhookReachAfter([{ outcome: 'failed' }, { outcome: 'succeeded', statusCode: 200 }])).toBe('reachable');
    // A 500 is an answer: the receiver judged that delivery, the others still go on their own schedule.
    expect(webhookReachAfter([{ outcome: 'failed', statusCode: 500 }, { outcome: 'failed', statusCode: 503 }])).toBe('reachable');
    expect(webhookReachAfter([{ outcome: 'failed', statusCode: 302 }])).toBe('reachable');
    expect(webhookReachAfter([{ outcome: 'failed' }, { outcome: 'failed' }])).toBe('unreachable');
    expect(webhookReachAfter([{ outcome: 'refused' }])).toBe('unreachable');
    expect(webhookReachAfter([])).toBe('unchanged');
    expect(webhookReachAfter([{ outcome: 'gone', statusCode: 410 }, { outcome: 'failed' }])).toBe('unchanged');
  });
});
