import { type FakeAnswer, type FakeRequest, type FaultInjector, peakRequests, providerSpec, type RecordedRequest, SlidingWindowRateLimiter, startFakeServer } from '@shipbatch/providers/testing';
import { accountHandlers } from './fake-shipstation.accounts';
import { BATCH_ANSWER_DEVIATIONS, BATCH_REQUEST_DEVIATIONS, batchHandlers } from './fake-shipstation.batches';
import type { FakeShipStationBatchView } from './fake-shipstation.batch.state';
import { shipStationError } from './fake-shipstation.errors';
import { labelHandlers } from './fake-shipstation.labels';
import { ESTIMATE_RATES_REQUEST_DEVIATIONS, rateHandlers } from './fake-shipstation.rates';
import { shipmentHandlers } from './fake-shipstation.shipments';
import { type FakeShipStationAccountInput, type FakeShipStationSale, FakeShipStationState } from './fake-shipstation.state';

export interface FakeShipStationOptions {
  /** Requests per API key in any 60 s (sliding window over arrivals); default 200. */
  rateLimitPerMinute?: number;
  /** Added to every answer, in ms. */
  latencyMs?: number;
  accounts?: FakeShipStationAccountInput[];
  /**
   * Reads of a processed batch that still answer it in progress (`queued`, then `processing`);
   * the next read finishes it (every label bought then, in the batch's order). Default 2.
   */
  batchProcessingReads?: number;
}

export interface FakeShipStationStats {
  /** API requests received (label downloads excluded). */
  requests: number;
  /** Answers with status 429 (the rate limit, and injected 429 faults). */
  answered429: number;
  /** Most API requests that arrived in any 10 s window. */
  peakPer10s: number;
  /** Most API requests that arrived in any 60 s window. */
  peakPer60s: number;
}

