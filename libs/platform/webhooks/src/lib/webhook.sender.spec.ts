import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWebhookSecret, verifyWebhook } from './webhook-signature';
import { WebhookUrlPolicy } from './webhook-url.policy';
import { WebhookSender } from './webhook.sender';

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that records what it is sent and answers with `handler`. */
async function startReceiver(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The client's port, to tell connections apart.
      const headers = { ...req.headers, 'x-remote-port': String(req.socket.remotePort) };
      received.push({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    dropConnections: () => server.closeAllConnections(),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

describe('WebhookSender', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ event: 'batch_purchased', test: true, data: { object_id: 'b_1', status: 'PURCHASED' } });
  const allowLocal = new WebhookUrlPolicy({ allowedHosts: ['127.0.0.1'] });
  const sender = new WebhookSender({ policy: allowLocal });
  const receivers: Receiver[] = [];
  const receiver = async (handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) => {
    const r = await startReceiver(handler);
    receivers.push(r);
    return r;
  };
  const answer = (status: number, headers: http.OutgoingHttpHeaders = {}, text = '') => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, headers);
    res.end(text);
  };

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('200 → succeeded; the receiver gets the exact body, JSON content type, user agent and verifiable signature headers', async () => {
    const r = await receiver(answer(200, { 'content-type': 'text/plain' }, 'ok'));
    const result = await sender.send({ url: r.url(), isTest: true, id: 'del_1', secret, body });

    expect(result).toEqual({ outcome: 'succeeded', statusCode: 200, durationMs: expect.any(Number) });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.received).toHaveLength(1);
    const [req] = r.received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.body).toBe(body);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe('Shipbatch-Webhooks/1');
    expect(req.headers['webhook-id']).toBe('del_1');
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(secret, req.body, req.headers)).toEqual(JSON.parse(body));
  });

  it('sends the body byte for byte as signed (no trimming or re-encoding) and signs with the given timestamp', async () => {
    const r = await receiver(answer(204));
    const odd = '  {"event":"all","test":true,"data":{"note":"héllo ✓"}}\n';
    const timestamp = new Date(Date.now() - 30_000);
    const result = await new WebhookSender({ policy: allowLocal, userAgent: 'Custom/2' }).send({ url: r.url(), isTest: true, id: 'del_2', secret, body: odd, timestamp });
    expect(result.outcome).toBe('succeeded');
    expect(result.statusCode).toBe(204);
    const [req] = r.received;
    expect(req.body).toBe(odd);
    expect(req.headers['user-agent']).toBe('Custom/2');
    expect(req.headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(verifyWebhook(secret, req.body, req.headers)).toEqual(JSON.parse(odd));
  });

  it('sends one receiver its deliveries over one kept-alive connection, and a new one after the receiver closed it', async () => {
    const r = await receiver(answer(200));
    const sockets = new Set<number>();
    const own = new WebhookSender({ policy: allowLocal });
    try {
      for (let i = 0; i < 3; i++) {
        await expect(own.send({ url: r.url(), isTest: true, id: `del_ka_${i}`, secret, body })).resolves.toMatchObject({ outcome: 'succeeded' });
        sockets.add(Number(r.received[i].headers['x-remote-port']));
      }
      expect(r.received).toHaveLength(3);
      expect(sockets.size).toBe(1);
      r.dropConnections();
      await new Promise((resolve) => setImmediate(resolve));
      await expect(own.send({ url: r.url(), isTest: true, id: 'del_ka_3', secret, body })).resolves.toMatchObject({ outcome: 'succeeded' });
      expect(sockets.has(Number(r.received[3].headers['x-remote-port']))).toBe(false);
    } finally {
      own.onApplicationShutdown();
    }
  });

  it('keeps the same webhook-id on a retry of the same delivery', async () => {
    const r = await receiver(answer(503));
    await sender.send({ url: r.url(), isTest: true, id: 'del_same', secret, body });
    await sender.send({ url: r.url(), isTest: true, id: 'del_same', secret, body });
    expect(r.received.map((req) => req.headers['webhook-id'])).toEqual(['del_same', 'del_same']);
  });

  it('500 → failed with "HTTP 500"; the response body is not reported', async () => {
    const r = await receiver(answer(500, {}, 'stack trace with secrets'));
    const result = await sender.send({ url: r.url(), isTest: true, id: 'del_3', secret, body });
    expect(result).toEqual({ outcome: 'failed', statusCode: 500, error: 'HTTP 500', durationMs: expect.any(Number) });
    expect(JSON.stringify(result)).not.toContain('stack trace');
  });

  it.each([400, 401, 404, 429])('%i → failed', async (status) => {
    const r = await receiver(answer(status));
    await expect(sender.send({ url: r.url(), isTest: true, id: 'del_4', secret, body })).resolves.toMatchObject({ outcome: 'failed', statusCode: status, error: `HTTP ${status}` });
  });

  it('302 → failed, and the redirect target is never requested', async () => {
    const target = await receiver(answer(200));
    const r = await receiver(answer(302, { location: target.url('/landed') }));
    const result = await sender.send({ url: r.url(), isTest: true, id: 'del_5', secret, body });
    expect(result).toEqual({ outcome: 'failed', statusCode: 302, error: 'redirect not followed (302)', durationMs: expect.any(Number) });
    expect(r.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it.each([301, 307, 308])('%i → failed, redirect not followed', async (status) => {
    const target = await receiver(answer(200));
    const r = await receiver(answer(status, { location: target.url() }));
    await expect(sender.send({ url: r.url(), isTest: true, id: 'del_6', secret, body })).resolves.toMatchObject({
      outcome: 'failed',
      statusCode: status,
      error: `redirect not followed (${status})`,
    });
    expect(target.received).toHaveLength(0);
  });

  it('410 → gone', async () => {
    const r = await receiver(answer(410));
    await expect(sender.send({ url: r.url(), isTest: true, id: 'del_7', secret, body })).resolves.toEqual({
      outcome: 'gone',
      statusCode: 410,
      error: 'HTTP 410 Gone',
      durationMs: expect.any(Number),
    });
  });

  it('a receiver that never answers → failed "timeout after <n> ms"', async () => {
    const r = await receiver(() => undefined);
    const quick = new WebhookSender({ policy: allowLocal, timeoutMs: 300 });
    const result = await quick.send({ url: r.url(), isTest: true, id: 'del_8', secret, body });
    expect(result).toEqual({ outcome: 'failed', error: 'timeout after 300 ms', durationMs: expect.any(Number) });
    expect(r.received).toHaveLength(1);
  });

  it('a 2xx whose body never ends still succeeds: the status decides, the body read is bounded by the timeout', async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const quick = new WebhookSender({ policy: allowLocal, timeoutMs: 300 });
    await expect(quick.send({ url: r.url(), isTest: true, id: 'del_9', secret, body })).resolves.toMatchObject({ outcome: 'succeeded', statusCode: 200 });
  });

  it('reads at most 64 KiB of a huge answer and still reports the status', async () => {
    let written = 0;
    let stopped = false;
    const r = await receiver((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!stopped && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (stopped = true));
      pump();
    });
    const result = await sender.send({ url: r.url(), isTest: true, id: 'del_10', secret, body });
    expect(result).toMatchObject({ outcome: 'failed', statusCode: 500, error: 'HTTP 500' });
    // The sender hung up long before the receiver could push its 64 MiB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a closed port → failed "connection refused"', async () => {
    const port = await closedPort();
    await expect(sender.send({ url: `http://127.0.0.1:${port}/hook`, isTest: true, id: 'del_11', secret, body })).resolves.toEqual({
      outcome: 'failed',
      error: 'connection refused',
      durationMs: expect.any(Number),
    });
  });

  it('without the allowlist, the same 127.0.0.1 URL → refused, and no request reaches the receiver', async () => {
    const r = await receiver(answer(200));
    const strict = new WebhookSender({ policy: new WebhookUrlPolicy({ allowedHosts: [] }) });
    const result = await strict.send({ url: r.url(), isTest: true, id: 'del_12', secret, body });
    expect(result).toEqual({
      outcome: 'refused',
      error: 'url: host 127.0.0.1 resolves to a loopback address (127.0.0.1)',
      durationMs: expect.any(Number),
    });
    expect(r.received).toHaveLength(0);
  });

  it('an http URL for a webhook that is not a test → refused, no request made', async () => {
    const r = await receiver(answer(200));
    const result = await sender.send({ url: r.url(), isTest: false, id: 'del_13', secret, body });
    expect(result).toEqual({
      outcome: 'refused',
      error: 'url: must use https (http is allowed only for test webhooks)',
      durationMs: expect.any(Number),
    });
    expect(r.received).toHaveLength(0);
  });

  it('refuses at connect time when the name resolves differently than when it was checked (DNS rebinding)', async () => {
    const r = await receiver(answer(200));
    // The policy's resolver says "public"; the connection's own lookup of localhost says loopback.
    const fooled = new WebhookUrlPolicy({ allowedHosts: [], resolve: async () => ['93.184.216.34'] });
    const result = await new WebhookSender({ policy: fooled }).send({ url: `http://localhost:${r.port}/hook`, isTest: true, id: 'del_14', secret, body });
    expect(result).toEqual({
      outcome: 'failed',
      error: 'address refused at connect time (host resolved to a non-public address)',
      durationMs: expect.any(Number),
    });
    expect(r.received).toHaveLength(0);
  });

  it('an unresolvable host → failed (retried later), not refused', async () => {
    const unresolvable = new WebhookUrlPolicy({
      allowedHosts: [],
      resolve: async (host) => {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      },
    });
    await expect(new WebhookSender({ policy: unresolvable }).send({ url: 'https://gone.example.com/hook', isTest: false, id: 'del_15', secret, body })).resolves.toEqual({
      outcome: 'failed',
      error: 'url: host gone.example.com could not be resolved (ENOTFOUND)',
      durationMs: expect.any(Number),
    });
  });

  it('an invalid secret → refused without a request, never a throw', async () => {
    const r = await receiver(answer(200));
    await expect(sender.send({ url: r.url(), isTest: true, id: 'del_16', secret: 'whsec_', body })).resolves.toMatchObject({ outcome: 'refused' });
    expect(r.received).toHaveLength(0);
  });

  it('a receiver that drops the connection → failed "connection reset"', async () => {
    const r = await receiver((req) => req.socket.destroy());
    await expect(sender.send({ url: r.url(), isTest: true, id: 'del_17', secret, body })).resolves.toMatchObject({ outcome: 'failed', error: 'connection reset' });
  });

  it('ignores HTTP(S)_PROXY from the environment', async () => {
    const proxy = await receiver(answer(200));
    const r = await receiver(answer(200));
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], http_proxy: process.env['http_proxy'] };
    process.env['HTTP_PROXY'] = process.env['http_proxy'] = proxy.url('');
    try {
      await expect(sender.send({ url: r.url(), isTest: true, id: 'del_18', secret, body })).resolves.toMatchObject({ outcome: 'succeeded' });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(r.received).toHaveLength(1);
    expect(proxy.received).toHaveLength(0);
  });
});
