import { type FakeAnswer, type FakeHandler, type FakeRequest, type FaultInjector, peakRequests, providerSpec, type RecordedRequest, startFakeServer } from '@shipbatch/providers/testing';
import { fakeShipStationV1Error } from './fake-shipstation-v1.errors';
import { apiKeyOf, fakeShipStationV1Handlers, unauthorized } from './fake-shipstation-v1.handlers';
import { FixedWindowRateLimiter } from './fake-shipstation-v1.limits';
import { type FakeShipStationV1AccountInput, type FakeShipStationV1Sale, FakeShipStationV1State } from './fake-shipstation-v1.state';

export interface FakeShipStationV1Options {
  /** Requests per API key and secret in one fixed window (default 40, ShipStation v1's). */
  rateLimit?: number;
  /** The fixed window, in ms (default 60 000; a test may scale it down together with the account's rate_limit_per_minute). */
  windowMs?: number;
  /** Added to every answer, in ms. */
  latencyMs?: number;
  accounts?: FakeShipStationV1AccountInput[];
}

export interface FakeShipStationV1Stats {
  requests: number;
  /** Answers with status 429 (the limit, and injected 429 faults). */
  answered429: number;
  /** Most requests that arrived in any 10 s, any 60 s, and any one window of the fake's length. */
  peakPer10s: number;
  peakPer60s: number;
  peakPerWindow: number;
}

export interface FakeShipStationV1 {
  /** Base URL of the fake API (no version prefix, as ssapi.shipstation.com). */
  url: string;
  addAccount(account: FakeShipStationV1AccountInput): void;
  /** Every label sold, in order (voided ones too, flagged). */
  sales(): FakeShipStationV1Sale[];
  /** How many labels were sold for our reference (the order's number; voided ones included). */
  salesFor(reference: string): number;
  /** How many orders exist with this orderKey (0 or 1: createorder is idempotent by orderKey). */
  ordersFor(orderKey: string): number;
  /** A carrier's balance in dollars (of the key given, else the first carrier with that code). */
  balance(carrierCode: string, apiKey?: string): number;
  setBalance(carrierCode: string, dollars: number, apiKey?: string): void;
  fundsAdded(carrierCode: string, apiKey?: string): Array<{ amount: number; at: number }>;
  /** The Ship From Locations of a key (one default to start, then those the adapter made). */
  warehouses(apiKey: string): Array<{ warehouseId: number; warehouseName: string; originAddress: Record<string, unknown>; isDefault: boolean }>;
  /** Purchases of this order number fail with the text (a carrier refusal); null ends it. */
  failPurchaseOf(reference: string, message: string | null): void;
  /** Uses up `count` requests of the key's current window, as another client of the key would. */
  consume(apiKey: string, count: number): void;
  /** The X-Rate-Limit-* headers of the last answer to a request of the key (admitted or refused with 429). */
  lastRateHeaders(apiKey: string): Record<string, string> | undefined;
  /** Another client of the key uses `count` requests of every window from now on (its first ones). */
  shareKey(apiKey: string, count: number): void;
  /** An error body in ShipStation v1's shape (for the contract suite's injected faults). */
  errorBody(status: number, message: string): unknown;
  requests(): RecordedRequest[];
  violations(): string[];
  stats(apiKey?: string): FakeShipStationV1Stats;
  faults: FaultInjector;
  close(): Promise<void>;
}


/**
 * A fake ShipStation API v1 (legacy, `https://ssapi.shipstation.com` shapes, no version prefix) on
 * a real HTTP server, built on the fake-server kit: every request and answer is checked against
 * the description kept in this library (`providerSpec('shipstation-v1')`, written by hand from
 * ShipStation's v1 documentation). HTTP Basic authentication with an account's API key and
 * secret (else 401); a fixed-window limit per key and secret (default 40 a minute) with
 * `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` on every answer, and a
 * 429 past it; orders idempotent by orderKey, labels bought for orders against prepaid carrier
 * balances, listed without label data; errors in ASP.NET shapes.
 */
