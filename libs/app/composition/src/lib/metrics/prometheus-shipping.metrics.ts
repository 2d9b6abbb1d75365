import type { MetricsRegistry } from '@shipbatch/platform/metrics';
import type { ShippingMetrics } from '@shipbatch/shipping/application';
import type { BatchShipmentStatus, BatchStatus, PurchaseState } from '@shipbatch/shipping/domain';
import { Counter, Histogram } from 'prom-client';

/** Seconds from an event to its delivery: a healthy receiver within a second or two, retries over minutes to hours. */
const LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

/**
 * The shipping use cases' SHIPPING_METRICS port on the process's Prometheus registry:
 * `shipbatch_labels_bought_total{provider}`, `shipbatch_labels_failed_total{provider}`,
 * `shipbatch_webhook_delivery_attempts_total{transition,sent}`,
 * `shipbatch_webhook_delivery_lag_seconds`, `shipbatch_funding_events_total{provider,reason,status}`,
 * `shipbatch_batch_transitions_total{from,to}` and `shipbatch_shipment_transitions_total{field,to}`.
 * Every label takes a handful of values (states, providers, outcomes).
 */
export class PrometheusShippingMetrics implements ShippingMetrics {
  private readonly bought: Counter<'provider'>;
  private readonly failed: Counter<'provider'>;
  private readonly webhooks: Counter<'transition' | 'sent'>;
  private readonly funding: Counter<'provider' | 'reason' | 'status'>;
  private readonly lag: Histogram;
  private readonly batches: Counter<'from' | 'to'>;
  private readonly shipments: Counter<'field' | 'to'>;

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
    this.lag = new Histogram({
      name: 'shipbatch_webhook_delivery_lag_seconds',
      help: 'Seconds from an event being recorded to the answer that delivered its webhook delivery (retries included)',
      buckets: LAG_BUCKETS,
      registers,
    });
    this.batches = new Counter({
      name: 'shipbatch_batch_transitions_total',
      help: 'Batch status changes, by the status left (none: created) and the status reached',
      labelNames: ['from', 'to'],
      registers,
    });
    this.shipments = new Counter({
      name: 'shipbatch_shipment_transitions_total',
      help: 'Batch shipments that reached a state: field status (validation: VALID, INVALID, INCOMPLETE, TRANSACTION_FAILED) or purchase_state (QUEUED, PURCHASING, NATIVE, PURCHASED, FAILED)',
      labelNames: ['field', 'to'],
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

  webhookDelivered(lagSeconds: number): void {
    this.lag.observe(lagSeconds);
  }

  batchTransition(from: BatchStatus | 'none', to: BatchStatus): void {
    this.batches.inc({ from, to });
  }

  shipmentTransitions(field: 'status' | 'purchase_state', to: BatchShipmentStatus | PurchaseState, count: number): void {
    if (count > 0) this.shipments.inc({ field, to }, count);
  }
}
