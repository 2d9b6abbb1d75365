import { collectDefaultMetrics, Registry } from 'prom-client';

/** Which process the metrics come from: a constant label on every series. */
export type MetricsProcess = 'api' | 'worker';

/**
 * This process's Prometheus registry (its own, never prom-client's global one, so that several
 * applications in one test process do not mix): Node's default process metrics, with the
 * `process` label (`api` or `worker`) on every series. Metrics register here once each.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(process: MetricsProcess, options: { defaults?: boolean } = {}) {
    this.registry.setDefaultLabels({ process });
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** The Content-Type of `text()`: Prometheus' text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in Prometheus' text format, gauges collected now. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
