import { budgetKey, type DownloadedFile, HttpTransport, type HttpRequest, type ProviderContext } from '@shipbatch/providers/core';
import { mapShipStationError } from './shipstation.errors';
import type { ShipStationProviderOptions } from './shipstation-provider.options';
import type {
  SsAddress,
  SsAddressValidationResult,
  SsCarrier,
  SsCreateLabelFromShipmentRequest,
  SsCreateLabelRequest,
  SsLabel,
  SsMonetaryValue,
  SsRateEstimate,
  SsRateEstimateRequest,
  SsService,
  SsVoidAnswer,
} from './shipstation.types';

export const SHIPSTATION_DEFAULT_BASE_URL = 'https://api.shipstation.com';
export const SHIPSTATION_DEFAULT_RATE_LIMIT = 200;
/** A purchase waits at most this long for its slot; further away, the job gives its shipments back. */
export const PURCHASE_MAX_PACE_WAIT_MS = 15_000;
/**
 * A rate estimate (for funding ahead of a batch) waits at most this long for its slot: further
 * away, the estimate gives way to purchases and the caller falls back to what it knows.
 */
export const ESTIMATE_MAX_PACE_WAIT_MS = 5_000;

const seg = (value: string): string => encodeURIComponent(value);

/**
 * HTTP calls to ShipStation API v2 (`{base}/v2/...`, ShipEngine shapes) through HttpTransport:
 * `API-Key` header, paced under one budget per API key (two carrier accounts with the same key
 * share it), failures mapped to ProviderErrors with the key redacted.
 */
export class ShipStationClient {
  readonly http: HttpTransport;
  readonly carrierId: string;

  /** `tuning` is the operator's (or a test's), never tenant input: e.g. a shorter request timeout. */
  constructor(options: ShipStationProviderOptions, context: ProviderContext, tuning: { timeoutMs?: number } = {}) {
    this.carrierId = options.carrier_id;
    this.http = new HttpTransport({
      timeoutMs: tuning.timeoutMs,
      provider: 'shipstation',
      baseUrl: context.baseUrl ?? SHIPSTATION_DEFAULT_BASE_URL,
      headers: { 'API-Key': options.api_key },
      secrets: [options.api_key],
      budget: { key: budgetKey('shipstation', options.api_key), perMinute: options.rate_limit_per_minute ?? SHIPSTATION_DEFAULT_RATE_LIMIT },
      pacer: context.pacer,
      observer: context.observer,
      mapError: mapShipStationError,
    });
  }

  /** A value for an error built here (not from an answer): every string in it redacted of the key. */
  redact<T>(value: T): T {
    if (typeof value === 'string') return this.http.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redact(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.http.redact(k), this.redact(v)])) as T;
    }
    return value;
  }

  private async call<T>(req: HttpRequest): Promise<T> {
    return (await this.http.request<T>(req)).data;
  }

  /** POST /v2/labels: buys the label (not idempotent; paced with a short wait). */
  createLabel(body: SsCreateLabelRequest): Promise<SsLabel> {
    return this.call<SsLabel>({ method: 'POST', path: '/v2/labels', body, pace: { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS } });
  }

  /**
   * POST /v2/labels/shipment/{shipment_id}: buys the label of a shipment made earlier (by the
   * batch path's bulk create); not idempotent, paced like a purchase.
   */
  createLabelFromShipment(shipmentId: string, body: SsCreateLabelFromShipmentRequest): Promise<SsLabel> {
    return this.call<SsLabel>({ method: 'POST', path: `/v2/labels/shipment/${seg(shipmentId)}`, body, pace: { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS } });
  }

  /** GET /v2/labels/external_shipment_id/{id}. */
  labelByExternalShipmentId(externalShipmentId: string): Promise<SsLabel> {
    return this.call<SsLabel>({
      method: 'GET',
      path: `/v2/labels/external_shipment_id/${seg(externalShipmentId)}`,
      query: { label_download_type: 'url' },
    });
  }

  /** PUT /v2/labels/{label_id}/void. */
  voidLabel(labelId: string): Promise<SsVoidAnswer> {
    return this.call<SsVoidAnswer>({ method: 'PUT', path: `/v2/labels/${seg(labelId)}/void` });
  }

  /** GET /v2/carriers/{carrier_id}. */
  carrier(): Promise<SsCarrier> {
    return this.call<SsCarrier>({ method: 'GET', path: `/v2/carriers/${seg(this.carrierId)}` });
  }

  /** GET /v2/carriers/{carrier_id}/services. */
  async services(): Promise<SsService[]> {
    const answer = await this.call<{ services?: SsService[] }>({ method: 'GET', path: `/v2/carriers/${seg(this.carrierId)}/services` });
    return Array.isArray(answer?.services) ? answer.services : [];
  }

  /** PUT /v2/carriers/{carrier_id}/add_funds: not idempotent (a repeated top-up adds twice). */
  addFunds(amount: SsMonetaryValue): Promise<{ balance: SsMonetaryValue }> {
    return this.call<{ balance: SsMonetaryValue }>({
      method: 'PUT',
      path: `/v2/carriers/${seg(this.carrierId)}/add_funds`,
      body: amount,
      idempotent: false,
    });
  }

  /** POST /v2/rates/estimate (reads only: repeating it is harmless; paced with a short wait). */
  async estimateRates(body: SsRateEstimateRequest): Promise<SsRateEstimate[]> {
    const answer = await this.call<SsRateEstimate[]>({
      method: 'POST',
      path: '/v2/rates/estimate',
      body,
      idempotent: true,
      pace: { maxWaitMs: ESTIMATE_MAX_PACE_WAIT_MS },
    });
    return Array.isArray(answer) ? answer : [];
  }

  /** POST /v2/addresses/validate (reads only: repeating it is harmless). */
  validateAddresses(addresses: SsAddress[]): Promise<SsAddressValidationResult[]> {
    return this.call<SsAddressValidationResult[]>({ method: 'POST', path: '/v2/addresses/validate', body: addresses, idempotent: true });
  }

  download(url: string): Promise<DownloadedFile> {
    return this.http.download(url);
  }
}
