import { Logger } from '@nestjs/common';
import { type Balance, isProviderError, type LabelProvider, type MoneyAmount } from '@shipbatch/providers/core';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import { FUNDING_DISABLED, type FundingRepository } from './funding.repository';
import { type CostEstimate, ESTIMATE_MAX_QUOTES, type FundingCostEstimator } from './funding-cost.estimator';
import { addFunds, addFundsHint, canTopUp, describeError, estimateText, failedEvent, fmt, getBalance, shortfallText } from './funding.format';
import type { FundingLocks } from './funding-lock';

/** A purchase the provider refused for insufficient funds. */
export interface Shortfall {
  /** What the label costs, when the provider said so (the error's `needed_minor`). */
  needed: MoneyAmount | null;
  /** The label's service level: `needed` prices that service's other open shipments too. */
  serviceLevelToken: string;
  /** When the refused purchase was sent (`Date.now()`): a top-up since then may cover it. */
  sentAt: number;
}

/** What a purchase that got "insufficient funds" does next. */
export type InsufficientFundsDecision =
  /** Buy again: the balance covers the label now. `toppedUp`: a top-up succeeded since the refused purchase was sent (this one or another worker's). */
  | { action: 'retry'; toppedUp: boolean }
  /** Another worker is topping the account up: wait for it to finish, then buy again. */
  | { action: 'wait' }
  /** The top-up could not be made now (provider unavailable, rate limited): try again after `delayMs`; `message` is the failure to record once the tries run out. */
  | { action: 'later'; delayMs: number; message: string }
  | { action: 'fail'; code: 'insufficient_funds'; message: string };

/** How long a purchase waits after a top-up failed retryably (provider unavailable, rate limited). */
export const FUNDING_RETRY_LATER_MS = 5_000;

/** How the failed event of a top-up the daily cap refused begins. */
const CAP_REACHED = 'the daily cap of';

/**
 * The insufficient-funds path of FundingService: under the account's funding lock, reads the
 * balance; when a top-up since the refused purchase (or the balance itself) covers the label,
 * answers `retry` without topping up, so N workers refused at once make one top-up; else tops
 * up `max(top_up_amount, needed + min_balance - balance, open demand + min_balance - balance)`
 * within the daily cap, where the open demand is every QUEUED or PURCHASING shipment of the
 * account (priced at `needed` for the label's service, else as FundingCostEstimator prices).
 */
export class InsufficientFundsHandler {
  private readonly logger = new Logger(InsufficientFundsHandler.name);

  constructor(
    private readonly funding: FundingRepository,
    private readonly locks: FundingLocks,
    private readonly estimator: FundingCostEstimator,
  ) {}

