import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CarrierAccountRepository } from './carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';

export interface AccountOptionsReport {
  checked: number;
  invalid: Array<{ carrierAccountId: string; provider: string; problems: string[] }>;
}

/**
 * When a process starts, every active carrier account's stored parameters are validated again
 * against its provider's options (rules change; rows get edited). A bad account is reported
 * clearly (its id, its provider and the fields, never their values) and the process starts
 * anyway: the account's shipments fail with that message instead of the process crash-looping.
 */
@Injectable()
export class CarrierAccountsBootCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('CarrierAccounts');

  constructor(
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.check();
    } catch (error) {
      this.logger.error(`could not check the stored carrier accounts: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async check(): Promise<AccountOptionsReport> {
    const known = new Set(this.providers.knownProviders());
    const report: AccountOptionsReport = { checked: 0, invalid: [] };
    for (const account of await this.accounts.listActiveUnscoped()) {
      report.checked++;
      const problems = known.has(account.provider)
        ? this.providers.validateParameters(account.provider, account.parameters).map((p) => p.message)
        : [`provider '${account.provider}' is not registered in this build`];
      if (problems.length === 0) continue;
      report.invalid.push({ carrierAccountId: account.id, provider: account.provider, problems });
      this.logger.warn(
        `carrier account ${account.id} (tenant ${account.tenantId}, provider ${account.provider}) has invalid parameters: ` +
          `${problems.join('; ')}; its shipments fail until it is fixed with PUT /carrier_accounts/${account.id}`,
        { carrier_account_id: account.id, tenant_id: account.tenantId, provider: account.provider },
      );
    }
    return report;
  }
}
