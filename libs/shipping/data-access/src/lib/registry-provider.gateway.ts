import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { HttpObserver, LabelProvider, ProviderPacer, SqlClient } from '@shipbatch/providers/core';
import { InvalidAccountOptionsError, ProviderRegistry } from '@shipbatch/providers/registry';
import { PROVIDER_PACER, SQL_CLIENT } from '@shipbatch/providers/runtime';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import type { CarrierAccountRecord, ProviderGateway } from '@shipbatch/shipping/application';
import { ConflictError } from '@shipbatch/shipping/domain';
import { PROVIDER_HTTP_OBSERVER } from './tokens';

/**
 * The provider registry behind the application's ProviderGateway port. Every instance gets the
 * operator's base URL for its provider, the service's SqlClient and the one pacer over the
 * shared throttle (both from ProviderRuntimeModule, @shipbatch/providers/runtime), so all
 * workers keep each provider credential under its rate limit together; and the HTTP observer
 * bound to PROVIDER_HTTP_OBSERVER (metrics), if any.
 */
@Injectable()
export class RegistryProviderGateway implements ProviderGateway, OnApplicationShutdown {
  private readonly registry = new ProviderRegistry();

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROVIDER_PACER) private readonly pacer: ProviderPacer,
    @Optional() @Inject(PROVIDER_HTTP_OBSERVER) private readonly observer?: HttpObserver,
  ) {}

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
