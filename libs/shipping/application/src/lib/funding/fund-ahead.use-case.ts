import { Inject, Injectable, Logger } from '@nestjs/common';
import { isProviderError, type MoneyAmount } from '@shipbatch/providers/core';
import { topUpAhead } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, FUNDING_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';
import type { FundingRepository, QueuedDemand } from './funding.repository';
import { ESTIMATE_MAX_QUOTES, FundingCostEstimator } from './funding-cost.estimator';
import { FundingLocks, type Holding } from './funding-lock';
import { addFunds, canTopUp, describeError, estimateText, failedEvent, fmt, getBalance, succeededEvent } from './funding.format';

/**
 * Funding ahead of a batch waits at most this long for another top-up of the account to finish,
 * then reads the balance that top-up left (so the two never top up for the same shortfall).
 */
export const PRE_PURCHASE_LOCK_WAIT_MS = 5_000;

/**
 * After a batch's purchase is committed (shipments QUEUED) and before its jobs are enqueued:
 * for each carrier account of the batch with funding on and a prepaid balance, estimates the
 * cost of its queued shipments (FundingCostEstimator: the provider's quotes of the most common
 * shapes, else the last price paid per service level, else left out) and tops up once when the
 * domain's rule says so (`topUpAhead`: when the balance would fall below `min_balance`, by
 * `max(top_up_amount, estimate + min_balance - balance)`, as far as the daily cap allows).
 * Never throws: failures are logged and recorded as failed events; the insufficient-funds path
 * (HandleInsufficientFundsUseCase) remains the safety net.
 */
@Injectable()
export class FundAheadUseCase {
  private readonly logger = new Logger(FundAheadUseCase.name);

  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    private readonly locks: FundingLocks,
    private readonly estimator: FundingCostEstimator,
  ) {}

  async run(tenantId: string, batchId: string): Promise<void> {
    try {
      const demand = await this.funding.queuedDemand(tenantId, batchId, ESTIMATE_MAX_QUOTES);
      if (demand.length === 0) return;
      const byAccount = new Map<string, QueuedDemand[]>();
      for (const d of demand) byAccount.set(d.carrierAccountId, [...(byAccount.get(d.carrierAccountId) ?? []), d]);
      const accounts = await this.accounts.findMany(tenantId, [...byAccount.keys()]);
      for (const account of accounts) {
        if (!account.active || !account.funding?.enabled) continue;
        await this.topUpAhead(account, byAccount.get(account.id) ?? [], batchId);
      }
    } catch (error) {
      this.logger.error(`funding ahead of batch ${batchId} failed: ${describeError(error)}`, { batch_id: batchId, tenant_id: tenantId });
    }
  }

  private async topUpAhead(account: CarrierAccountRecord, demand: QueuedDemand[], batchId: string): Promise<void> {
    let holding: Holding | null = null;
    try {
      const provider = this.providers.forAccount(account);
      if (!canTopUp(provider)) return;
      const estimate = await this.estimator.estimate(account, provider, demand);
      holding = await this.locks.lockWithin(account, 'pre_purchase', PRE_PURCHASE_LOCK_WAIT_MS);
      if (!holding) {
        this.logger.log(`batch ${batchId}: carrier account ${account.id} is still being topped up by another worker; not topping up ahead`, {
          batch_id: batchId,
          tenant_id: account.tenantId,
          carrier_account_id: account.id,
        });
        return;
      }
      const policy = account.funding;
      let balance: MoneyAmount;
      try {
        balance = (await getBalance(provider)).amount;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(0, null, `batch ${batchId}: the balance could not be read: ${error.message}`));
        return;
      }
      const used = await this.funding.toppedUpToday(account.id);
      const decision = topUpAhead(
        { policy, balanceMinor: balance.amountMinor, minTopUpMinor: provider.capabilities.funding.minTopUpMinor ?? 0, toppedUpTodayMinor: used },
        estimate.amountMinor,
      );
      if (decision.kind === 'none') return;
      const c = balance.currency;
      const why = `batch ${batchId} is estimated at ${estimateText(estimate, c)}, the balance is ${fmt(balance.amountMinor, c)} and the minimum balance ${fmt(policy.minBalanceMinor, c)}`;
      if (decision.kind === 'capped') {
        await holding.record(
          failedEvent(
            decision.wantedMinor,
            balance.amountMinor,
            `the daily cap of ${fmt(policy.dailyCapMinor, c)} for automatic top-ups is reached (${fmt(used, c)} topped up today): ${why}`,
            c,
          ),
        );
        return;
      }
      const { amountMinor: amount, wantedMinor: wanted } = decision;
      let afterMinor: number;
      try {
        afterMinor = (await addFunds(provider, { amountMinor: amount, currency: c })).amount.amountMinor;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount, balance.amountMinor, `the top-up of ${fmt(amount, c)} failed: ${error.message}; ${why}`, c));
        return;
      }
      const limited = amount < wanted ? ` (limited by the daily cap of ${fmt(policy.dailyCapMinor, c)}; ${fmt(wanted, c)} wanted)` : '';
      await holding.record(succeededEvent(amount, c, balance.amountMinor, afterMinor, `topped up ${fmt(amount, c)} ahead: ${why}${limited}`));
    } catch (error) {
      this.logger.error(`batch ${batchId}: funding carrier account ${account.id} ahead failed: ${describeError(error)}`, {
        batch_id: batchId,
        tenant_id: account.tenantId,
        carrier_account_id: account.id,
      });
      await holding?.record(failedEvent(0, null, `batch ${batchId}: funding ahead failed: ${describeError(error)}`)).catch(() => undefined);
    } finally {
      await holding
        ?.release()
        .catch((error: unknown) =>
          this.logger.error(`releasing the funding lock of ${account.id}: ${describeError(error)}`, { carrier_account_id: account.id, tenant_id: account.tenantId }),
        );
    }
  }
}
