import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Balance, isProviderError, type LabelProvider, type MoneyAmount } from '@shipbatch/providers/core';
import { ConflictError, InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { FundingEventRecord, FundingRepository, QueuedDemand } from './funding.repository';
import type { ProviderGateway } from '../shared/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, FUNDING_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';
import { ESTIMATE_MAX_QUOTES, FundingCostEstimator } from './funding-cost.estimator';
import { addFunds, canTopUp, describeError, estimateText, failedEvent, fmt, getBalance } from './funding.format';
import { FundingLocks, type Holding } from './funding-lock';
import { InsufficientFundsHandler, type InsufficientFundsDecision, type Shortfall } from './insufficient-funds.handler';
import { providerErrorText, providerFailure } from '../shared/provider-failure';

export { FUNDING_LOCK_MS } from './funding-lock';
export { FUNDING_RETRY_LATER_MS, type InsufficientFundsDecision, type Shortfall } from './insufficient-funds.handler';

/**
 * A purchase waits at most this long for another worker's top-up of its account to finish (then
 * buys again); past it, it goes back to the queue for FUNDING_WAIT_MS.
 */
export const FUNDING_AWAIT_MS = 15_000;
/** How long a purchase goes back to the queue while its account is being topped up. */
export const FUNDING_WAIT_MS = 2_000;
/** A manual top-up waits at most this long for an automatic one of the same account to finish. */
export const MANUAL_LOCK_WAIT_MS = 15_000;
/**
 * Funding ahead of a batch waits at most this long for another top-up of the account to finish,
 * then reads the balance that top-up left (so the two never top up for the same shortfall).
 */
export const PRE_PURCHASE_LOCK_WAIT_MS = 5_000;

/**
 * Funding of prepaid provider balances (API-CONTRACT.md, "Funding"). Amounts are integer minor
 * units. One top-up at a time per account, across every worker and process: every top-up
 * runs under the account's funding lock (a lease taken and released by single statements, so
 * no connection is held while the provider is called), and its event is recorded in the
 * statement that releases the lock.
 *
 * The daily cap (`funding.dailyCapMinor`, per UTC day by the database clock) limits automatic
 * top-ups; manual ones (`addFundsManually`) are never refused by it but are counted toward it.
 */
@Injectable()
export class FundingService {
  private readonly logger = new Logger(FundingService.name);
  private readonly estimator: FundingCostEstimator;
  private readonly locks: FundingLocks;
  private readonly shortfalls: InsufficientFundsHandler;

  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {
    this.estimator = new FundingCostEstimator(funding);
    this.locks = new FundingLocks(funding);
    this.shortfalls = new InsufficientFundsHandler(funding, this.locks, this.estimator);
  }

  /**
   * For a purchase that got ProviderInsufficientFundsError (InsufficientFundsHandler): `retry`
   * when the balance now covers the label (this call topped it up, or someone else did since the
   * purchase was sent), `wait` while another worker tops the account up, `later` after a top-up
   * failed retryably, `fail` (code insufficient_funds, a message with the balance and the amount
   * needed) when funding is off, past the daily cap, or the top-up was refused. Throws only on
   * unexpected (non-provider) errors; the lock is always released.
   */
  handleInsufficientFunds(account: CarrierAccountRecord, provider: LabelProvider, shortfall: Shortfall): Promise<InsufficientFundsDecision> {
    return this.shortfalls.handle(account, provider, shortfall);
  }

  /** After `wait`: resolves true once the account's top-up in progress is over, false if it still runs after `waitMs`. */
  awaitTopUp(carrierAccountId: string, waitMs = FUNDING_AWAIT_MS): Promise<boolean> {
    return this.locks.awaitRelease(carrierAccountId, waitMs);
  }

  /** The failure message of a shipment that could not be paid for: the balance, the amount needed, and `why`. */
  explainShortfall(account: CarrierAccountRecord, provider: LabelProvider, needed: MoneyAmount | null, why: string): Promise<string> {
    return this.shortfalls.explain(account, provider, needed, why);
  }

  /**
   * After a batch's purchase is committed (shipments QUEUED) and before its jobs are enqueued:
   * for each carrier account of the batch with funding on and a prepaid balance, estimates the
   * cost of its queued shipments (FundingCostEstimator: the provider's quotes of the most
   * common shapes, else the last price paid per service level, else left out) and, when the
   * balance would fall below `min_balance` (`balance - estimate < min_balance`, so a balance
   * already under it is enough, whatever the estimate), tops up once `max(top_up_amount,
   * estimate + min_balance - balance)`, as far as the daily cap allows. Never throws: failures
   * are logged and recorded as failed events; the insufficient-funds path remains the safety net.
   */
  async beforePurchase(tenantId: string, batchId: string): Promise<void> {
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

  /**
   * `POST /carrier_accounts/{id}/add_funds`: tops up by hand (reason `manual`) and answers the
   * new balance. Not limited by the daily cap, but counted toward it. Waits up to
   * MANUAL_LOCK_WAIT_MS for an automatic top-up of the account to finish (then 409).
   */
  async addFundsManually(tenantId: string, accountId: string, amount: MoneyAmount): Promise<Balance> {
    const account = await this.accounts.findById(tenantId, accountId);
    if (!account) throw new NotFoundError('Carrier account', accountId);
    if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
      throw new InvalidInputError('amount must be greater than 0', 'invalid_field_value', 'amount');
    }
    const provider = this.providers.forAccount(account);
    if (!canTopUp(provider)) {
      throw new ConflictError(`provider ${account.provider} cannot add funds to a balance`, 'add_funds_not_supported');
    }
    const holding = await this.locks.lockWithin(account, 'manual', MANUAL_LOCK_WAIT_MS);
    if (!holding) {
      throw new ConflictError(`another top-up of carrier account ${account.id} is in progress; try again shortly`, 'funding_in_progress');
    }
    try {
      const before = await this.shortfalls.readBalance(provider);
      // A currency the balance is not kept in is the request's fault: refused before anything is recorded.
      if (before && before.currency.toLowerCase() !== amount.currency.toLowerCase()) {
        throw new InvalidInputError(`currency must be the balance's currency, ${before.currency.toLowerCase()}`, 'invalid_field_value', 'currency');
      }
      let after: Balance;
      try {
        after = await addFunds(provider, amount);
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount.amountMinor, before?.amountMinor ?? null, `adding ${fmt(amount.amountMinor, amount.currency)} failed: ${error.message}`, amount.currency));
        if (error.code === 'validation') throw new InvalidInputError(providerErrorText(account.provider, error), 'amount_refused', 'amount');
        throw providerFailure(account.provider, error);
      }
      await holding.record({
        amountMinor: amount.amountMinor,
        currency: after.amount.currency,
        balanceBeforeMinor: before?.amountMinor ?? null,
        balanceAfterMinor: after.amount.amountMinor,
        status: 'succeeded',
        message: `added ${fmt(amount.amountMinor, amount.currency)} by hand`,
      });
      return after;
    } finally {
      await holding.release();
    }
  }

  /** `GET /carrier_accounts/{id}/funding_events`: newest first; 404 for another tenant's account. */
  async listEvents(
    tenantId: string,
    accountId: string,
    page: number,
    results: number,
  ): Promise<{ total: number; items: FundingEventRecord[] }> {
    const account = await this.accounts.findById(tenantId, accountId);
    if (!account) throw new NotFoundError('Carrier account', accountId);
    return this.funding.listEvents(tenantId, account.id, (page - 1) * results, results);
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
      const shortfall = estimate.amountMinor + policy.minBalanceMinor - balance.amountMinor;
      if (shortfall <= 0) return;
      const minTopUp = provider.capabilities.funding.minTopUpMinor ?? 0;
      const wanted = Math.ceil(Math.max(policy.topUpAmountMinor, shortfall, minTopUp, 1));
      const used = await this.funding.toppedUpToday(account.id);
      const allowed = Math.max(0, policy.dailyCapMinor - used);
      const amount = Math.min(wanted, allowed);
      const c = balance.currency;
      const why = `batch ${batchId} is estimated at ${estimateText(estimate, c)}, the balance is ${fmt(balance.amountMinor, c)} and the minimum balance ${fmt(policy.minBalanceMinor, c)}`;
      if (amount <= 0 || amount < minTopUp) {
        await holding.record(
          failedEvent(wanted, balance.amountMinor, `the daily cap of ${fmt(policy.dailyCapMinor, c)} for automatic top-ups is reached (${fmt(used, c)} topped up today): ${why}`, c),
        );
        return;
      }
      let after: Balance;
      try {
        after = await addFunds(provider, { amountMinor: amount, currency: c });
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount, balance.amountMinor, `the top-up of ${fmt(amount, c)} failed: ${error.message}; ${why}`, c));
        return;
      }
      await holding.record({
        amountMinor: amount,
        currency: balance.currency,
        balanceBeforeMinor: balance.amountMinor,
        balanceAfterMinor: after.amount.amountMinor,
        status: 'succeeded',
        message: `topped up ${fmt(amount, c)} ahead: ${why}${amount < wanted ? ` (limited by the daily cap of ${fmt(policy.dailyCapMinor, c)}; ${fmt(wanted, c)} wanted)` : ''}`,
      });
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
