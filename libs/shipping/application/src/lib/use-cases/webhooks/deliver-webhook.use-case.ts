import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { retryDelayMs, shouldGiveUp, type WebhookAttemptResult, WebhookSender } from '@shipbatch/platform/webhooks';
import { afterWebhookAttempt, webhookHealthAfter } from '@shipbatch/shipping/domain';
import type { ClaimedDelivery, RecordedAttempt, WebhookDeliveryRepository, WebhookHealthChange, WebhookObjectRenderer } from '../../ports/webhook.repository';
import { WEBHOOK_DELIVERY_REPOSITORY, WEBHOOK_OBJECT_RENDERER } from '../../ports/tokens';

/**
 * One round of delivery attempts (one job: deliveries of one webhook leased under one token).
 * Each body (`{"event", "test", "data"}`, data = the object as GET shows it) is made by its first
 * attempt and kept, so every retry sends the same bytes under the same `webhook-id`; signed per
 * Standard Webhooks and sent by the WebhookSender (address checked again, no redirects, 10 s),
 * all of the round at once. The domain decides what comes next for each (delivered, retry with
 * backoff and jitter, failed after 24 h or on 410, which also turns the webhook off) and for the
 * receiver (a round without a success holds its other deliveries); all of it is recorded in one
 * transaction.
 */
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger(DeliverWebhookUseCase.name);

  constructor(
    @Inject(WEBHOOK_DELIVERY_REPOSITORY) private readonly deliveries: WebhookDeliveryRepository,
    @Inject(WEBHOOK_OBJECT_RENDERER) private readonly renderer: WebhookObjectRenderer,
    private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends the deliveries of `ids` still leased under `token`; the others (settled, taken over, webhook off) are skipped. */
  async execute(token: string, ids: readonly string[]): Promise<void> {
    const leased = await this.deliveries.loadLeased(ids, token);
    if (leased.length === 0) return;
    const bodies = await this.bodies(leased);
    const settings = this.config.webhooks;

    const results = await Promise.all(
      leased.map(async (d) => {
        const at = new Date();
        const result = await this.sender.send({ url: d.url, isTest: d.isTest, id: d.id, secret: d.secret, body: bodies.get(d.id) as string, timestamp: at });
        return { d, at, result };
      }),
    );

    const now = new Date();
    const attempts: RecordedAttempt[] = results.map(({ d, at, result }) => {
      const next = afterWebhookAttempt(result.outcome, shouldGiveUp(d.firstAttemptAt ?? at, now, settings.retryWindowMs));
      return {
        id: d.id,
        attempt: { at, outcome: result.outcome, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs },
        transition: next.transition,
        nextAttemptAt: next.transition === 'retry' ? new Date(now.getTime() + retryDelayMs(d.attempts + 1, { baseMs: settings.retryBaseMs })) : undefined,
        disableWebhook: next.disableWebhook ? `the receiver answered 410 Gone to delivery ${d.id}` : undefined,
      };
    });
    const health = this.health(results, now);
    await this.deliveries.recordAttempts(attempts, health);
    this.log(results, attempts, health);
  }

  /** The kept body of each delivery, rendering (in one go) and keeping those a first attempt makes. */
  private async bodies(leased: ClaimedDelivery[]): Promise<Map<string, string>> {
    const bodies = new Map<string, string>();
    const fresh = leased.filter((d) => d.body === null);
    for (const d of leased) if (d.body !== null) bodies.set(d.id, d.body);
    if (fresh.length === 0) return bodies;
    const objects = await this.renderer.renderMany(fresh.map((d) => ({ tenantId: d.tenantId, event: d.event, objectId: d.objectId, eventPayload: d.eventPayload })));
    const kept = await this.deliveries.keepBodies(fresh.map((d, i) => ({ id: d.id, body: JSON.stringify({ event: d.event, test: d.isTest, data: objects[i] ?? null }) })));
    for (const [id, body] of kept) bodies.set(id, body);
    return bodies;
  }

  /** Each webhook's health after this round (normally one webhook a job). */
  private health(results: Array<{ d: ClaimedDelivery; result: WebhookAttemptResult }>, now: Date): WebhookHealthChange[] {
    const byWebhook = new Map<string, { failures: number; outcomes: WebhookAttemptResult['outcome'][] }>();
    for (const { d, result } of results) {
      const entry = byWebhook.get(d.webhookId) ?? { failures: d.webhookFailures, outcomes: [] };
      entry.outcomes.push(result.outcome);
      byWebhook.set(d.webhookId, entry);
    }
    const settings = this.config.webhooks;
    const changes: WebhookHealthChange[] = [];
    for (const [webhookId, { failures, outcomes }] of byWebhook) {
      const health = webhookHealthAfter(outcomes);
      if (health === 'healthy' && failures > 0) changes.push({ webhookId, health });
      if (health === 'failing') {
        changes.push({
          webhookId,
          health,
          holdUntil: new Date(now.getTime() + retryDelayMs(failures + 1, { baseMs: settings.retryBaseMs })),
          giveUpBefore: new Date(now.getTime() - settings.retryWindowMs),
        });
      }
    }
    return changes;
  }

  private log(results: Array<{ d: ClaimedDelivery; result: WebhookAttemptResult }>, attempts: RecordedAttempt[], health: WebhookHealthChange[]): void {
    results.forEach(({ d, result }, i) => {
      if (result.outcome === 'succeeded') return;
      const next = attempts[i];
      this.logger.warn(
        `webhook ${d.webhookId} delivery ${d.id} (${d.event}) attempt ${d.attempts + 1}: ${result.outcome}${result.statusCode ? ` ${result.statusCode}` : ''}${result.error ? ` (${result.error})` : ''}; ${next.transition === 'retry' ? `again at ${next.nextAttemptAt?.toISOString()}` : next.transition}`,
        {
          webhook_id: d.webhookId,
          webhook_delivery_id: d.id,
          tenant_id: d.tenantId,
          event: d.event,
          // The object the event is about: a batch, else a transaction (label).
          ...(d.event.startsWith('batch_') ? { batch_id: d.objectId } : { transaction_id: d.objectId }),
          outcome: result.outcome,
        },
      );
    });
    for (const h of health) {
      if (h.health === 'failing') {
        this.logger.warn(
          `webhook ${h.webhookId}: no attempt of the round succeeded; its deliveries wait until ${h.holdUntil.toISOString()}, then go one at a time until one succeeds`,
          { webhook_id: h.webhookId },
        );
      } else this.logger.log(`webhook ${h.webhookId}: delivering again`, { webhook_id: h.webhookId });
    }
  }
}
