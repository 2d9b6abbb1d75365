import { budgetKey, HttpTransport, type HttpErrorAnswer, type HttpRequest, type ProviderContext, type ProviderPacer, type RateBudget, UNPACED } from '@shipbatch/providers/core';
import { mapShipStationV1Error } from './shipstation-v1.errors';
import type { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';
import type {
  V1Carrier,
  V1CreateLabelForOrderRequest,
  V1Order,
  V1OrderRequest,
  V1Package,
  V1Service,
  V1Shipment,
  V1ShipmentList,
  V1VoidAnswer,
  V1Warehouse,
  V1WarehouseRequest,
} from './shipstation-v1.types';

export const SHIPSTATION_V1_DEFAULT_BASE_URL = 'https://ssapi.shipstation.com';
/** ShipStation v1's limit: 40 requests a minute per API key and secret. */
export const SHIPSTATION_V1_DEFAULT_RATE_LIMIT = 40;
/** A purchase waits at most this long for its slot; further away, the job gives its shipments back. */
export const PURCHASE_MAX_PACE_WAIT_MS = 15_000;

/**
 * HTTP calls to ShipStation's legacy API v1 (`{base}/...`, no version prefix) through
 * HttpTransport: HTTP Basic authentication (API key as user, API secret as password), every
 * request paced under one budget per key and secret (`budgetKey('shipstation_v1', key, secret)`:
 * a hash, shared by every worker and every carrier account with the same pair), failures mapped
 * by `mapShipStationV1Error`, both credentials redacted everywhere.
 *
 * Pacing from the headers too: every answer carries `X-Rate-Limit-Remaining` and
 * `X-Rate-Limit-Reset` (seconds to the fixed window's reset). When none remain (another client of
 * the same key used them up), the budget is paused until the reset for every worker, so the next
 * call waits instead of meeting a 429.
 */
export class ShipStationV1Client {
  readonly http: HttpTransport;
  readonly carrierCode: string;
  readonly budget: RateBudget;
  private readonly pacer: ProviderPacer;

  /** `tuning` is the operator's (or a test's), never tenant input. */
  constructor(options: ShipStationV1ProviderOptions, context: ProviderContext, tuning: { timeoutMs?: number } = {}) {
    this.carrierCode = options.carrier_code;
    this.pacer = context.pacer ?? UNPACED;
    this.budget = {
      key: budgetKey('shipstation_v1', options.api_key, options.api_secret),
      perMinute: options.rate_limit_per_minute ?? SHIPSTATION_V1_DEFAULT_RATE_LIMIT,
    };
    const basic = Buffer.from(`${options.api_key}:${options.api_secret}`, 'utf8').toString('base64');
    this.http = new HttpTransport({
      timeoutMs: tuning.timeoutMs,
      provider: 'shipstation_v1',
      baseUrl: context.baseUrl ?? SHIPSTATION_V1_DEFAULT_BASE_URL,
      headers: { Authorization: `Basic ${basic}` },
      secrets: [options.api_key, options.api_secret, basic],
      budget: this.budget,
      pacer: context.pacer,
      observer: context.observer,
      mapError: (answer: HttpErrorAnswer) => {
        if (answer.status !== 429) this.heed(answer.headers);
        return mapShipStationV1Error(answer);
      },
    });
  }

  /** A value for an error built here (not from an answer): every string in it redacted of the credentials. */
  redact<T>(value: T): T {
    if (typeof value === 'string') return this.http.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redact(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.http.redact(k), this.redact(v)])) as T;
    }
    return value;
  }

  /** No request left in ShipStation's window: every worker holds off until it resets. */
  private heed(headers: Record<string, string>): void {
    const remaining = Number(headers['x-rate-limit-remaining']);
    const reset = Number(headers['x-rate-limit-reset']);
    if (headers['x-rate-limit-remaining'] === undefined || !Number.isFinite(remaining) || remaining > 0) return;
    if (!Number.isFinite(reset) || reset <= 0) return;
    void this.pacer.pause(this.budget, Math.ceil(reset) * 1000).catch(() => undefined);
  }

  private async call<T>(req: HttpRequest): Promise<T> {
    const answer = await this.http.request<T>(req);
    this.heed(answer.headers);
    return answer.data;
  }

  /**
   * POST /orders/createorder: makes the order, or updates the open order with the same
   * `orderKey`. Idempotent by orderKey, so a lost answer is simply sent again (the transport
   * repeats it after a passing failure; it is never `possiblyCommitted`).
   */
  createOrder(body: V1OrderRequest): Promise<V1Order> {
    return this.call<V1Order>({ method: 'POST', path: '/orders/createorder', body, idempotent: true, pace: { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS } });
  }

  /** POST /orders/createlabelfororder: buys the label (not idempotent: never repeated blind). */
  createLabelForOrder(body: V1CreateLabelForOrderRequest): Promise<V1Shipment> {
    return this.call<V1Shipment>({ method: 'POST', path: '/orders/createlabelfororder', body, pace: { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS } });
  }

  /** GET /shipments?orderNumber=: the shipments (labels) of an order; a read, tried again after passing failures. */
  async shipmentsOfOrder(orderNumber: string): Promise<V1Shipment[]> {
    const shipments: V1Shipment[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.call<V1ShipmentList>({ method: 'GET', path: '/shipments', query: { orderNumber, page, pageSize: 100 } });
      shipments.push(...(Array.isArray(answer?.shipments) ? answer.shipments : []));
      if (!(answer?.pages > page)) return shipments;
    }
  }

  /** POST /shipments/voidlabel: voiding twice changes nothing, so it may be repeated. */
  voidLabel(shipmentId: number): Promise<V1VoidAnswer> {
    return this.call<V1VoidAnswer>({ method: 'POST', path: '/shipments/voidlabel', body: { shipmentId }, idempotent: true });
  }

  /** GET /carriers/listservices?carrierCode=. */
  async services(): Promise<V1Service[]> {
    const answer = await this.call<V1Service[]>({ method: 'GET', path: '/carriers/listservices', query: { carrierCode: this.carrierCode } });
    return Array.isArray(answer) ? answer : [];
  }

  /** GET /carriers/listpackages?carrierCode=. */
  async packages(): Promise<V1Package[]> {
    const answer = await this.call<V1Package[]>({ method: 'GET', path: '/carriers/listpackages', query: { carrierCode: this.carrierCode } });
    return Array.isArray(answer) ? answer : [];
  }

  /** GET /carriers/getcarrier?carrierCode=: the carrier, with its balance (dollars). */
  carrier(): Promise<V1Carrier> {
    return this.call<V1Carrier>({ method: 'GET', path: '/carriers/getcarrier', query: { carrierCode: this.carrierCode } });
  }

  /** GET /warehouses: the account's Ship From Locations. */
  async warehouses(): Promise<V1Warehouse[]> {
    const answer = await this.call<V1Warehouse[]>({ method: 'GET', path: '/warehouses' });
    return Array.isArray(answer) ? answer : [];
  }

  /** POST /warehouses/createwarehouse: not idempotent (a repeat makes a second location; see ShipStationV1Warehouses). */
  createWarehouse(body: V1WarehouseRequest): Promise<V1Warehouse> {
    return this.call<V1Warehouse>({ method: 'POST', path: '/warehouses/createwarehouse', body });
  }

  /** POST /carriers/addfunds: not idempotent (a repeated top-up adds twice). */
  addFunds(amountDollars: number): Promise<V1Carrier> {
    return this.call<V1Carrier>({ method: 'POST', path: '/carriers/addfunds', body: { carrierCode: this.carrierCode, amount: amountDollars } });
  }
}
