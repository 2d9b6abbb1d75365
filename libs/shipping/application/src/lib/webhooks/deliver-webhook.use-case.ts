import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { type WebhookAttemptResult, WebhookSender } from '@shipbatch/platform/webhooks';
import { webhookReachAfter } from '@shipbatch/shipping/domain';
import type { ClaimedDelivery, RecordedAttempt, WebhookDeliveryRepository, WebhookHealthChange } from './webhook-delivery.repository';
import type { WebhookObjectRenderer } from './webhook-object.renderer';
import { SHIPPING_METRICS, WEBHOOK_DELIVERY_REPOSITORY, WEBHOOK_OBJECT_RENDERER } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import { scheduleAfterAttempt } from './webhook-attempt.schedule';

/** Due deliveries one round that could not reach its receiver records as not sent, at most. */
export const NOT_SENT_PER_ROUND = 2_000;

/**
 * One round of delivery attempts (one job: deliveries of one webhook leased under one token).
 * Each body (`{"event", "test", "data"}`, data = the object as GET shows it) is made by its first
 * attempt that is sent and kept, so every retry sends the same bytes under the same
 * `webhook-id`; signed per Standard Webhooks and sent by the WebhookSender (address checked
 * again, no redirects, 10 s), all of the round at once. Each delivery's next step comes from its
 * own schedule (`scheduleAfterAttempt`: delivered, retry with backoff and jitter, failed after
 * 24 h or on 410, which also turns the webhook off). When no attempt of the round got an answer
 * (the receiver is down), the webhook's other deliveries due now are recorded as failed without
 * being sent, each rescheduled on its own backoff: a probe that could not connect stands for
 * them. All of it is recorded in one transaction.
 */
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger(DeliverWebhookUseCase.name);

  constructor(
    @Inject(WEBHOOK_DELIVERY_REPOSITORY) private readonly deliveries: WebhookDeliveryRepository,
    @Inject(WEBHOOK_OBJECT_RENDERER) private readonly renderer: WebhookObjectRenderer,
    private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
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
    const attempts: RecordedAttempt[] = results.map(({ d, at, result }) =>
      scheduleAfterAttempt(d, { at, outcome: result.outcome, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs }, now, settings),
    );
    const health = this.health(results);
    const notSent = await this.notSent(results, health, now);
    await this.deliveries.recordAttempts([...attempts, ...notSent], health);
    for (const a of attempts) this.metrics.webhookAttempt(a.transition, true);
    results.forEach(({ d }, i) => {
      if (attempts[i].transition === 'delivered') this.metrics.webhookDelivered(Math.max(0, now.getTime() - d.eventAt.getTime()) / 1000);
    });
    for (const a of notSent) this.metrics.webhookAttempt(a.transition, false);
    this.log(results, attempts, health, notSent.length);
  }

  /**
   * For each webhook of the round that could not be reached: its other deliveries due now, each
   * recorded as a failed attempt that was not sent (the error says why), scheduled on its own
   * backoff. Sending them would only have met the same closed door.
   */
  private async notSent(results: Array<{ d: ClaimedDelivery; result: WebhookAttemptResult }>, health: WebhookHealthChange[], now: Date): Promise<RecordedAttempt[]> {
    const settings = this.config.webhooks;
    const out: RecordedAttempt[] = [];
    for (const h of health) {
      if (h.health !== 'unreachable') continue;
      const probe = results.find(({ d }) => d.webhookId === h.webhookId);
      if (!probe) continue;
      const due = await this.deliveries.dueOf(h.webhookId, NOT_SENT_PER_ROUND);
      const error = `not sent: the receiver could not be reached (${probe.result.error ?? probe.result.outcome}, delivery ${probe.d.id})`;
      for (const d of due) out.push({ ...scheduleAfterAttempt(d, { at: now, outcome: probe.result.outcome, error, durationMs: 0 }, now, settings), ifStillDue: true });
    }
    return out;
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

  /** Whether each webhook of the round (normally one a job) was reached; only changes are listed. */
  private health(results: Array<{ d: ClaimedDelivery; result: WebhookAttemptResult }>): WebhookHealthChange[] {
    const byWebhook = new Map<string, { failures: number; answers: WebhookAttemptResult[] }>();
    for (const { d, result } of results) {
      const entry = byWebhook.get(d.webhookId) ?? { failures: d.webhookFailures, answers: [] };
      entry.answers.push(result);
      byWebhook.set(d.webhookId, entry);
    }
    const changes: WebhookHealthChange[] = [];
    for (const [webhookId, { failures, answers }] of byWebhook) {
      const reach = webhookReachAfter(answers);
      if (reach === 'reachable' && failures > 0) changes.push({ webhookId, health: reach });
      if (reach === 'unreachable') changes.push({ webhookId, health: reach });
    }
    return changes;
  }

  private log(results: Array<{ d: ClaimedDelivery; result: WebhookAttemptResult }>, attempts: RecordedAttempt[], health: WebhookHealthChange[], notSent: number): void {
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
      if (h.health === 'unreachable') {
        this.logger.warn(
          `webhook ${h.webhookId}: its receiver could not be reached; ${notSent} other due deliveries recorded as not sent, each retried on its own schedule, one probe a round until it answers`,
          { webhook_id: h.webhookId },
        );
      } else this.logger.log(`webhook ${h.webhookId}: its receiver answers again`, { webhook_id: h.webhookId });
    }
  }
}