  async handle(account: CarrierAccountRecord, provider: LabelProvider, shortfall: Shortfall): Promise<InsufficientFundsDecision> {
    const { needed } = shortfall;
    const policy = account.funding ?? FUNDING_DISABLED;
    const hint = addFundsHint(account.id);
    if (!policy.enabled || !canTopUp(provider)) {
      const balance = await this.readBalance(provider);
      const off = canTopUp(provider) ? 'off' : `not offered by provider ${account.provider}`;
      return fail(`${shortfallText(balance, needed)}; automatic funding is ${off} for carrier account ${account.id} (${hint})`);
    }
    const holding = await this.locks.lock(account, 'insufficient_funds');
    if (!holding) return { action: 'wait' };
    try {
      let balance: MoneyAmount;
      try {
        balance = (await getBalance(provider)).amount;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(0, null, `the balance could not be read: ${error.message}`, needed?.currency));
        const message = `${shortfallText(null, needed)}; the balance of carrier account ${account.id} could not be read: ${error.message} (${hint})`;
        return error.retryable ? { action: 'later', delayMs: error.retryAfterMs ?? FUNDING_RETRY_LATER_MS, message } : fail(message);
      }
      // Relative to the database clock: a top-up recorded after the refused purchase was sent.
      const toppedUp = await this.funding.toppedUpRecently(account.id, Math.max(1, Date.now() - shortfall.sentAt));
      if (needed ? balance.amountMinor >= needed.amountMinor : toppedUp) {
        await holding.release();
        return { action: 'retry', toppedUp };
      }
      const c = balance.currency;
      const minTopUp = provider.capabilities.funding.minTopUpMinor ?? 0;
      const gap = (minor: number) => minor + policy.minBalanceMinor - balance.amountMinor;
      const base = Math.max(policy.topUpAmountMinor, needed ? gap(needed.amountMinor) : 0, minTopUp, 1);
      const used = await this.funding.toppedUpToday(account.id);
      const allowed = Math.max(0, policy.dailyCapMinor - used);
      // A smaller top-up that still pays for this label (or, its price unknown, the usual top-up) beats failing it.
      const enough = Math.max(needed ? needed.amountMinor - balance.amountMinor : policy.topUpAmountMinor, minTopUp, 1);
      if (allowed < enough) {
        const cap = `${CAP_REACHED} ${fmt(policy.dailyCapMinor, c)} for automatic top-ups is reached for carrier account ${account.id} (${fmt(used, c)} topped up today, ${fmt(Math.ceil(base), c)} more needed)`;
        // Told once: the shipments refused after it do not each add a failed event.
        if (await this.capAlreadyReported(account)) await holding.release();
        else await holding.record(failedEvent(Math.ceil(base), balance.amountMinor, cap, c));
        return fail(`${shortfallText(balance, needed)}; ${cap} (${hint})`);
      }
      const estimate = await this.openDemand(account, provider, shortfall);
      const amount = Math.min(Math.ceil(Math.max(base, estimate ? gap(estimate.amountMinor) : 0)), allowed);
      let after: Balance;
      try {
        after = await addFunds(provider, { amountMinor: amount, currency: c });
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount, balance.amountMinor, `the top-up of ${fmt(amount, c)} failed: ${error.message}`, c));
        const message = `${shortfallText(balance, needed)}; the automatic top-up of ${fmt(amount, c)} failed: ${error.message} (${hint})`;
        return error.retryable ? { action: 'later', delayMs: error.retryAfterMs ?? FUNDING_RETRY_LATER_MS, message } : fail(message);
      }
      const why = needed
        ? `a label needed ${fmt(needed.amountMinor, needed.currency)} and the balance was ${fmt(balance.amountMinor, c)}`
        : `the provider answered insufficient funds at a balance of ${fmt(balance.amountMinor, c)}`;
      const open = estimate ? `; the account's ${estimate.shipments} open shipments are estimated at ${estimateText(estimate, c)}` : '';
      await holding.record({
        amountMinor: amount,
        currency: c,
        balanceBeforeMinor: balance.amountMinor,
        balanceAfterMinor: after.amount.amountMinor,
        status: 'succeeded',
        message: `topped up ${fmt(amount, c)}: ${why}${open}`,
      });
      return { action: 'retry', toppedUp: true };
    } finally {
      await holding.release();
    }
  }

  /** The final failure of a shipment the provider kept refusing: the balance and the amount needed, and why. */
  async explain(account: CarrierAccountRecord, provider: LabelProvider, needed: MoneyAmount | null, why: string): Promise<string> {
    return `${shortfallText(await this.readBalance(provider), needed)}; ${why} (${addFundsHint(account.id)})`;
  }

  /** Whether the account's newest funding event already says that automatic funding failed (the cap is reached). */
  private async capAlreadyReported(account: CarrierAccountRecord): Promise<boolean> {
    const newest = (await this.funding.listEvents(account.tenantId, account.id, 0, 1)).items[0];
    return newest?.reason === 'insufficient_funds' && newest.status === 'failed' && newest.message.startsWith(CAP_REACHED);
  }

  /** What the account's open shipments will cost (null when nothing could be learnt: the top-up is sized without it). */
  private async openDemand(account: CarrierAccountRecord, provider: LabelProvider, shortfall: Shortfall): Promise<CostEstimate | null> {
    try {
      const demand = await this.funding.openDemand(account.tenantId, account.id, ESTIMATE_MAX_QUOTES);
      if (demand.length === 0) return null;
      const known = new Map(shortfall.needed ? [[shortfall.serviceLevelToken, shortfall.needed.amountMinor]] : []);
      const estimate = await this.estimator.estimate(account, provider, demand, known);
      return estimate.shipments > estimate.unpriced ? estimate : null;
    } catch (error) {
      this.logger.warn(`carrier account ${account.id}: its open shipments could not be estimated: ${describeError(error)}`, {
        carrier_account_id: account.id,
        tenant_id: account.tenantId,
      });
      return null;
    }
  }

  /** The balance, or null when the provider cannot tell (the caller only reports it). */
  async readBalance(provider: LabelProvider): Promise<MoneyAmount | null> {
    if (!provider.getBalance || !provider.capabilities.funding.prepaidBalance) return null;
    try {
      return (await provider.getBalance()).amount;
    } catch (error) {
      this.logger.warn(`reading a balance failed: ${describeError(error)}`);
      return null;
    }
  }
}

function fail(message: string): InsufficientFundsDecision {
  return { action: 'fail', code: 'insufficient_funds', message };
}
