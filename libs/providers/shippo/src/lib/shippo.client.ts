import { type DownloadedFile, HttpTransport, type HttpRequest, type ProviderContext, type RateBudget } from '@shipbatch/providers/core';
import { mapShippoError } from './shippo.errors';
import { type ShippoCallKind, shippoBudgets } from './shippo.limits';
import type { ShippoProviderOptions } from './shippo-provider.options';
import type { ShBatch, ShBatchRequest, ShInstantTransactionRequest, ShPage, ShRate, ShRefund, ShTransaction } from './shippo.types';

export const SHIPPO_DEFAULT_BASE_URL = 'https://api.goshippo.com';
export const SHIPPO_API_VERSION = '2018-02-08';
/** A purchase waits at most this long for its slot; further away, the job gives its shipments back. */
export const PURCHASE_MAX_PACE_WAIT_MS = 15_000;
export const SHIPPO_PAGE_SIZE = 100;

const seg = (value: string): string => encodeURIComponent(value);

/** What an operator or a test may tune (never tenant input). */
export interface ShippoTuning {
  timeoutMs?: number;
}

/**
 * HTTP calls to Shippo (`Authorization: ShippoToken ...`, `SHIPPO-API-VERSION: 2018-02-08`),
 * each paced on the budget of its kind (Shippo limits every endpoint and verb on its own, see
 * shippo.limits.ts), so reading a purchased batch's 2,000 labels never waits behind the
 * purchase limit. The budgets are keyed on a hash of the token: accounts sharing a token share
 * them on every worker.
 */
export class ShippoClient {
  readonly http: HttpTransport;
  readonly carrierAccount: string;
  readonly budgets: Record<ShippoCallKind, RateBudget>;

  constructor(options: ShippoProviderOptions, context: ProviderContext, tuning: ShippoTuning = {}) {
    this.carrierAccount = options.carrier_account;
    this.budgets = shippoBudgets(options.api_token, options.rate_limit_per_minute);
    this.http = new HttpTransport({
      provider: 'shippo',
      baseUrl: context.baseUrl ?? SHIPPO_DEFAULT_BASE_URL,
      headers: { Authorization: `ShippoToken ${options.api_token}`, 'SHIPPO-API-VERSION': SHIPPO_API_VERSION },
      secrets: [options.api_token],
      timeoutMs: tuning.timeoutMs,
      pacer: context.pacer,
      observer: context.observer,
      mapError: mapShippoError,
    });
  }

  /** A value for an error built here (not from an answer): every string in it redacted of the token. */
  redact<T>(value: T): T {
    if (typeof value === 'string') return this.http.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redact(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.http.redact(k), this.redact(v)])) as T;
    }
    return value;
  }

  private async call<T>(kind: ShippoCallKind, req: HttpRequest): Promise<T> {
    return (await this.http.request<T>({ ...req, budget: this.budgets[kind] })).data;
  }

  /** POST /transactions (instant transaction): buys the label; not idempotent, paced with a short wait. */
  createTransaction(body: ShInstantTransactionRequest): Promise<ShTransaction> {
    return this.call<ShTransaction>('transaction_create', { method: 'POST', path: '/transactions', body, pace: { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS } });
  }

  /** GET /transactions/{id}. */
  transaction(id: string): Promise<ShTransaction> {
    return this.call<ShTransaction>('transaction_read', { method: 'GET', path: `/transactions/${seg(id)}` });
  }

  /** GET /transactions?page=&results=100: newest first. */
  transactions(page: number): Promise<ShPage<ShTransaction>> {
    return this.call<ShPage<ShTransaction>>('transaction_list', { method: 'GET', path: '/transactions', query: { page, results: SHIPPO_PAGE_SIZE } });
  }

  /** GET /rates/{id}: what a transaction read by id or listed cost (its `rate` is an id there). */
  rate(id: string): Promise<ShRate> {
    return this.call<ShRate>('rate_read', { method: 'GET', path: `/rates/${seg(id)}` });
  }

  /** POST /refunds: not idempotent (Shippo refuses a second refund of a transaction). */
  refund(transaction: string): Promise<ShRefund> {
    return this.call<ShRefund>('refund_create', { method: 'POST', path: '/refunds', body: { transaction, async: false } });
  }

  /** POST /batches: creates (and validates in the background), buys nothing. */
  createBatch(body: ShBatchRequest): Promise<ShBatch> {
    return this.call<ShBatch>('batch_create', { method: 'POST', path: '/batches', body });
  }

  /** GET /batches/{id}?page=: the batch with one page (100) of its shipments. */
  batch(id: string, page: number): Promise<ShBatch> {
    return this.call<ShBatch>('batch_read', { method: 'GET', path: `/batches/${seg(id)}`, query: { page } });
  }

  /** POST /batches/{id}/remove_shipments: removing twice leaves the same batch. */
  removeShipments(id: string, shipmentIds: string[]): Promise<ShBatch> {
    return this.call<ShBatch>('batch_change', { method: 'POST', path: `/batches/${seg(id)}/remove_shipments`, body: shipmentIds, idempotent: true });
  }

  /** POST /batches/{id}/purchase: buys every label of the batch; never repeated. */
  purchaseBatch(id: string): Promise<ShBatch> {
    return this.call<ShBatch>('batch_purchase', { method: 'POST', path: `/batches/${seg(id)}/purchase`, idempotent: false });
  }

  download(url: string): Promise<DownloadedFile> {
    return this.http.download(url);
  }
}
