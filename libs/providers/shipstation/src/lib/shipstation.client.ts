import { budgetKey, HttpTransport, type ProviderContext } from '@shipbatch/providers/core';
import type { ShipStationProviderOptions } from './shipstation-provider.options';

/** HTTP calls to ShipStation API v2, paced under its rate limit, failures mapped to ProviderErrors. */
export class ShipStationClient {
  readonly http: HttpTransport;

  constructor(options: ShipStationProviderOptions, context: ProviderContext) {
    this.http = new HttpTransport({
      provider: 'shipstation',
      baseUrl: context.baseUrl ?? 'https://api.shipstation.com',
      headers: { Authorization: `Bearer ${options.api_key}` },
      secrets: [options.api_key],
      budget: { key: budgetKey('shipstation', options.api_key), perMinute: options.rate_limit_per_minute ?? 200 },
      pacer: context.pacer,
    });
  }
}
