import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { LabelProvider, SqlClient } from '@shipbatch/providers/core';
import { ProviderRegistry } from '@shipbatch/providers/registry';
import { SQL_CLIENT } from '@shipbatch/platform/database';
import type { CarrierAccountRecord, ProviderGateway } from '@shipbatch/shipping/application';

/** The provider registry behind the application's ProviderGateway port. */
@Injectable()
export class RegistryProviderGateway implements ProviderGateway, OnApplicationShutdown {
  private readonly registry = new ProviderRegistry();

  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  forAccount(account: CarrierAccountRecord): LabelProvider {
    return this.registry.instanceFor(
      {
        id: account.id,
        provider: account.provider,
        carrier: account.carrier,
        parameters: account.parameters,
        test: account.test,
      },
      { sql: this.sql },
    );
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
