import { MetricsRegistry } from '@shipbatch/platform/metrics';
import { PrometheusProviderHttpMetrics } from './prometheus-provider-http.metrics';
import { PrometheusShippingMetrics } from './prometheus-shipping.metrics';

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
});
