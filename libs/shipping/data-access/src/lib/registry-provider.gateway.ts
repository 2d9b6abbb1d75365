import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { HttpObserver, LabelProvider, SqlClient } from '@shipbatch/providers/core';
import { InvalidAccountOptionsError, ProviderRegistry } from '@shipbatch/providers/registry';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { SQL_CLIENT } from '@shipbatch/platform/database';
import { ACCOUNT_THROTTLE, type AccountThrottle, ThrottlePacer } from '@shipbatch/platform/queue';
import type { CarrierAccountRecord, ProviderGateway } from '@shipbatch/shipping/application';
import { ConflictError } from '@shipbatch/shipping/domain';
import { PROVIDER_HTTP_OBSERVER } from './provider-http-observer.token';

/**
 * The provider registry behind the application's ProviderGateway port. Every instance gets the
 * operator's base URL for its provider and one pacer over the shared throttle (Redis in
 * scale-out), so all workers keep each provider credential under its rate limit together, and
 * the HTTP observer bound to PROVIDER_HTTP_OBSERVER (metrics), if any.
 */
@Injectable()
export class RegistryProviderGateway implements ProviderGateway, OnApplicationShutdown {
  private readonly registry = new ProviderRegistry();
  private readonly pacer: ThrottlePacer;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ACCOUNT_THROTTLE) throttle: AccountThrottle,
    @Optional() @Inject(PROVIDER_HTTP_OBSERVER) private readonly observer?: HttpObserver,
  ) {
    this.pacer = new ThrottlePacer(throttle);
  }

  /** Throws ConflictError `carrier_account_invalid` (409, naming the fields) for stored parameters the provider refuses. */
  forAccount(account: CarrierAccountRecord): LabelProvider {
    try {
      return this.registry.instanceFor(
        {
          id: account.id,
          provider: account.provider,
          carrier: account.carrier,
          parameters: account.parameters,
          test: account.test,
        },
        { sql: this.sql, pacer: this.pacer, baseUrls: this.config.providerBaseUrls, observer: this.observer ?? undefined },
      );
    } catch (error) {
      if (error instanceof InvalidAccountOptionsError) throw new ConflictError(error.message, 'carrier_account_invalid');
      throw error;
    }
  }

  validateParameters(provider: string, parameters: unknown): Array<{ field: string; message: string }> {
    return this.registry.validateParameters(provider, parameters);
  }

  knownProviders(): string[] {
    return this.registry.keys();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.closeAll();
  }
}
