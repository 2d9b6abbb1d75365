import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from './metrics.registry';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Seconds: from a health probe to a large batch upload. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the middleware reads of an Express request once answered: the route template it matched, if any. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * HTTP requests of the API by method, route template and status, with their durations:
 * `shipbatch_http_requests_total` and `shipbatch_http_request_duration_seconds`. The route is
 * the template Express matched (`/batches/:id`), never the path itself; a request that matched
 * no route is `unmatched`. Applied first, it sees every answer (401s, 404s, 413s included).
 */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = new Counter({ name: 'shipbatch_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames, registers });
    this.duration = new Histogram({
      name: 'shipbatch_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route template and status',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  /** Express-style middleware: records each request when its answer is finished (or the client left). */
  middleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      let done = false;
      const record = () => {
        if (done) return;
        done = true;
        this.record(req as RoutedRequest, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      };
      res.once('finish', record);
      res.once('close', record);
      next();
    };
  }

  record(req: RoutedRequest, status: number, seconds: number): void {
    const method = METHODS.has(req.method ?? '') ? (req.method as string) : 'OTHER';
    const labels = { method, route: routeTemplate(req), status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}

/** The matched route's template, under its router's mount path; `unmatched` when none matched. */
export function routeTemplate(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}` || '/';
}