export interface FakeShipStation {
  /** Base URL; the API is under `${url}/v2/...`. */
  url: string;
  addAccount(account: FakeShipStationAccountInput): void;
  /** Every label sold, in order (voided ones too, flagged). */
  sales(): FakeShipStationSale[];
  /** How many labels were sold for this external_shipment_id (voided ones included). */
  salesFor(externalShipmentId: string): number;
  /** The carrier's balance, in dollars. */
  balance(carrierId: string): number;
  setBalance(carrierId: string, dollars: number): void;
  /** Top-ups through add_funds, in order. */
  fundsAdded(carrierId: string): Array<{ amount: number; at: number }>;
  /** Every batch, in the order made, with its `process/labels` calls (refused ones included) and errors. */
  batches(): FakeShipStationBatchView[];
  /** How many shipments exist with this external_shipment_id (0 or 1: ShipStation keeps it unique per account and key). */
  shipmentsFor(externalShipmentId: string): number;
  /** The warehouses of an API key: name, origin and return address. */
  warehouses(apiKey: string): Array<{ warehouse_id: string; name: string; is_default: boolean; origin_address: Record<string, unknown>; return_address: Record<string, unknown> }>;
  /** Makes every purchase of this external_shipment_id fail with this text, alone or in a batch (a carrier refusal); null ends it. */
  failPurchaseOf(externalShipmentId: string, message: string | null): void;
  requests(): RecordedRequest[];
  violations(): string[];
  /** Traffic figures, for every key or one. */
  stats(apiKey?: string): FakeShipStationStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

const DOWNLOAD = 'download_label_file';


/**
 * A fake ShipStation API v2 (ShipEngine shapes under `/v2/...`) on a real HTTP server, checked
 * against the kept part of ShipEngine's published OpenAPI description
 * (`providerSpec('shipstation')`): labels (create, from a shipment, get, get by
 * external_shipment_id, list, void), shipments in bulk and warehouses, batches (create, find by
 * external_batch_id, add, remove, process once, errors), carriers (balance, services, add_funds),
 * rate estimates and address validation, with API-Key authentication, a per-key rate limit,
 * prepaid balances and a sales ledger. `external_shipment_id` is unique per API key, as
 * ShipStation keeps it. A request for an operation the kept
 * description lacks is refused (404; 405 for another method of a kept path) and recorded as a
 * violation.
 */
export async function startFakeShipStation(options: FakeShipStationOptions = {}): Promise<FakeShipStation> {
  const state = new FakeShipStationState();
  for (const a of options.accounts ?? []) state.addAccount(a);
  const limiter = new SlidingWindowRateLimiter(options.rateLimitPerMinute ?? 200);
  const base = { url: '' };
  const labels = labelHandlers(state, () => base.url);
  const batchRuntime = { baseUrl: () => base.url, processingReads: options.batchProcessingReads ?? 2 };

  const before = (req: FakeRequest): FakeAnswer | undefined => {
    if (req.operationId === DOWNLOAD) return undefined;
    const apiKey = req.headers['api-key'];
    if (!state.hasKey(apiKey)) {
      return shipStationError(401, { error_type: 'security', error_code: 'unauthorized', message: apiKey ? 'The API key is invalid. Please see https://www.shipengine.com/docs/auth' : 'The API-Key header is missing. Please see https://www.shipengine.com/docs/auth' });
    }
    const verdict = limiter.admit(apiKey, Date.now());
    if (!verdict.admitted) {
      return shipStationError(429, { error_type: 'system', error_code: 'rate_limit_exceeded', message: `You have exceeded the rate limit of ${options.rateLimitPerMinute ?? 200} requests per minute. Please retry after ${verdict.retryAfterSeconds} seconds.` }, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    return undefined;
  };

  const server = await startFakeServer({
    document: providerSpec('shipstation'),
    pathPrefix: { spec: '/v1', served: '/v2' },
    handlers: { ...labels.handlers, ...accountHandlers(state), ...rateHandlers(state), ...shipmentHandlers(state, () => base.url), ...batchHandlers(state, batchRuntime) },
    extraRoutes: [labels.download],
    before,
    errorSchema: 'error_response_body',
    latencyMs: options.latencyMs,
    knownDeviations: [
      { problem: /^answer 200 body\/batch_id: /, reason: "ShipStation answers batch_id '' for a label bought alone (the spec's own example); the schema requires an se_id" },
      ...ESTIMATE_RATES_REQUEST_DEVIATIONS,
      ...BATCH_REQUEST_DEVIATIONS,
      ...BATCH_ANSWER_DEVIATIONS,
    ],
    rejection: (kind, problems) => {
      if (kind === 'invalid_request') {
        return shipStationError(
          400,
          problems.map((message) => ({ error_type: 'validation' as const, error_code: message === 'body: is required' ? ('request_body_required' as const) : ('invalid_field_value' as const), message })),
        );
      }
      return shipStationError(kind === 'unknown_route' ? 404 : 405, { error_type: 'validation', error_code: 'unspecified', message: problems.join('; ') });
    },
  });
  base.url = server.url;

  const apiRequests = (apiKey?: string) => server.requests().filter((r) => r.operationId !== DOWNLOAD && (apiKey === undefined || r.headers['api-key'] === apiKey));

  return {
    url: server.url,
    addAccount: (a) => state.addAccount(a),
    sales: () => state.sales(),
    salesFor: (id) => state.sales().filter((s) => s.external_shipment_id === id).length,
    balance: (carrierId) => state.carrier(carrierId).balanceCents / 100,
    setBalance: (carrierId, dollars) => {
      state.carrier(carrierId).balanceCents = Math.round(dollars * 100);
    },
    fundsAdded: (carrierId) => state.carrier(carrierId).fundsAdded.slice(),
    batches: () => state.book.views(),
    shipmentsFor: (id) => [...state.book.shipments.values()].filter((s) => s.externalShipmentId === id).length,
    warehouses: (apiKey) =>
      state.book.warehousesOf(apiKey).map((w) => ({ warehouse_id: w.warehouseId, name: w.name, is_default: w.isDefault, origin_address: { ...w.originAddress }, return_address: { ...w.returnAddress } })),
    failPurchaseOf: (id, message) => {
      if (message === null) state.book.failures.delete(id);
      else state.book.failures.set(id, message);
    },
    requests: () => server.requests(),
    violations: () => server.violations(),
    stats: (apiKey) => {
      const rs = apiRequests(apiKey);
      const times = rs.map((r) => r.at);
      return { requests: rs.length, answered429: rs.filter((r) => r.status === 429).length, peakPer10s: peakRequests(times, 10_000), peakPer60s: peakRequests(times, 60_000) };
    },
    faults: server.faults,
    close: () => server.close(),
  };
}
