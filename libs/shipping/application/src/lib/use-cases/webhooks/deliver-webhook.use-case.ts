import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { retryDelayMs, shouldGiveUp, WebhookSender } from '@shipbatch/platform/webhooks';
import { afterWebhookAttempt } from '@shipbatch/shipping/domain';
import type { WebhookDeliveryRepository, WebhookObjectRenderer } from '../../ports/webhook.repository';
import { WEBHOOK_DELIVERY_REPOSITORY, WEBHOOK_OBJECT_RENDERER } from '../../ports/tokens';

/**
 * One attempt of one delivery: the body (`{"event", "test", "data"}`, data = the object as GET
 * shows it) is made by the first attempt and kept, so every retry sends the same bytes under the
 * same `webhook-id`; signed per Standard Webhooks and sent by the WebhookSender (address checked
 * again, no redirects, 10 s). The domain decides what comes next: delivered, retry with backoff
 * and jitter, or failed (24 h passed, or 410 Gone, which also turns the webhook off).
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

  async execute(deliveryId: string): Promise<void> {
    const d = await this.deliveries.load(deliveryId);
    if (!d) return; // settled, deleted, or no longer leased by a pass
    let body = d.body;
    if (body === null) {
      const data = await this.renderer.render(d.tenantId, d.event, d.objectId, d.eventPayload);
      body = await this.deliveries.keepBody(d.id, JSON.stringify({ event: d.event, test: d.isTest, data }));
    }
    const at = new Date();
    const result = await this.sender.send({ url: d.url, isTest: d.isTest, id: d.id, secret: d.secret, body, timestamp: at });
    const first = d.firstAttemptAt ?? at;
    const settings = this.config.webhooks;
    const next = afterWebhookAttempt(result.outcome, shouldGiveUp(first, new Date(), settings.retryWindowMs));
    const attempts = d.attempts + 1;
    const nextAttemptAt = next.transition === 'retry' ? new Date(Date.now() + retryDelayMs(attempts, { baseMs: settings.retryBaseMs })) : undefined;
    await this.deliveries.recordAttempt(
      d.id,
      { at, outcome: result.outcome, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs },
      { transition: next.transition, nextAttemptAt, disableWebhook: next.disableWebhook ? `the receiver answered 410 Gone to delivery ${d.id}` : undefined },
    );
    if (result.outcome !== 'succeeded') {
      this.logger.warn(
        `webhook ${d.webhookId} delivery ${d.id} (${d.event}) attempt ${attempts}: ${result.outcome}${result.statusCode ? ` ${result.statusCode}` : ''}${result.error ? ` (${result.error})` : ''}; ${next.transition === 'retry' ? `again at ${nextAttemptAt?.toISOString()}` : next.transition}`,
      );
    }
  }
}
