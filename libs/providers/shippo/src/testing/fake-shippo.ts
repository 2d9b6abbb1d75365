import { type FakeAnswer, type FakeRequest, type FaultInjector, providerSpec, type RecordedRequest, SlidingWindowRateLimiter, startFakeServer } from '@shipbatch/providers/testing';
import { batchHandlers } from './fake-shippo.batches';
import { shippoDetail, shippoValidationBody } from './fake-shippo.errors';
import { type FakeShippoAccountInput, type FakeShippoBatch, type FakeShippoSale, FakeShippoState } from './fake-shippo.state';
import { tokenOf, transactionHandlers } from './fake-shippo.transactions';

/** The API version the fake answers (the one the adapter sends, and the document's). */
export const FAKE_SHIPPO_API_VERSION = '2018-02-08';

/**
 * Shippo's published per-token limits for a live token, per minute, per endpoint and verb
 * (docs.goshippo.com "Rate limits"), keyed by the operation they apply to. Calls of other
 * operations share the `other` window.
 */
export const FAKE_SHIPPO_LIMITS = {
  CreateTransaction: 500,
  GetTransaction: 4000,
  ListTransactions: 50,
  GetRate: 4000,
  CreateRefund: 500,
  CreateBatch: 50,
  GetBatch: 400,
  AddShipmentsToBatch: 50,
  RemoveShipmentsFromBatch: 50,
  PurchaseBatch: 50,
  other: 500,
} as const;

export type FakeShippoLimitKind = keyof typeof FAKE_SHIPPO_LIMITS;

export interface FakeShippoOptions {
  /** Every limit of FAKE_SHIPPO_LIMITS times this (a sliding 60 s window per token and kind); default 1. */
  limitScale?: number;
  /** Limits of their own for some kinds, per minute (instead of the scaled published ones). */
  limits?: Partial<Record<FakeShippoLimitKind, number>>;
  /** The first `count` instant transactions answer QUEUED and show SUCCESS after `polls` GETs of each. */
  queued?: { count: number; polls: number };
  /** GETs of a batch that still answer VALIDATING after create, and PURCHASING after purchase; default 1. */
  batchPendingReads?: number;
  /** The status of a new refund; default QUEUED (the transaction shows REFUNDPENDING; with SUCCESS, REFUNDED). */
  refundStatus?: 'QUEUED' | 'SUCCESS';
  /** Added to every answer, in ms. */
  latencyMs?: number;
  accounts?: FakeShippoAccountInput[];
}

export interface FakeShippoStats {
  /** API requests received (label downloads excluded). */
  requests: number;
  /** Answers with status 429 (the rate limits, and injected 429 faults). */
  answered429: number;
  /** `POST /batches` received. */
  batchCreates: number;
}

