import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  raw: string;
  body: any;
}

/** What the receiver answers a request with: a status (and headers), or `hang` (never answers). */
export type ReceiverAnswer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on 127.0.0.1: records every request (raw body and headers) and answers 200
 * unless a rule for the path says otherwise. Only loopback traffic: the service is told so by
 * WEBHOOK_ALLOWED_HOSTS=127.0.0.1.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly rules = new Map<string, (count: number, request: ReceivedDelivery) => ReceiverAnswer>();
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          /* not JSON */
        }
        const request = { path, headers: req.headers, raw, body };
        this.received.push(request);
        const count = this.received.filter((r) => r.path === path).length;
        const answer = this.rules.get(path)?.(count, request) ?? { status: 200 };
        if (answer === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** How requests to `path` are answered: `count` is 1 for the first one; `request` is the one being answered. */
  answer(path: string, rule: (count: number, request: ReceivedDelivery) => ReceiverAnswer): void {
    this.rules.set(path, rule);
  }

  at(path: string): ReceivedDelivery[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The requests to `path` carrying delivery `id` (`webhook-id`), so far. */
  ofDelivery(path: string, id: string): ReceivedDelivery[] {
    return this.at(path).filter((r) => r.headers['webhook-id'] === id);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
