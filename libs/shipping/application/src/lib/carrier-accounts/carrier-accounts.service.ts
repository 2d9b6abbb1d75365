import { Inject, Injectable } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { type Balance, isProviderError } from '@shipbatch/providers/core';
import { ConflictError, InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from './carrier-account.repository';
import { FUNDING_DISABLED, type FundingPolicy } from '@shipbatch/shipping/domain';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';
import { providerFailure } from '../common/provider-failure';

export interface NewCarrierAccount {
  provider: string;
  carrier: string;
  accountId: string;
  parameters: Record<string, unknown>;
  active?: boolean;
  test?: boolean;
  metadata?: string;
  /** Automatic funding; fields not given keep their defaults (disabled, zero amounts). */
  funding?: Partial<FundingPolicy>;
}

/** The API's names of the policy's fields, for error messages. */
const FUNDING_FIELDS: Record<Exclude<keyof FundingPolicy, 'enabled'>, string> = {
  minBalanceMinor: 'funding.min_balance',
  topUpAmountMinor: 'funding.top_up_amount',
  dailyCapMinor: 'funding.daily_cap',
};

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
      funding: this.fundingPolicy(FUNDING_DISABLED, input.funding),
      createdAt: now,
      updatedAt: now,
    };
    this.assertFundable(record);
    await this.accounts.insert(record);
    return record;
  }

  async update(
    tenantId: string,
    id: string,
    change: {
      parameters?: Record<string, unknown>;
      active?: boolean;
      metadata?: string;
      funding?: Partial<FundingPolicy>;
      /** Shippo's update repeats these; they cannot change: the same value is accepted, another refused (400 naming it). */
      unchanged?: { carrier?: string; account_id?: string };
    },
  ): Promise<CarrierAccountRecord> {
    const current = await this.get(tenantId, id);
    const stored = { carrier: current.carrier, account_id: current.accountId };
    for (const field of ['carrier', 'account_id'] as const) {
      const given = change.unchanged?.[field];
      if (given !== undefined && given !== stored[field]) {
        throw new InvalidInputError(`${field} cannot be changed ('${stored[field]}'); create another carrier account instead`, 'field_immutable', field);
      }
    }
    const parameters = change.parameters ? { ...current.parameters, ...change.parameters } : current.parameters;
    if (change.parameters) this.assertParameters(current.provider, parameters);
    const next: CarrierAccountRecord = {
      ...current,
      parameters,
      active: change.active ?? current.active,
      metadata: change.metadata ?? current.metadata,
      funding: change.funding ? this.fundingPolicy(current.funding ?? FUNDING_DISABLED, change.funding) : current.funding,
      updatedAt: new Date(),
    };
    if (change.funding) this.assertFundable(next);
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
      // Unreachable (after the transport's tries): 503 provider_unavailable; a refusal: 409.
      if (isProviderError(error)) throw providerFailure(account.provider, error);
      throw error;
    }
  }

  /**
   * `change` over `base`, field by field. Amounts are whole minor units >= 0; an enabled
   * policy needs a top-up amount above 0 and a daily cap of at least the top-up amount
   * (else no automatic top-up could ever be made).
   */
  private fundingPolicy(base: FundingPolicy, change: Partial<FundingPolicy> | undefined): FundingPolicy {
    const defined = Object.fromEntries(Object.entries(change ?? {}).filter(([, v]) => v !== undefined)) as Partial<FundingPolicy>;
    const policy: FundingPolicy = { ...base, ...defined };
    for (const [key, field] of Object.entries(FUNDING_FIELDS) as Array<[keyof typeof FUNDING_FIELDS, string]>) {
      const v = policy[key];
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new InvalidInputError(`${field} must be a number of at least 0`, 'invalid_field_value', field);
      }
    }
    if (typeof policy.enabled !== 'boolean') {
      throw new InvalidInputError('funding.enabled must be a boolean value', 'invalid_field_value', 'funding.enabled');
    }
    if (policy.enabled && policy.topUpAmountMinor <= 0) {
      throw new InvalidInputError('funding.top_up_amount must be greater than 0 when funding is enabled', 'invalid_field_value', 'funding.top_up_amount');
    }
    if (policy.enabled && policy.dailyCapMinor < policy.topUpAmountMinor) {
      throw new InvalidInputError(
        'funding.daily_cap must be at least funding.top_up_amount when funding is enabled',
        'invalid_field_value',
        'funding.daily_cap',
      );
    }
    return policy;
  }

  private assertFundable(record: CarrierAccountRecord): void {
    if (!record.funding.enabled) return;
    const { funding } = this.providers.forAccount(record).capabilities;
    if (!funding.prepaidBalance || !funding.addFunds) {
      throw new InvalidInputError(
        `provider ${record.provider} keeps no prepaid balance that can be topped up, so funding cannot be enabled`,
        'funding_not_supported',
        'funding.enabled',
      );
    }
  }

  private assertParameters(provider: string, parameters: unknown): void {
    const problems = this.providers.validateParameters(provider, parameters);
    if (problems.length > 0) {
      throw new InvalidInputError(problems[0].message, 'parameters_invalid', problems[0].field);
    }
  }
}