export interface FakeShippo {
  /** Base URL; the API is at `${url}/transactions`, `${url}/batches`, ... */
  url: string;
  addAccount(account: FakeShippoAccountInput): void;
  /** The next `count` instant transactions answer QUEUED, and SUCCESS after `polls` GETs of each. */
  queueNext(count: number, polls: number): void;
  /** The next purchase (single or in a batch) with this metadata fails: ERROR / TRANSACTION_FAILED with `text`. */
  failPurchaseOf(metadata: string, text?: string): void;
  /** A batch shipment with this metadata comes out of Shippo's validation INVALID, with `text` (what a carrier's address check finds). */
  failValidationOf(metadata: string, text?: string): void;
  /** Every label sold, in order (refunded ones too, flagged). */
  sales(): FakeShippoSale[];
  /** How many labels were sold with this metadata (refunded ones included). */
  salesFor(metadata: string): number;
  /** Every batch, as the fake keeps it. */
  batches(): FakeShippoBatch[];
  /** How many times `POST /batches/{id}/purchase` was called for this batch (refused calls included). */
  batchPurchaseCalls(batchId: string): number;
  requests(): RecordedRequest[];
  violations(): string[];
  stats(token?: string): FakeShippoStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

const DOWNLOAD = 'download_label_file';
const OWNER = 'fake@shippo.test';

/**
 * A fake Shippo API (`2018-02-08`) on a real HTTP server, checked against the kept part of
 * Shippo's published OpenAPI 3.1 description (`providerSpec('shippo')`): instant transactions
 * (SUCCESS, QUEUED for a few polls, ERROR with Shippo's messages), transaction reads and listing,
 * rates, refunds, batches (validated in the background, shipments removed, purchased once), real
 * label files, `ShippoToken` authentication and Shippo's per-token rate limits per endpoint and
 * verb (FAKE_SHIPPO_LIMITS). A request for an operation the kept description lacks is refused
 * (404; 405 for another method of a kept path) and recorded as a violation.
 */
export async function startFakeShippo(options: FakeShippoOptions = {}): Promise<FakeShippo> {
  const state = new FakeShippoState();
  for (const a of options.accounts ?? []) state.addAccount(a);
  const scale = options.limitScale ?? 1;
  const limits = Object.fromEntries(
    Object.entries(FAKE_SHIPPO_LIMITS).map(([kind, perMinute]) => [kind, new SlidingWindowRateLimiter(options.limits?.[kind as FakeShippoLimitKind] ?? Math.floor(perMinute * scale))]),
  ) as Record<FakeShippoLimitKind, SlidingWindowRateLimiter>;
  const base = { url: '' };
  const runtime = {
    baseUrl: () => base.url,
    owner: OWNER,
    queued: { left: options.queued?.count ?? 0, polls: options.queued?.polls ?? 1 },
    refundStatus: options.refundStatus ?? ('QUEUED' as const),
    batchPendingReads: options.batchPendingReads ?? 1,
  };
  const transactions = transactionHandlers(state, runtime);

  const before = (req: FakeRequest): FakeAnswer | undefined => {
    if (req.operationId === DOWNLOAD) return undefined;
    const header = req.headers['authorization'];
    const token = tokenOf(req);
    if (!header) return shippoDetail(401, 'Authentication credentials were not provided.');
    if (!state.hasToken(token)) return shippoDetail(401, header.startsWith('ShippoToken ') ? 'Invalid token.' : "Invalid authorization header: use 'ShippoToken <token>'.");
    const version = req.headers['shippo-api-version'];
    if (version !== FAKE_SHIPPO_API_VERSION) {
      return shippoDetail(400, version ? `Unsupported API version '${version}' (this fake speaks ${FAKE_SHIPPO_API_VERSION}).` : `The SHIPPO-API-VERSION header is required (${FAKE_SHIPPO_API_VERSION}).`);
    }
    const kind: FakeShippoLimitKind = req.operationId && req.operationId in limits ? (req.operationId as FakeShippoLimitKind) : 'other';
    const verdict = limits[kind].admit(token, Date.now());
    if (!verdict.admitted) {
      return shippoDetail(429, `Request was throttled. Expected available in ${verdict.retryAfterSeconds} seconds.`, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    return undefined;
  };

  const server = await startFakeServer({
    document: providerSpec('shippo'),
    handlers: { ...transactions.handlers, ...batchHandlers(state, runtime) },
    extraRoutes: [transactions.download],
    before,
    errorSchema: 'BadRequest',
    latencyMs: options.latencyMs,
    rejection: (kind, problems) =>
      kind === 'invalid_request' ? { status: 400, body: shippoValidationBody(problems) } : shippoDetail(kind === 'unknown_route' ? 404 : 405, problems.join('; ')),
  });
  base.url = server.url;

  const apiRequests = (token?: string) =>
    server.requests().filter((r) => r.operationId !== DOWNLOAD && (token === undefined || r.headers['authorization'] === `ShippoToken ${token}`));
  const batch = (id: string) => {
    const b = state.batches.get(id);
    if (!b) throw new Error(`fake Shippo: no batch ${id}`);
    return b;
  };

  return {
    url: server.url,
    addAccount: (a) => state.addAccount(a),
    queueNext: (count, polls) => {
      runtime.queued.left = count;
      runtime.queued.polls = polls;
    },
    failPurchaseOf: (metadata, text = 'The carrier refused the label: address not deliverable.') => {
      state.failing.set(metadata, text);
    },
    failValidationOf: (metadata, text = 'The address could not be found by the carrier.') => {
      state.invalidating.set(metadata, text);
    },
    sales: () => state.sales(),
    salesFor: (metadata) => state.sales().filter((s) => s.metadata === metadata).length,
    batches: () => [...state.batches.values()],
    batchPurchaseCalls: (id) => batch(id).purchaseCalls,
    requests: () => server.requests(),
    violations: () => server.violations(),
    stats: (token) => {
      const rs = apiRequests(token);
      return { requests: rs.length, answered429: rs.filter((r) => r.status === 429).length, batchCreates: rs.filter((r) => r.operationId === 'CreateBatch').length };
    },
    faults: server.faults,
    close: () => server.close(),
  };
}
