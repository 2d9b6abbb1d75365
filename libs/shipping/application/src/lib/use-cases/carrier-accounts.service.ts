import { Inject, Injectable } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { type Balance, isProviderError } from '@shipbatch/providers/core';
import { ConflictError, InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY } from '../ports/tokens';

export interface NewCarrierAccount {
  provider: string;
  carrier: string;
  accountId: string;
  parameters: Record<string, unknown>;
  active?: boolean;
  test?: boolean;
  metadata?: string;
}

/** Carrier accounts: which provider serves them, with credentials validated and sealed. */
@Injectable()
export class CarrierAccountsService {
  constructor(
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {}

  async create(tenantId: string, input: NewCarrierAccount): Promise<CarrierAccountRecord> {
    if (!this.providers.knownProviders().includes(input.provider)) {
      throw new InvalidInputError(
        `provider must be one of: ${this.providers.knownProviders().join(', ')}`,
        'provider_unknown',
        'provider',
      );
    }
    this.assertParameters(input.provider, input.parameters);
    const now = new Date();
    const record: CarrierAccountRecord = {
      id: newObjectId(),
      tenantId,
      provider: input.provider,
      carrier: input.carrier,
      accountId: input.accountId,
      parameters: input.parameters,
      active: input.active ?? true,
      test: input.test ?? false,
      metadata: input.metadata ?? '',
      createdAt: now,
      updatedAt: now,
    };
    await this.accounts.insert(record);
    return record;
  }

  async update(
    tenantId: string,
    id: string,
    change: { parameters?: Record<string, unknown>; active?: boolean; metadata?: string },
  ): Promise<CarrierAccountRecord> {
    const current = await this.get(tenantId, id);
    const parameters = change.parameters ? { ...current.parameters, ...change.parameters } : current.parameters;
    if (change.parameters) this.assertParameters(current.provider, parameters);
    const next: CarrierAccountRecord = {
      ...current,
      parameters,
      active: change.active ?? current.active,
      metadata: change.metadata ?? current.metadata,
      updatedAt: new Date(),
    };
    await this.accounts.update(next);
    return next;
  }

  async get(tenantId: string, id: string): Promise<CarrierAccountRecord> {
    const found = await this.accounts.findById(tenantId, id);
    if (!found) throw new NotFoundError('Carrier account', id);
    return found;
  }

  list(tenantId: string): Promise<CarrierAccountRecord[]> {
    return this.accounts.list(tenantId);
  }

  async balance(tenantId: string, id: string): Promise<Balance> {
    const account = await this.get(tenantId, id);
    const provider = this.providers.forAccount(account);
    if (!provider.getBalance || !provider.capabilities.funding.prepaidBalance) {
      throw new ConflictError(`provider ${account.provider} keeps no prepaid balance`, 'balance_not_supported');
    }
    try {
      return await provider.getBalance();
    } catch (error) {
      if (isProviderError(error)) throw new ConflictError(`provider ${account.provider}: ${error.message}`, error.code);
      throw error;
    }
  }

  private assertParameters(provider: string, parameters: unknown): void {
    const problems = this.providers.validateParameters(provider, parameters);
    if (problems.length > 0) {
      throw new InvalidInputError(problems[0].message, 'parameters_invalid', problems[0].field);
    }
  }
}
