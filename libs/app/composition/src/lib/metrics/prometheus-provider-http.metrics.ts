import type { HttpExchange, HttpObserver } from '@shipbatch/providers/core';
import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@shipbatch/platform/metrics';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const PACING_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The providers' HTTP transports report every try here (an HttpObserver bound to
 * PROVIDER_HTTP_OBSERVER, which the provider gateway hands to the registry): `shipbatch_provider_http_requests_total{provider,kind,method,status}`
 * (`status` is the HTTP status, or `network` when no answer came: 429s and 5xx per provider are
 * `status="429"` and `status=~"5.."`), `shipbatch_provider_http_request_duration_seconds` and
 * `shipbatch_provider_pacing_wait_seconds` (time the rate-limit pacer held a request).
 */
export class PrometheusProviderHttpMetrics implements HttpObserver {
  private readonly requests: Counter<'provider' | 'kind' | 'method' | 'status'>;
  private readonly duration: Histogram<'provider' | 'kind'>;
  private readonly pacing: Histogram<'provider'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'shipbatch_provider_http_requests_total',
      help: 'HTTP tries made to label providers, by provider, kind (request or download), method and status (network: no answer)',
      labelNames: ['provider', 'kind', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'shipbatch_provider_http_request_duration_seconds',
      help: 'Latency of HTTP tries to label providers (pacing excluded), by provider and kind',
      labelNames: ['provider', 'kind'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pacing = new Histogram({
      name: 'shipbatch_provider_pacing_wait_seconds',
      help: "Time a provider request waited for its rate budget's pacer before it was sent, by provider",
      labelNames: ['provider'],
      buckets: PACING_BUCKETS,
      registers,
    });
  }

  exchanged(e: HttpExchange): void {
    const status = e.status === undefined ? 'network' : String(e.status);
    this.requests.inc({ provider: e.provider, kind: e.kind, method: e.method, status });
    this.duration.observe({ provider: e.provider, kind: e.kind }, e.durationMs / 1000);
    if (e.kind === 'request') this.pacing.observe({ provider: e.provider }, e.pacedMs / 1000);
  }
}
