import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics.registry';
import { liveAnswer, type ProbeAnswer, readyAnswer, acceptedRequestId } from './probe.answers';
import type { Readiness } from './readiness';

/**
 * The worker's small HTTP listener (METRICS_PORT): `GET /metrics`, `GET /health/live` and
 * `GET /health/ready`, answered as on the API's port; anything else 404, other methods 405.
 */
export class MetricsHttpServer {
  private server?: Server;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly readiness: Readiness,
  ) {}

  /** Listens on `port` (0: any free one); answers the port taken. */
  async listen(port: number, host?: string): Promise<number> {
    const server = createServer((req, res) => void this.answer(req, res));
    this.server = server;
    server.listen(port, host);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (!['/metrics', '/health/live', '/health/ready'].includes(path)) return json(res, { status: 404, body: { status: 'not_found' } });
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, { status: 405, body: { status: 'method_not_allowed' } });
      if (path === '/health/live') return json(res, liveAnswer());
      if (path === '/health/ready') return json(res, readyAnswer(await this.readiness.check(), acceptedRequestId(req.headers['x-request-id'])));
      const text = await this.metrics.text();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType });
      res.end(text);
    } catch (error) {
      json(res, { status: 500, body: { status: 'error', message: error instanceof Error ? error.message : String(error) } });
    }
  }
}

function json(res: ServerResponse, answer: ProbeAnswer): void {
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(answer.body));
}
