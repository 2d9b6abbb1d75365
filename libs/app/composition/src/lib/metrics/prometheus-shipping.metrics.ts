import type { MetricsRegistry } from '@shipbatch/platform/metrics';
import type { ShippingMetrics } from '@shipbatch/shipping/application';
import { Counter } from 'prom-client';

/**
 * The shipping use cases' SHIPPING_METRICS port on the process's Prometheus registry:
 * `shipbatch_labels_bought_total{provider}`, `shipbatch_labels_failed_total{provider}`,
 * `shipbatch_webhook_delivery_attempts_total{transition,sent}` and
 * `shipbatch_funding_events_total{provider,reason,status}`.
 */
export class PrometheusShippingMetrics implements ShippingMetrics {
  private readonly bought: Counter<'provider'>;
  private readonly failed: Counter<'provider'>;
  private readonly webhooks: Counter<'transition' | 'sent'>;
  private readonly funding: Counter<'provider' | 'reason' | 'status'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.bought = new Counter({ name: 'shipbatch_labels_bought_total', help: 'Labels recorded as bought, by provider', labelNames: ['provider'], registers });
    this.failed = new Counter({ name: 'shipbatch_labels_failed_total', help: 'Shipments whose purchase failed for good, by provider', labelNames: ['provider'], registers });
    this.webhooks = new Counter({
      name: 'shipbatch_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts recorded, by transition (delivered, retry, gave_up) and whether they were sent',
      labelNames: ['transition', 'sent'],
      registers,
    });
    this.funding = new Counter({
      name: 'shipbatch_funding_events_total',
      help: 'Funding events recorded (top-ups made, funding attempts failed), by provider, reason and status',
      labelNames: ['provider', 'reason', 'status'],
      registers,
    });
  }

  labelsBought(provider: string, count: number): void {
    if (count > 0) this.bought.inc({ provider }, count);
  }

  labelFailed(provider: string): void {
    this.failed.inc({ provider });
  }

  webhookAttempt(transition: string, sent: boolean): void {
    this.webhooks.inc({ transition, sent: String(sent) });
  }

  fundingEvent(provider: string, reason: string, status: 'succeeded' | 'failed'): void {
    this.funding.inc({ provider, reason, status });
  }
}
