import type { MetricsRegistry } from '@shipbatch/platform/metrics';
import type { ShippingMetrics } from '@shipbatch/shipping/application';
import { Counter } from 'prom-client';

/**
 * The shipping use cases' SHIPPING_METRICS port on the process's Prometheus registry:
 * `shipbatch_labels_bought_total{provider}` and `shipbatch_labels_failed_total{provider}`.
 */
export class PrometheusShippingMetrics implements ShippingMetrics {
  private readonly bought: Counter<'provider'>;
  private readonly failed: Counter<'provider'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.bought = new Counter({ name: 'shipbatch_labels_bought_total', help: 'Labels recorded as bought, by provider', labelNames: ['provider'], registers });
    this.failed = new Counter({ name: 'shipbatch_labels_failed_total', help: 'Shipments whose purchase failed for good, by provider', labelNames: ['provider'], registers });
  }

  labelsBought(provider: string, count: number): void {
    if (count > 0) this.bought.inc({ provider }, count);
  }

  labelFailed(provider: string): void {
    this.failed.inc({ provider });
  }
}
