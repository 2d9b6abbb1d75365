import type { MetricsRegistry } from '@shipbatch/platform/metrics';
import type { WebhookBacklog, WebhookDeliveryRepository } from '@shipbatch/shipping/application';
import { Gauge } from 'prom-client';

/** The backlog is read at most this often: a scrape and the next within a second share one query. */
const FRESH_MS = 1_000;

/**
 * Webhook deliveries waiting, read from the database at scrape time:
 * `shipbatch_webhook_deliveries_pending{state}`: `due` (to be sent by the next rounds),
 * `scheduled` (retries waiting for their backoff) and `unrelayed` (outbox events not yet turned
 * into deliveries, one per event whatever its webhooks). The same on every process (take the max, not
 * the sum). A database that does not answer leaves them out of the scrape rather than failing it.
 */
export class WebhookBacklogMetrics {
  private read?: { at: number; backlog: Promise<WebhookBacklog | undefined> };

  constructor(metrics: MetricsRegistry, private readonly deliveries: Pick<WebhookDeliveryRepository, 'backlog'>) {
    // `collect` runs with the gauge as `this`: the backlog comes through this closure.
    const backlog = () => this.backlog();
    const registers = [metrics.registry];
    new Gauge({
      name: 'shipbatch_webhook_deliveries_pending',
      help: 'Webhook deliveries pending, by state: due (to be sent now), scheduled (a retry waiting for its backoff), unrelayed (events not yet fanned out to their webhooks, one per event)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const b = await backlog();
        if (!b) return;
        this.set({ state: 'due' }, b.due);
        this.set({ state: 'scheduled' }, b.scheduled);
        this.set({ state: 'unrelayed' }, b.unrelayedEvents);
      },
    });
  }

  private backlog(): Promise<WebhookBacklog | undefined> {
    const now = Date.now();
    if (!this.read || now - this.read.at > FRESH_MS) this.read = { at: now, backlog: this.deliveries.backlog().catch(() => undefined) };
    return this.read.backlog;
  }
}
