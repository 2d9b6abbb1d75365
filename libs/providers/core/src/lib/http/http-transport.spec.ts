import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { PaceOptions, ProviderPacer, RateBudget } from '../pacing';
import {
  type ProviderError,
  ProviderInsufficientFundsError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../provider.errors';
import { HttpTransport } from './http-transport';
import type { HttpErrorAnswer, HttpExchange, HttpTransportOptions } from './http-transport.types';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  url: string;
  seen: Seen[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  let handler: Handler = (_req, res) => json(res, 200, { ok: true });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    handle: (next) => void (handler = next),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A ProviderPacer that records what it is asked, into a log shared with the server. */
function recordingPacer(log: string[], reject?: Error) {
  const calls = { acquire: [] as Array<[RateBudget, PaceOptions | undefined]>, pause: [] as Array<[RateBudget, number]> };
  const pacer: ProviderPacer = {
    acquire: async (budget, options) => {
      calls.acquire.push([budget, options]);
      log.push('acquire');
      if (reject) throw reject;
    },
    pause: async (budget, ms) => void calls.pause.push([budget, ms]),
  };
  return { pacer, calls };
}

const API_KEY = 'sk_live_4f9a2b7c1d8e';
const SHIPPO_TOKEN = 'shippo_live_9c8b7a6d5e4f';

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(error: unknown, secrets: string[]): void {
  const texts = [JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack ?? '', String(error)];
  const cause = (error as Error).cause;
  if (cause !== undefined) texts.push(inspect(cause, { depth: 10 }), JSON.stringify(cause) ?? '');
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('HttpTransport (against a local node:http server)', () => {
  let server: TestServer;
  let other: TestServer;
  /** One try per request unless a test says otherwise: the mapping of a single answer is what most cases look at. */
  const make = (options: Partial<HttpTransportOptions> = {}) =>
    new HttpTransport({
      provider: 'shipstation',
      baseUrl: server.url,
      headers: { 'API-Key': API_KEY },
      retry: { attempts: 1 },
      ...options,
    });
  /** The default retry policy, with short waits. */
  const retrying = (options: Partial<HttpTransportOptions> = {}) => make({ retry: { baseDelayMs: 5 }, ...options });

  beforeAll(async () => {
    server = await startServer();
    other = await startServer();
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });
  beforeEach(() => {
    server.seen.length = 0;
    other.seen.length = 0;
    server.handle((_req, res) => json(res, 200, { ok: true }));
  });

  describe('request', () => {
    it('sends method, path, query (without undefined values), JSON body and headers; answers status, data, headers', async () => {
      server.handle((_req, res, body) =>
        json(res, 201, { echoed: JSON.parse(body) }, { 'X-Request-Id': 'abc', 'Set-Cookie': 'a=1' }),
      );
      const answer = await make().request<{ echoed: unknown }>({
        method: 'POST',
        path: '/v2/labels',
        query: { page: 2, test: true, carrier: 'usps', skip: undefined },
        body: { shipment: { id: 'se-1' } },
      });
      expect(answer.status).toBe(201);
      expect(answer.data).toEqual({ echoed: { shipment: { id: 'se-1' } } });
      expect(answer.headers['x-request-id']).toBe('abc');
      expect(answer.headers['content-type']).toBe('application/json');
      expect(Object.values(answer.headers).every((v) => typeof v === 'string')).toBe(true);
      expect(server.seen).toHaveLength(1);
      expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/v2/labels?page=2&test=true&carrier=usps' });
      expect(server.seen[0].headers['api-key']).toBe(API_KEY);
      expect(server.seen[0].headers['content-type']).toMatch(/^application\/json/);
    });

    it.each([
      [401, 'auth', 'ProviderAuthError'],
      [403, 'auth', 'ProviderAuthError'],
      [400, 'validation', 'ProviderValidationError'],
      [422, 'validation', 'ProviderValidationError'],
      [409, 'validation', 'ProviderValidationError'],
      [404, 'not_found', 'ProviderNotFoundError'],
      [408, 'unavailable', 'ProviderUnavailableError'],
      [500, 'unavailable', 'ProviderUnavailableError'],
      [502, 'unavailable', 'ProviderUnavailableError'],
      [503, 'unavailable', 'ProviderUnavailableError'],
    ])('maps %i to %s', async (status, code, name) => {
      server.handle((_req, res) => json(res, status, { message: 'nope' }));
      const error = await failure(make().request({ method: 'GET', path: '/v2/labels' }));
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error.retryable).toBe(code === 'unavailable');
      expect(error.message).toBe(`shipstation: GET /v2/labels answered ${status}: nope`);
      expect(error.details).toMatchObject({ http_status: status });
      expect(error.possiblyCommitted).toBe(false);
    });

    it('never follows a redirect: 3xx is unavailable ("unexpected redirect")', async () => {
      server.handle((_req, res) => {
        res.writeHead(302, { Location: `${other.url}/elsewhere?token=x` });
        res.end();
      });
      const error = await failure(make().request({ method: 'GET', path: '/v2/labels' }));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toBe(`shipstation: GET /v2/labels answered 302: unexpected redirect to ${other.url}/elsewhere`);
      expect(error.details).toMatchObject({ http_status: 302 });
      expect(other.seen).toHaveLength(0);
    });

    it.each([
      ['errors[0].message', { errors: [{ error_code: 'x', message: 'first error' }], message: 'm' }, 'first error'],
      ['message', { message: 'the message', detail: 'd' }, 'the message'],
      ['detail', { detail: 'the detail' }, 'the detail'],
      ['a string body', 'plain text problem', 'plain text problem'],
    ])('summarizes the body from %s', async (_from, body, summary) => {
      server.handle((_req, res) => {
        if (typeof body === 'string') {
          res.writeHead(400, { 'Content-Type': 'text/plain' });
          res.end(body);
        } else json(res, 400, body);
      });
      const error = await failure(make().request({ method: 'POST', path: '/v2/labels', body: {} }));
      expect(error.message).toBe(`shipstation: POST /v2/labels answered 400: ${summary}`);
    });

    it('truncates the summary to 500 characters', async () => {
      server.handle((_req, res) => json(res, 422, { message: 'x'.repeat(2000) }));
      const error = await failure(make().request({ method: 'POST', path: '/v2/labels', body: {} }));
      const prefix = 'shipstation: POST /v2/labels answered 422: ';
      expect(error.message.startsWith(prefix)).toBe(true);
      expect(error.message.length - prefix.length).toBe(500);
    });

    describe('429', () => {
      const budget: RateBudget = { key: 'shipstation:abc', perMinute: 200 };

      it('takes Retry-After in seconds and pauses the budget before rejecting', async () => {
        server.handle((_req, res) => json(res, 429, { message: 'slow down' }, { 'Retry-After': '120' }));
        const { pacer, calls } = recordingPacer([]);
        const error = await failure(make({ budget, pacer }).request({ method: 'POST', path: '/v2/labels', body: {} }));
        expect(error).toBeInstanceOf(ProviderRateLimitedError);
        expect(error.retryAfterMs).toBe(120_000);
        expect(error.possiblyCommitted).toBe(false);
        expect(error.message).toBe('shipstation: POST /v2/labels answered 429: slow down');
        expect(calls.pause).toEqual([[budget, 120_000]]);
      });

      it('takes Retry-After as an HTTP date', async () => {
        const at = new Date(Date.now() + 30_000);
        server.handle((_req, res) => json(res, 429, {}, { 'Retry-After': at.toUTCString() }));
        const { pacer, calls } = recordingPacer([]);
        const error = await failure(make({ budget, pacer }).request({ method: 'GET', path: '/v2/labels' }));
        // An HTTP date has whole seconds: up to 1 s early, and the test's own time on top.
        expect(error.retryAfterMs).toBeGreaterThan(20_000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
        expect(calls.pause).toEqual([[budget, error.retryAfterMs]]);
      });

      it.each([[undefined], ['soon'], ['']])('assumes 10 s when Retry-After is %p', async (value) => {
        server.handle((_req, res) => json(res, 429, {}, value === undefined ? {} : { 'Retry-After': value }));
        const error = await failure(make().request({ method: 'GET', path: '/v2/labels' }));
        expect(error.retryAfterMs).toBe(10_000);
      });
    });

    describe('pacing', () => {
      const budget: RateBudget = { key: 'shipstation:def', perMinute: 40 };

      it('acquires a slot before each request, with the request pace options', async () => {
        const log: string[] = [];
        server.handle((_req, res) => {
          log.push('request');
          json(res, 200, {});
        });
        const { pacer, calls } = recordingPacer(log);
        const transport = make({ budget, pacer });
        await transport.request({ method: 'POST', path: '/v2/labels', body: {}, pace: { maxWaitMs: 500 } });
        await transport.request({ method: 'GET', path: '/v2/labels' });
        expect(log).toEqual(['acquire', 'request', 'acquire', 'request']);
        expect(calls.acquire).toEqual([
          [budget, { maxWaitMs: 500 }],
          [budget, undefined],
        ]);
      });

      it('propagates the pacer rejection unchanged; nothing reaches the provider', async () => {
        const paced = new ProviderRateLimitedError('rate budget: paced', { retryAfterMs: 900, details: { paced: true } });
        const { pacer } = recordingPacer([], paced);
        const error = await failure(make({ budget, pacer }).request({ method: 'POST', path: '/v2/labels', body: {} }));
        expect(error).toBe(paced);
        expect(server.seen).toHaveLength(0);
      });

      it("paces a request on its own budget when it names one, and a 429 pauses only that budget", async () => {
        const reads: RateBudget = { key: 'shippo:abc:transaction_read', perMinute: 4000 };
        server.handle((req, res) => (req.method === 'GET' ? json(res, 429, {}, { 'Retry-After': '3' }) : json(res, 200, {})));
        const { pacer, calls } = recordingPacer([]);
        const transport = make({ budget, pacer });
        await transport.request({ method: 'POST', path: '/transactions', body: {} });
        await failure(transport.request({ method: 'GET', path: '/transactions/1', budget: reads }));
        expect(calls.acquire.map(([b]) => b)).toEqual([budget, reads]);
        expect(calls.pause).toEqual([[reads, 3_000]]);
      });

      it('does not pace without a budget', async () => {
        const { pacer, calls } = recordingPacer([]);
        await make({ pacer }).request({ method: 'GET', path: '/v2/labels' });
        expect(calls.acquire).toHaveLength(0);
      });
    });

    describe('possiblyCommitted', () => {
      const fail500: Handler = (_req, res) => json(res, 500, { message: 'internal' });
      const hangUp: Handler = (req) => req.socket.destroy();
      const neverAnswer: Handler = () => undefined;

      it.each([
        ['POST', undefined, true],
        ['PATCH', undefined, true],
        ['GET', undefined, false],
        ['PUT', undefined, false],
        ['DELETE', undefined, false],
        ['POST', true, false],
        ['GET', false, true],
      ] as const)('on a 5xx: %s (idempotent %p) -> %p', async (method, idempotent, expected) => {
        server.handle(fail500);
        const error = await failure(make().request({ method, path: '/v2/labels', body: {}, idempotent }));
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error.possiblyCommitted).toBe(expected);
      });

      it.each([
        ['POST', true],
        ['GET', false],
      ] as const)('when the server destroys the socket after reading the body: %s -> %p', async (method, expected) => {
        server.handle(hangUp);
        const error = await failure(make().request({ method, path: '/v2/labels', body: { a: 1 } }));
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error.possiblyCommitted).toBe(expected);
        expect(error.message).toMatch(new RegExp(`^shipstation: ${method} /v2/labels failed: (socket hang up|connection reset)`));
        expect(error.details).toMatchObject({ network_error: 'ECONNRESET' });
        expect(server.seen).toHaveLength(1);
      });

      it.each([
        ['POST', true],
        ['GET', false],
      ] as const)('on a timeout: %s -> %p', async (method, expected) => {
        server.handle(neverAnswer);
        const error = await failure(make({ timeoutMs: 200 }).request({ method, path: '/v2/labels', body: {} }));
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error.possiblyCommitted).toBe(expected);
        expect(error.message).toBe(`shipstation: ${method} /v2/labels failed: timeout after 200 ms`);
        expect(error.details).toMatchObject({ network_error: 'ETIMEDOUT' });
      });

      it('takes a per-request timeout over the transport one', async () => {
        server.handle(neverAnswer);
        const error = await failure(make().request({ method: 'GET', path: '/v2/slow', timeoutMs: 150 }));
        expect(error.message).toBe('shipstation: GET /v2/slow failed: timeout after 150 ms');
      });

      it('is false for a refused connection, even for a POST', async () => {
        const closed = await startServer();
        const baseUrl = closed.url;
        await closed.close();
        const error = await failure(make({ baseUrl }).request({ method: 'POST', path: '/v2/labels', body: {} }));
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error.possiblyCommitted).toBe(false);
        expect(error.message).toBe('shipstation: POST /v2/labels failed: connection refused (ECONNREFUSED)');
        expect(error.details).toMatchObject({ network_error: 'ECONNREFUSED' });
        expect(error.cause).toBeInstanceOf(Error);
        expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
        expect((error.cause as Error).constructor).toBe(Error);
      });

      it('is false for a 4xx, even for a POST', async () => {
        server.handle((_req, res) => json(res, 400, {}));
        const error = await failure(make().request({ method: 'POST', path: '/v2/labels', body: {} }));
        expect(error.possiblyCommitted).toBe(false);
        expect(error.message).toBe('shipstation: POST /v2/labels answered 400');
      });
    });

    describe('secrets', () => {
      const secrets = [API_KEY, SHIPPO_TOKEN, `ShippoToken ${SHIPPO_TOKEN}`];
      const shippo = () =>
        make({
          provider: 'shippo',
          headers: { Authorization: `ShippoToken ${SHIPPO_TOKEN}`, 'API-Key': API_KEY },
          secrets: [],
        });

      it('never shows a credential a provider echoes in its error body', async () => {
        server.handle((req, res) =>
          json(res, 401, {
            errors: [{ message: `invalid key ${req.headers['api-key']} for ${req.headers['authorization']}` }],
          }),
        );
        const error = await failure(shippo().request({ method: 'POST', path: '/shipments', body: {} }));
        expect(error.message).toBe('shippo: POST /shipments answered 401: invalid key [redacted] for [redacted]');
        expectNoSecrets(error, secrets);
      });

      it('never shows a secret in a network failure, whose cause is a plain Error with a code', async () => {
        server.handle(() => undefined);
        const error = await failure(shippo().request({ method: 'POST', path: '/shipments', body: {}, timeoutMs: 100 }));
        expect(error.cause).toBeInstanceOf(Error);
        expect((error.cause as Error).constructor).toBe(Error);
        expect(error.cause).toMatchObject({ code: 'ETIMEDOUT' });
        expect(inspect(error, { depth: 10 })).not.toMatch(/AxiosError|config|headers/);
        expectNoSecrets(error, secrets);
      });

      it('redacts options.secrets in every text of the error', async () => {
        const extra = 'acct-secret-7788';
        server.handle((_req, res) => json(res, 500, { message: `account ${extra} is broken` }));
        const error = await failure(make({ secrets: [extra] }).request({ method: 'GET', path: '/v2/labels' }));
        expect(error.message).toBe('shipstation: GET /v2/labels answered 500: account [redacted] is broken');
        expectNoSecrets(error, [extra, API_KEY]);
      });

      it('redacts what mapError returns: message, details, cause', async () => {
        server.handle((_req, res) => json(res, 400, { message: API_KEY }));
        const transport = make({
          mapError: ({ body }) =>
            new ProviderValidationError(`bad key ${(body as { message: string }).message}`, {
              details: { echoed: API_KEY, nested: [{ key: API_KEY }] },
              cause: Object.assign(new Error(`cause ${API_KEY}`), { config: { headers: { 'API-Key': API_KEY } } }),
            }),
        });
        const error = await failure(transport.request({ method: 'GET', path: '/v2/labels' }));
        expect(error.message).toBe('bad key [redacted]');
        expect(error.details).toEqual({ echoed: '[redacted]', nested: [{ key: '[redacted]' }] });
        expect((error.cause as Error).message).toBe('cause [redacted]');
        expectNoSecrets(error, [API_KEY]);
      });

      it('redacts any text through transport.redact', () => {
        expect(shippo().redact(`a ${API_KEY} b ShippoToken ${SHIPPO_TOKEN} c`)).toBe('a [redacted] b [redacted] c');
      });
    });

    describe('mapError', () => {
      it('gets the answer and the fallback, and its error is used', async () => {
        server.handle((_req, res) =>
          json(res, 400, { errors: [{ error_code: 'insufficient_funds', message: 'add funds' }] }, { 'X-Trace': 't1' }),
        );
        const answers: HttpErrorAnswer[] = [];
        const transport = make({
          mapError: (answer) => {
            answers.push(answer);
            const code = (answer.body as { errors: Array<{ error_code: string }> }).errors[0].error_code;
            return code === 'insufficient_funds'
              ? new ProviderInsufficientFundsError(answer.fallback.message, { details: answer.fallback.details })
              : undefined;
          },
        });
        const error = await failure(transport.request({ method: 'POST', path: '/v2/labels', body: {} }));
        expect(error).toBeInstanceOf(ProviderInsufficientFundsError);
        expect(error.message).toBe('shipstation: POST /v2/labels answered 400: add funds');
        expect(answers).toHaveLength(1);
        expect(answers[0]).toMatchObject({
          status: 400,
          body: { errors: [{ error_code: 'insufficient_funds', message: 'add funds' }] },
          request: { method: 'POST', path: '/v2/labels' },
        });
        expect(answers[0].headers['x-trace']).toBe('t1');
        expect(answers[0].fallback).toBeInstanceOf(ProviderValidationError);
      });

      it('keeps the fallback when mapError returns undefined', async () => {
        server.handle((_req, res) => json(res, 404, { message: 'no such label' }));
        const error = await failure(make({ mapError: () => undefined }).request({ method: 'GET', path: '/v2/labels/x' }));
        expect(error.code).toBe('not_found');
        expect(error.message).toBe('shipstation: GET /v2/labels/x answered 404: no such label');
      });
    });
  });

  describe('retries', () => {
    /** Answers each request with the next of `answers`, then 200 `{ ok: true }`. */
    const answerInTurn = (answers: Handler[]) => {
      let n = 0;
      server.handle((req, res, body) => (answers[n++] ?? ((_q, r) => json(r, 200, { ok: true })))(req, res, body));
    };
    const fail503: Handler = (_req, res) => json(res, 503, { message: 'down for a moment' });
    const hangUp: Handler = (req) => req.socket.destroy();

    it('tries an idempotent read again after a 5xx or a lost answer, pacing every try, and answers the success', async () => {
      answerInTurn([fail503, hangUp]);
      const budget: RateBudget = { key: 'shipstation:retry', perMinute: 100 };
      const { pacer, calls } = recordingPacer([]);
      const answer = await retrying({ budget, pacer }).request<{ ok: boolean }>({ method: 'GET', path: '/v2/labels/external_shipment_id/r1' });
      expect(answer.data).toEqual({ ok: true });
      expect(server.seen).toHaveLength(3);
      expect(calls.acquire).toHaveLength(3);
    });

    it('gives up after the policy\'s tries with the last error, saying how many were made', async () => {
      server.handle(fail503);
      const error = await failure(retrying({ retry: { attempts: 4, baseDelayMs: 1 } }).request({ method: 'GET', path: '/v2/labels' }));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toBe('shipstation: GET /v2/labels answered 503: down for a moment (4 attempts)');
      expect(error.details).toMatchObject({ http_status: 503, attempts: 4 });
      expect(server.seen).toHaveLength(4);
    });

    it('tries an idempotent POST (address validation) again, and a PUT', async () => {
      answerInTurn([fail503]);
      await retrying().request({ method: 'POST', path: '/v2/addresses/validate', body: [], idempotent: true });
      answerInTurn([hangUp]);
      await retrying().request({ method: 'PUT', path: '/v2/labels/se-1/void' });
      expect(server.seen).toHaveLength(4);
    });

    it.each([
      ['a 5xx', fail503],
      ['a lost answer', hangUp],
    ])('never repeats a purchase (non-idempotent POST) after %s: it may have been bought', async (_what, handler) => {
      answerInTurn([handler]);
      const error = await failure(retrying().request({ method: 'POST', path: '/v2/labels', body: {} }));
      expect(error.possiblyCommitted).toBe(true);
      expect(server.seen).toHaveLength(1);
    });

    it('repeats a POST that never reached the provider (refused connection)', async () => {
      const closed = await startServer();
      const baseUrl = closed.url;
      await closed.close();
      const { pacer, calls } = recordingPacer([]);
      const error = await failure(
        retrying({ baseUrl, pacer, budget: { key: 'k', perMinute: 60 } }).request({ method: 'POST', path: '/v2/labels', body: {} }),
      );
      expect(error.message).toBe('shipstation: POST /v2/labels failed: connection refused (ECONNREFUSED) (3 attempts)');
      expect(error.possiblyCommitted).toBe(false);
      expect(calls.acquire).toHaveLength(3);
    });

    it.each([
      [400, 'validation'],
      [401, 'auth'],
      [404, 'not_found'],
      [429, 'rate_limited'],
    ])('does not repeat a %i (%s)', async (status, code) => {
      server.handle((_req, res) => json(res, status, { message: 'no' }, { 'Retry-After': '0' }));
      const error = await failure(retrying().request({ method: 'GET', path: '/v2/labels' }));
      expect(error.code).toBe(code);
      expect(server.seen).toHaveLength(1);
    });

    it("waits a 503's Retry-After when it is short, and gives up at once when it is longer than the longest wait", async () => {
      answerInTurn([(_req, res) => json(res, 503, {}, { 'Retry-After': '1' })]);
      const started = Date.now();
      await retrying().request({ method: 'GET', path: '/v2/labels' });
      expect(server.seen).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

      server.seen.length = 0;
      server.handle((_req, res) => json(res, 503, {}, { 'Retry-After': '120' }));
      const error = await failure(retrying().request({ method: 'GET', path: '/v2/labels' }));
      expect(error.retryAfterMs).toBe(120_000);
      expect(error.message).toBe('shipstation: GET /v2/labels answered 503');
      expect(server.seen).toHaveLength(1);
    });

    it('tries a timed-out read again', async () => {
      answerInTurn([() => undefined]);
      const answer = await retrying({ timeoutMs: 150 }).request<{ ok: boolean }>({ method: 'GET', path: '/v2/labels' });
      expect(answer.data).toEqual({ ok: true });
      expect(server.seen).toHaveLength(2);
    });
  });

  describe('download', () => {
    const pdf = Buffer.from('%PDF-1.4 fake label bytes \u0000\u0001\u0002', 'binary');

    it('answers the bytes and the content type without parameters', async () => {
      server.handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'Application/PDF; charset=binary' });
        res.end(pdf);
      });
      const { pacer, calls } = recordingPacer([]);
      const file = await make({ pacer, budget: { key: 'k', perMinute: 1 } }).download(`${server.url}/labels/1.pdf`);
      expect(file.content.equals(pdf)).toBe(true);
      expect(file.contentType).toBe('application/pdf');
      expect(calls.acquire).toHaveLength(0);
    });

    it('answers an empty content type when the server sends none', async () => {
      server.handle((_req, res) => res.end(pdf));
      const file = await make().download(`${server.url}/labels/1.pdf`);
      expect(file.contentType).toBe('');
    });

    it('refuses a body over maxBytes, with or without a content length', async () => {
      server.handle((req, res) => {
        res.writeHead(200, req.url === '/sized' ? { 'Content-Length': '2048' } : {});
        if (req.url === '/sized') res.end(Buffer.alloc(2048));
        else {
          res.write(Buffer.alloc(1024));
          res.end(Buffer.alloc(1024));
        }
      });
      for (const path of ['/sized', '/chunked']) {
        const error = await failure(make().download(`${server.url}${path}`, { maxBytes: 1000 }));
        expect(error).toBeInstanceOf(ProviderValidationError);
        expect(error.message).toContain('limit of 1000 bytes');
      }
      const file = await make().download(`${server.url}/sized`, { maxBytes: 2048 });
      expect(file.content).toHaveLength(2048);
    });

    it('sends the credential headers only to the origin of baseUrl', async () => {
      other.handle((_req, res) => res.end(pdf));
      const transport = make();
      await transport.download(`${server.url}/labels/1.pdf`);
      await transport.download(`${other.url}/cdn/1.pdf`);
      expect(server.seen[0].headers['api-key']).toBe(API_KEY);
      expect(other.seen).toHaveLength(1);
      expect(other.seen[0].headers['api-key']).toBeUndefined();
      expect(JSON.stringify(other.seen[0].headers)).not.toContain(API_KEY);
    });

    it.each([['ftp://example.com/label.pdf'], ['file:///etc/passwd'], ['data:application/pdf;base64,AAAA'], ['/relative']])(
      'refuses %s',
      async (url) => {
        const error = await failure(make().download(url));
        expect(error).toBeInstanceOf(ProviderValidationError);
        expect(server.seen).toHaveLength(0);
      },
    );

    it('maps failures like request(), never possiblyCommitted', async () => {
      server.handle((req, res) => {
        if (req.url?.startsWith('/gone')) json(res, 404, { message: 'label expired' });
        else json(res, 503, {});
      });
      const gone = await failure(make().download(`${server.url}/gone?sig=abc`));
      expect(gone.code).toBe('not_found');
      expect(gone.message).toBe('shipstation: GET /gone answered 404: label expired');
      const down = await failure(make().download(`${server.url}/down`));
      expect(down.code).toBe('unavailable');
      expect(down.possiblyCommitted).toBe(false);
      server.handle(() => undefined);
      const slow = await failure(make().download(`${server.url}/slow`, { timeoutMs: 100 }));
      expect(slow.message).toBe('shipstation: GET /slow failed: timeout after 100 ms');
      expect(slow.possiblyCommitted).toBe(false);
      const cdn = await failure(make().download(`${other.url.replace(/\d+$/, '1')}/x.pdf`));
      expect(cdn.message).toMatch(/^shipstation: GET http:\/\/127\.0\.0\.1:1\/x\.pdf failed: connection refused/);
    });
  });
  describe('observer', () => {
    it('sees every try: provider, kind, method, status or network error, duration and pacing; never a URL', async () => {
      const seen: HttpExchange[] = [];
      const observer = { exchanged: (e: HttpExchange) => void seen.push(e) };
      let calls = 0;
      server.handle((_req, res) => (++calls === 1 ? json(res, 503, {}) : json(res, 200, { ok: true })));
      const { pacer } = recordingPacer([]);
      await retrying({ observer, pacer, budget: { key: 'k', perMinute: 60 } }).request({ method: 'GET', path: '/v2/labels/1' });
      server.handle((_req, res) => json(res, 429, {}, { 'Retry-After': '1' }));
      await failure(make({ observer }).request({ method: 'POST', path: '/v2/labels', body: {} }));
      await make({ observer }).download(`${server.url}/label.pdf`).catch(() => undefined);
      const closed = await startServer();
      await closed.close();
      await failure(make({ observer, baseUrl: closed.url }).request({ method: 'GET', path: '/v2/x' }));
      expect(seen.map(({ durationMs: _d, pacedMs: _p, ...e }) => e)).toEqual([
        { provider: 'shipstation', kind: 'request', method: 'GET', status: 503 },
        { provider: 'shipstation', kind: 'request', method: 'GET', status: 200 },
        { provider: 'shipstation', kind: 'request', method: 'POST', status: 429 },
        { provider: 'shipstation', kind: 'download', method: 'GET', status: 429 },
        { provider: 'shipstation', kind: 'request', method: 'GET', networkError: 'ECONNREFUSED' },
      ]);
      expect(seen.every((e) => e.durationMs >= 0 && e.pacedMs >= 0)).toBe(true);
    });

    it('never fails a request when the observer throws', async () => {
      const observer = { exchanged: () => { throw new Error('metrics down'); } };
      await expect(make({ observer }).request({ method: 'GET', path: '/v2/ok' })).resolves.toMatchObject({ status: 200 });
    });
  });
});
