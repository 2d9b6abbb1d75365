import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { QUEUES, WEBHOOK_DELIVERY_REPOSITORY } from '../tokens';

/** Outbox events relayed per statement. */
export const RELAY_BATCH = 500;
/** Deliveries leased per pass and worker, at most. */
export const DISPATCH_BATCH = 512;
/** Deliveries a delivery job sends at once, all to one webhook. */
export const DELIVERIES_PER_JOB = 32;
/**
 * A pass leases nothing while this many delivery jobs are still waiting to start: the pace of
 * the senders sets the pace of the leases, so a slow receiver does not pile jobs up in the queue
 * (or leases run out while their jobs wait).
 */
export const MAX_WAITING_JOBS = 2 * (DISPATCH_BATCH / DELIVERIES_PER_JOB);
/**
 * How long a leased delivery stays with its job before another claim may take it (a crash):
 * long enough for the job to start and the attempt to time out, three times over.
 */
export function deliveryLeaseMs(timeoutMs: number): number {
  return timeoutMs * 3 + 5_000;
}

/** The job of one round of delivery attempts: up to DELIVERIES_PER_JOB deliveries of one webhook, leased under `token`. */
export interface WebhookDeliveryJobData {
  token: string;
  deliveryIds: string[];
}

/**
 * One pass of the webhook pipeline, run by every worker every `WEBHOOK_POLL_MS`:
 * 1. relay: new outbox events become deliveries (one per matching webhook), RELAY_BATCH per
 *    statement until none is left; the events were written with the changes they announce.
 * 2. dispatch: due deliveries are leased, fairly across webhooks (see `claimDue`), and handed to
 *    the delivery queue in jobs of up to DELIVERIES_PER_JOB of one webhook, unless the jobs
 *    already handed out are still waiting.
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

  /** Leases and enqueues due deliveries; returns how many. */
  async dispatch(): Promise<number> {
    if ((await this.queue.waiting(QUEUES.webhookDelivery)) >= MAX_WAITING_JOBS) return 0;
    const lease = await this.deliveries.claimDue(DISPATCH_BATCH, deliveryLeaseMs(this.config.webhooks.timeoutMs));
    if (lease.deliveries.length === 0) return 0;
    const byWebhook = new Map<string, string[]>();
    for (const d of lease.deliveries) {
      const ids = byWebhook.get(d.webhookId);
      if (ids) ids.push(d.id);
      else byWebhook.set(d.webhookId, [d.id]);
    }
    const jobs: WebhookDeliveryJobData[] = [];
    for (const ids of byWebhook.values()) {
      for (let i = 0; i < ids.length; i += DELIVERIES_PER_JOB) jobs.push({ token: lease.token, deliveryIds: ids.slice(i, i + DELIVERIES_PER_JOB) });
    }
    await this.queue.addBulk(
      QUEUES.webhookDelivery,
      jobs.map((data, i) => ({ data, options: { jobId: `webhook:${lease.token}:${i}` } })),
    );
    return lease.deliveries.length;
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
