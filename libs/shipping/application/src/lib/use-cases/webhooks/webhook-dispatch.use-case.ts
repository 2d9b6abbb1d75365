import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { WebhookDeliveryRepository } from '../../ports/webhook.repository';
import { QUEUES, WEBHOOK_DELIVERY_REPOSITORY } from '../../ports/tokens';

/** Outbox events relayed per statement. */
export const RELAY_BATCH = 500;
/** Deliveries leased per pass and worker (they are sent by the delivery queue's processors). */
export const DISPATCH_BATCH = 64;
/**
 * How long a leased delivery stays with its worker before another may send it (a crash): long
 * enough for the job to start and the attempt to time out, three times over.
 */
export function deliveryLeaseMs(timeoutMs: number): number {
  return timeoutMs * 3 + 5_000;
}

/** The job of one delivery attempt. */
export interface WebhookDeliveryJobData {
  deliveryId: string;
}

/**
 * One pass of the webhook pipeline, run by every worker every `WEBHOOK_POLL_MS`:
 * 1. relay: new outbox events become deliveries (one per matching webhook), RELAY_BATCH per
 *    statement until none is left; the events were written with the changes they announce.
 * 2. dispatch: due deliveries are leased and handed to the delivery queue, one job each.
 * The database holds every pending delivery and when it is due, so a receiver that is down
 * costs rows, not memory, and a worker killed mid-delivery leaves a lease that runs out.
 */
@Injectable()
export class WebhookDispatchUseCase {
  private readonly logger = new Logger(WebhookDispatchUseCase.name);

  constructor(
    @Inject(WEBHOOK_DELIVERY_REPOSITORY) private readonly deliveries: WebhookDeliveryRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async relay(): Promise<number> {
    let made = 0;
    for (;;) {
      const { events, deliveries } = await this.deliveries.relay(RELAY_BATCH);
      made += deliveries;
      if (events < RELAY_BATCH) return made;
    }
  }

  async dispatch(): Promise<number> {
    const ids = await this.deliveries.claimDue(DISPATCH_BATCH, deliveryLeaseMs(this.config.webhooks.timeoutMs));
    if (ids.length === 0) return 0;
    await this.queue.addBulk(
      QUEUES.webhookDelivery,
      ids.map((deliveryId) => ({ data: { deliveryId } satisfies WebhookDeliveryJobData, options: { jobId: `webhook:${deliveryId}:${Date.now()}` } })),
    );
    return ids.length;
  }

  /** relay, then dispatch; errors are logged, the next pass tries again. */
  async tick(): Promise<void> {
    try {
      await this.relay();
      await this.dispatch();
    } catch (error) {
      this.logger.error(`webhook pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