export async function startFakeShipStationV1(options: FakeShipStationV1Options = {}): Promise<FakeShipStationV1> {
  const state = new FakeShipStationV1State();
  for (const a of options.accounts ?? []) state.addAccount(a);
  const limiter = new FixedWindowRateLimiter(options.rateLimit ?? 40, options.windowMs ?? 60_000);
  /** The rate headers of each admitted request, added to whatever its handler answers. */
  const rateHeaders = new WeakMap<FakeRequest, Record<string, string>>();
  const lastRateHeaders = new Map<string, Record<string, string>>();

  const before = (req: FakeRequest): FakeAnswer | undefined => {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const apiKey = colon > 0 ? state.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    if (!apiKey) return unauthorized();
    const verdict = limiter.admit(apiKey, Date.now());
    lastRateHeaders.set(apiKey, verdict.headers);
    if (!verdict.admitted) {
      return fakeShipStationV1Error(429, 'Too Many Requests', { ...verdict.headers, 'Retry-After': verdict.headers['X-Rate-Limit-Reset'] });
    }
    rateHeaders.set(req, verdict.headers);
    return undefined;
  };

  const withRateHeaders = (handler: FakeHandler): FakeHandler => async (req) => {
    const answer = await handler(req);
    return { ...answer, headers: { ...(rateHeaders.get(req) ?? limiter.headers(apiKeyOf(req) ?? '', Date.now())), ...(answer.headers ?? {}) } };
  };
  const handlers = Object.fromEntries(Object.entries(fakeShipStationV1Handlers(state)).map(([id, h]) => [id, withRateHeaders(h)]));

  const server = await startFakeServer({
    document: providerSpec('shipstation-v1'),
    handlers,
    before,
    errorSchema: 'AspNetError',
    latencyMs: options.latencyMs,
    rejection: (kind, problems) =>
      kind === 'invalid_request'
        ? fakeShipStationV1Error(400, 'The request is invalid.', undefined, problems.join('; '))
        : fakeShipStationV1Error(kind === 'unknown_route' ? 404 : 405, `No HTTP resource was found that matches the request URI: ${problems.join('; ')}`),
  });

  const apiRequests = (apiKey?: string) => server.requests().filter((r) => apiKey === undefined || apiKeyOf(r) === apiKey);

  return {
    url: server.url,
    addAccount: (a) => state.addAccount(a),
    sales: () => state.sales.map((s) => ({ ...s })),
    salesFor: (reference) => state.sales.filter((s) => s.orderNumber === reference).length,
    ordersFor: (orderKey) => [...state.orders.values()].filter((m) => m.has(orderKey)).length,
    balance: (code, apiKey) => state.carrier(code, apiKey).balanceCents / 100,
    setBalance: (code, dollars, apiKey) => {
      state.carrier(code, apiKey).balanceCents = Math.round(dollars * 100);
    },
    fundsAdded: (code, apiKey) => state.carrier(code, apiKey).fundsAdded.slice(),
    warehouses: (apiKey) => (state.warehouses.get(apiKey) ?? []).map((w) => ({ warehouseId: w.warehouseId, warehouseName: w.warehouseName, originAddress: { ...w.originAddress }, isDefault: w.isDefault })),
    failPurchaseOf: (reference, message) => {
      if (message === null) state.failures.delete(reference);
      else state.failures.set(reference, message);
    },
    consume: (apiKey, count) => limiter.consume(apiKey, count, Date.now()),
    lastRateHeaders: (apiKey) => lastRateHeaders.get(apiKey),
    shareKey: (apiKey, count) => limiter.shareWith(apiKey, count, Date.now()),
    errorBody: (status, message) => fakeShipStationV1Error(status, status >= 500 ? 'An error has occurred.' : message, undefined, status >= 500 ? message : undefined).body,
    requests: () => server.requests(),
    violations: () => server.violations(),
    stats: (apiKey) => {
      const rs = apiRequests(apiKey);
      const times = rs.map((r) => r.at);
      return {
        requests: rs.length,
        answered429: rs.filter((r) => r.status === 429).length,
        peakPer10s: peakRequests(times, 10_000),
        peakPer60s: peakRequests(times, 60_000),
        peakPerWindow: peakRequests(times, limiter.windowMs),
      };
    },
    faults: server.faults,
    close: () => server.close(),
  };
}
