import { MetricsRegistry } from '@shipbatch/platform/metrics';
import { PrometheusProviderHttpMetrics } from './prometheus-provider-http.metrics';
import { PrometheusShippingMetrics } from './prometheus-shipping.metrics';
import { WebhookBacklogMetrics } from './webhook-backlog.metrics';

describe('the Prometheus adapters of the shipping and provider ports', () => {
  it('counts provider HTTP tries by provider and status (network when no answer came), their latency and pacing', async () => {
    const registry = new MetricsRegistry('worker', { defaults: false });
    const observer = new PrometheusProviderHttpMetrics(registry);
    observer.exchanged({ provider: 'shippo', kind: 'request', method: 'POST', status: 429, durationMs: 120, pacedMs: 0 });
    observer.exchanged({ provider: 'shippo', kind: 'request', method: 'GET', networkError: 'ECONNRESET', durationMs: 5, pacedMs: 40 });
    observer.exchanged({ provider: 'shipstation', kind: 'download', method: 'GET', status: 200, durationMs: 30, pacedMs: 0 });
    const text = await registry.text();
    expect(text).toContain('shipbatch_provider_http_requests_total{provider="shippo",kind="request",method="POST",status="429",process="worker"} 1');
    expect(text).toContain('shipbatch_provider_http_requests_total{provider="shippo",kind="request",method="GET",status="network",process="worker"} 1');
    expect(text).toContain('shipbatch_provider_http_requests_total{provider="shipstation",kind="download",method="GET",status="200",process="worker"} 1');
    expect(text).toContain('shipbatch_provider_http_request_duration_seconds_count{process="worker",provider="shippo",kind="request"} 2');
    expect(text).toContain('shipbatch_provider_pacing_wait_seconds_sum{process="worker",provider="shippo"} 0.04');
    expect(text).not.toContain('shipbatch_provider_pacing_wait_seconds_count{process="worker",provider="shipstation"}');
  });

  it('counts labels bought and failed, webhook attempts and funding events with bounded labels', async () => {
    const registry = new MetricsRegistry('api', { defaults: false });
    const metrics = new PrometheusShippingMetrics(registry);
    metrics.labelsBought('mock', 3);
    metrics.labelsBought('mock', 0);
    metrics.labelFailed('shippo');
    metrics.webhookAttempt('retry', false);
    metrics.fundingEvent('shipstation', 'insufficient_funds', 'succeeded');
    const text = await registry.text();
    expect(text).toContain('shipbatch_labels_bought_total{provider="mock",process="api"} 3');
    expect(text).toContain('shipbatch_labels_failed_total{provider="shippo",process="api"} 1');
    expect(text).toContain('shipbatch_webhook_delivery_attempts_total{transition="retry",sent="false",process="api"} 1');
    expect(text).toContain('shipbatch_funding_events_total{provider="shipstation",reason="insufficient_funds",status="succeeded",process="api"} 1');
  });

  it('counts batch and shipment transitions and webhook delivery lag, with bounded labels', async () => {
    const registry = new MetricsRegistry('worker', { defaults: false });
    const metrics = new PrometheusShippingMetrics(registry);
    metrics.batchTransition('none', 'VALIDATING');
    metrics.batchTransition('PURCHASING', 'PURCHASED');
    metrics.batchTransition('PURCHASING', 'PURCHASED');
    metrics.shipmentTransitions('purchase_state', 'PURCHASED', 10);
    metrics.shipmentTransitions('purchase_state', 'QUEUED', 0);
    metrics.shipmentTransitions('status', 'INVALID', 2);
    metrics.webhookDelivered(0.3);
    metrics.webhookDelivered(120);
    const text = await registry.text();
    expect(text).toContain('shipbatch_batch_transitions_total{from="none",to="VALIDATING",process="worker"} 1');
    expect(text).toContain('shipbatch_batch_transitions_total{from="PURCHASING",to="PURCHASED",process="worker"} 2');
    expect(text).toContain('shipbatch_shipment_transitions_total{field="purchase_state",to="PURCHASED",process="worker"} 10');
    expect(text).toContain('shipbatch_shipment_transitions_total{field="status",to="INVALID",process="worker"} 2');
    expect(text).not.toContain('to="QUEUED"');
    expect(text).toContain('shipbatch_webhook_delivery_lag_seconds_bucket{le="0.5",process="worker"} 1');
    expect(text).toContain('shipbatch_webhook_delivery_lag_seconds_count{process="worker"} 2');
  });

  it('reads the webhook backlog at scrape time, at most once a second, and leaves it out when the database fails', async () => {
    const registry = new MetricsRegistry('api', { defaults: false });
    let reads = 0;
    new WebhookBacklogMetrics(registry, {
      backlog: async () => {
        reads++;
        return { due: 3, scheduled: 7, unrelayedEvents: 2 };
      },
    });
    const text = await registry.text();
    expect(text).toContain('shipbatch_webhook_deliveries_pending{state="due",process="api"} 3');
    expect(text).toContain('shipbatch_webhook_deliveries_pending{state="scheduled",process="api"} 7');
    expect(text).toContain('shipbatch_webhook_deliveries_pending{state="unrelayed",process="api"} 2');
    await registry.text();
    expect(reads).toBe(1);
    const fresh = new MetricsRegistry('api', { defaults: false });
    new WebhookBacklogMetrics(fresh, { backlog: async () => Promise.reject(new Error('down')) });
    const down = await fresh.text();
    expect(down).not.toMatch(/^shipbatch_webhook_deliveries_pending\{/m);
  });
});
