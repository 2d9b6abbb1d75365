import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Balance, isProviderError, type LabelProvider, type MoneyAmount } from '@shipbatch/providers/core';
import { FUNDING_DISABLED, ShortfallTopUp } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import { FUNDING_REPOSITORY } from '../tokens';
import type { FundingRepository } from './funding.repository';
import { type CostEstimate, ESTIMATE_MAX_QUOTES, FundingCostEstimator } from './funding-cost.estimator';
import { addFunds, addFundsHint, canTopUp, describeError, estimateText, failedEvent, fmt, getBalance, readBalance, shortfallText, succeededEvent } from './funding.format';
import { FundingLocks } from './funding-lock';

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

/**
 * A purchase waits at most this long for another worker's top-up of its account to finish (then
 * buys again); past it, it goes back to the queue for FUNDING_WAIT_MS.
 */
export const FUNDING_AWAIT_MS = 15_000;
/** How long a purchase goes back to the queue while its account is being topped up. */
export const FUNDING_WAIT_MS = 2_000;

/** How long a purchase waits after a top-up failed retryably (provider unavailable, rate limited). */
export const FUNDING_RETRY_LATER_MS = 5_000;

/** How the failed event of a top-up the daily cap refused begins. */
const CAP_REACHED = 'the daily cap of';

/**
 * A purchase the provider refused for insufficient funds (API-CONTRACT.md, "Funding"): under
 * the account's funding lock (FundingLocks: one top-up at a time per account), reads the
 * balance; when a top-up since the refused purchase (or the balance itself) covers the label,
 * answers `retry` without topping up, so N workers refused at once make one top-up; else tops
 * up `max(top_up_amount, needed + min_balance - balance, open demand + min_balance - balance)`
 * within the daily cap, where the open demand is every QUEUED or PURCHASING shipment of the
 * account (priced at `needed` for the label's service, else as FundingCostEstimator prices).
 * The sizing is the domain's (ShortfallTopUp).
 *
 * `retry` when the balance now covers the label (this call topped it up, or someone else did
 * since the purchase was sent), `wait` while another worker tops the account up, `later` after a
 * top-up failed retryably, `fail` (code insufficient_funds, a message with the balance and the
 * amount needed) when funding is off, past the daily cap, or the top-up was refused. Throws only
 * on unexpected (non-provider) errors; the lock is always released.
 */
@Injectable()
export class HandleInsufficientFundsUseCase {
  private readonly logger = new Logger(HandleInsufficientFundsUseCase.name);

  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    private readonly locks: FundingLocks,
    private readonly estimator: FundingCostEstimator,
  ) {}

  async handle(account: CarrierAccountRecord, provider: LabelProvider, shortfall: Shortfall): Promise<InsufficientFundsDecision> {
    const { needed } = shortfall;
    const policy = account.funding ?? FUNDING_DISABLED;
    const hint = addFundsHint(account.id);
    if (!policy.enabled || !canTopUp(provider)) {
      const balance = await readBalance(provider, this.logger);
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
      const used = await this.funding.toppedUpToday(account.id);
      const sizing = new ShortfallTopUp(
        { policy, balanceMinor: balance.amountMinor, minTopUpMinor: provider.capabilities.funding.minTopUpMinor ?? 0, toppedUpTodayMinor: used },
        needed?.amountMinor ?? null,
      );
      if (sizing.capReached) {
        const base = Math.ceil(sizing.baseMinor);
        const cap = `${CAP_REACHED} ${fmt(policy.dailyCapMinor, c)} for automatic top-ups is reached for carrier account ${account.id} (${fmt(used, c)} topped up today, ${fmt(base, c)} more needed)`;
        // Told once: the shipments refused after it do not each add a failed event.
        if (await this.capAlreadyReported(account)) await holding.release();
        else await holding.record(failedEvent(base, balance.amountMinor, cap, c));
        return fail(`${shortfallText(balance, needed)}; ${cap} (${hint})`);
      }
      const estimate = await this.openDemand(account, provider, shortfall);
      const amount = sizing.amountMinor(estimate?.amountMinor ?? null);
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
      await holding.record(succeededEvent(amount, c, balance.amountMinor, after.amount.amountMinor, `topped up ${fmt(amount, c)}: ${why}${open}`));
      return { action: 'retry', toppedUp: true };
    } finally {
      await holding.release();
    }
  }

  /** After `wait`: resolves true once the account's top-up in progress is over, false if it still runs after `waitMs`. */
  awaitTopUp(carrierAccountId: string, waitMs = FUNDING_AWAIT_MS): Promise<boolean> {
    return this.locks.awaitRelease(carrierAccountId, waitMs);
  }

  /** The final failure of a shipment the provider kept refusing: the balance and the amount needed, and why. */
  async explain(account: CarrierAccountRecord, provider: LabelProvider, needed: MoneyAmount | null, why: string): Promise<string> {
    return `${shortfallText(await readBalance(provider, this.logger), needed)}; ${why} (${addFundsHint(account.id)})`;
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

}

function fail(message: string): InsufficientFundsDecision {
  return { action: 'fail', code: 'insufficient_funds', message };
}
