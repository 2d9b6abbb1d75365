import { type FakeAnswer, type FakeRequest, type FaultInjector, providerSpec, type RecordedRequest, SlidingWindowRateLimiter, startFakeServer } from '@shipbatch/providers/testing';
import { fakeShipStationV1Error } from './fake-shipstation-v1.errors';
import { fakeShipStationV1Handlers } from './fake-shipstation-v1.handlers';
import { type FakeShipStationV1Sale, FakeShipStationV1State } from './fake-shipstation-v1.state';

export interface FakeShipStationV1Options {
  /** Requests a minute per API key before a 429 with Retry-After (default 40). */
  rateLimitPerMinute?: number;
  latencyMs?: number;
}

export interface FakeShipStationV1 {
  /** Base URL of the fake API. */
  url: string;
  addAccount(apiKey: string): void;
  sales(): FakeShipStationV1Sale[];
  /** How many labels were sold under our reference. */
  salesFor(reference: string): number;
  /** An error body in the provider's shape, for the contract suite's injected faults. */
  errorBody(status: number, message: string): unknown;
  requests(): RecordedRequest[];
  violations(): string[];
  faults: FaultInjector;
  close(): Promise<void>;
}

/**
 * A fake ShipStation v1 on a real HTTP server, built on the fake-server kit of
 * `@shipbatch/providers/testing`: every request and answer is checked against the kept part of
 * the provider's OpenAPI description (`providerSpec('shipstation-v1')`), `Authorization: Bearer
 * <api key>` of an added account is required, and each key has a sliding one-minute rate limit.
 * TODO: the handlers (fake-shipstation-v1.handlers.ts), the provider's error body
 * (fake-shipstation-v1.errors.ts) and its authentication, if it is not a bearer token.
 */
export async function startFakeShipStationV1(options: FakeShipStationV1Options = {}): Promise<FakeShipStationV1> {
  const state = new FakeShipStationV1State();
  const limiter = new SlidingWindowRateLimiter(options.rateLimitPerMinute ?? 40);

  const before = (req: FakeRequest): FakeAnswer | undefined => {
    const apiKey = /^Bearer\s+(\S+)$/.exec(req.headers['authorization'] ?? '')?.[1];
    if (!apiKey || !state.apiKeys.has(apiKey)) return fakeShipStationV1Error(401, 'The API key is missing or unknown.');
    const verdict = limiter.admit(apiKey, Date.now());
    if (!verdict.admitted) return fakeShipStationV1Error(429, 'Rate limit exceeded.', { 'Retry-After': String(verdict.retryAfterSeconds) });
    return undefined;
  };

  const server = await startFakeServer({
    document: providerSpec('shipstation-v1'),
    handlers: fakeShipStationV1Handlers(state),
    before,
    latencyMs: options.latencyMs,
    rejection: (kind, problems) => fakeShipStationV1Error(kind === 'invalid_request' ? 400 : kind === 'unknown_route' ? 404 : 405, problems.join('; ')),
  });

  return {
    url: server.url,
    addAccount: (apiKey) => {
      state.apiKeys.add(apiKey);
    },
    sales: () => [...state.sales],
    salesFor: (reference) => state.sales.filter((s) => s.reference === reference).length,
    errorBody: (status, message) => fakeShipStationV1Error(status, message).body,
    requests: () => server.requests(),
    violations: () => server.violations(),
    faults: server.faults,
    close: () => server.close(),
  };
}
