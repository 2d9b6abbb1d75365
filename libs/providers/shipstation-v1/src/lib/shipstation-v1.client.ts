import { budgetKey, HttpTransport, type ProviderContext } from '@shipbatch/providers/core';
import { mapShipStationV1Error } from './shipstation-v1.errors';
import type { ShipStationV1ProviderOptions } from './shipstation-v1-provider.options';

/**
 * HTTP calls to ShipStation v1, paced under its rate limit, failures mapped to ProviderErrors
 * (`mapShipStationV1Error`). TODO: one method per operation listed in
 * `openapi/shipstation-v1.operations.json` (e.g. `createLabel(body)` with
 * `this.http.request({ method: 'POST', path: '/labels', body })`).
 */
export class ShipStationV1Client {
  readonly http: HttpTransport;

  constructor(options: ShipStationV1ProviderOptions, context: ProviderContext) {
    this.http = new HttpTransport({
      provider: 'shipstation_v1',
      baseUrl: context.baseUrl ?? 'https://ssapi.shipstation.com',
      headers: { Authorization: `Bearer ${options.api_key}` },
      secrets: [options.api_key],
      budget: { key: budgetKey('shipstation_v1', options.api_key), perMinute: options.rate_limit_per_minute ?? 40 },
      pacer: context.pacer,
      mapError: mapShipStationV1Error,
    });
  }
}
