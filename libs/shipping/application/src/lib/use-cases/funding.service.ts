import { Inject, Injectable, Logger } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { type Balance, isProviderError, type LabelProvider, type MoneyAmount } from '@shipbatch/providers/core';
import { ConflictError, InvalidInputError, Money, NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../ports/carrier-account.repository';
import {
  FUNDING_DISABLED,
  type FundingEventRecord,
  type FundingReason,
  type FundingRepository,
  type QueuedDemand,
} from '../ports/funding.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, FUNDING_REPOSITORY, PROVIDER_GATEWAY } from '../ports/tokens';
import { providerErrorText, providerFailure } from './provider-failure';

/** What a purchase that got "insufficient funds" does next. */
export type InsufficientFundsDecision =
  | { action: 'retry' }
  | { action: 'wait'; delayMs: number }
  | { action: 'fail'; code: 'insufficient_funds'; message: string };

/** How long a top-up may hold an account's funding lock before others treat it as crashed. */
export const FUNDING_LOCK_MS = 60_000;
/** How long a purchase waits while another worker tops its account up. */
export const FUNDING_WAIT_MS = 2_000;
/** How long a purchase waits after a top-up failed retryably (provider unavailable, rate limited). */
export const FUNDING_RETRY_LATER_MS = 5_000;
/** A manual top-up waits at most this long for an automatic one of the same account to finish. */
export const MANUAL_LOCK_WAIT_MS = 15_000;
/** Without the amount needed, a top-up this recent is taken to have covered it (retry first). */
const RECENT_TOP_UP_MS = 10_000;

type EventFields = Pick<FundingEventRecord, 'amountMinor' | 'balanceBeforeMinor' | 'balanceAfterMinor' | 'status' | 'message'> & {
  currency?: string;
};

/** A held funding lock: records the event and releases in one statement, or just releases. */
interface Holding {
  record(fields: EventFields): Promise<void>;
  release(): Promise<void>;
}

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

  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {}

  /**
   * For a purchase that got ProviderInsufficientFundsError: `retry` when the balance now covers
   * the label (this call topped it up, or someone else did), `wait` while another worker tops
   * the account up or after a top-up failed retryably, `fail` (code insufficient_funds, a
   * message with the balance and the amount needed) when funding is off, past the daily cap,
   * or the top-up was refused. `needed` is the label's cost when known (the error's
   * `needed_minor`). Throws only on unexpected (non-provider) errors; the lock is always released.
   */
  async handleInsufficientFunds(
    account: CarrierAccountRecord,
    provider: LabelProvider,
    needed: MoneyAmount | null,
  ): Promise<InsufficientFundsDecision> {
    const policy = account.funding ?? FUNDING_DISABLED;
    const addFundsHint = `POST /carrier_accounts/${account.id}/add_funds, then purchase the batch again`;
    if (!policy.enabled || !canTopUp(provider)) {
      const balance = await this.readBalance(provider);
      const off = canTopUp(provider) ? 'off' : `not offered by provider ${account.provider}`;
      return fail(`${shortfallText(balance, needed)}; automatic funding is ${off} for carrier account ${account.id} (${addFundsHint})`);
    }
    const holding = await this.lock(account, 'insufficient_funds');
    if (!holding) return { action: 'wait', delayMs: FUNDING_WAIT_MS };
    try {
      let balance: MoneyAmount;
      try {
        balance = (await getBalance(provider)).amount;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(0, null, `the balance could not be read: ${error.message}`, needed?.currency));
        return error.retryable
          ? { action: 'wait', delayMs: error.retryAfterMs ?? FUNDING_RETRY_LATER_MS }
          : fail(`${shortfallText(null, needed)}; the balance of carrier account ${account.id} could not be read: ${error.message} (${addFundsHint})`);
      }
      const covered = needed
        ? balance.amountMinor >= needed.amountMinor
        : await this.funding.toppedUpRecently(account.id, RECENT_TOP_UP_MS);
      if (covered) {
        await holding.release();
        return { action: 'retry' };
      }
      const minTopUp = provider.capabilities.funding.minTopUpMinor ?? 0;
      let amount = Math.ceil(
        Math.max(policy.topUpAmountMinor, needed ? needed.amountMinor + policy.minBalanceMinor - balance.amountMinor : 0, minTopUp, 1),
      );
      const used = await this.funding.toppedUpToday(account.id);
      const allowed = Math.max(0, policy.dailyCapMinor - used);
      if (amount > allowed) {
        // A smaller top-up that still pays for this label is better than failing it.
        const enough = needed ? Math.max(needed.amountMinor - balance.amountMinor, minTopUp, 1) : Number.POSITIVE_INFINITY;
        if (allowed >= enough) {
          amount = allowed;
        } else {
          const cap = `the daily cap of ${fmt(policy.dailyCapMinor, balance.currency)} for automatic top-ups is reached for carrier account ${account.id} (${fmt(used, balance.currency)} topped up today, ${fmt(amount, balance.currency)} more needed)`;
          await holding.record(failedEvent(amount, balance.amountMinor, cap, balance.currency));
          return fail(`${shortfallText(balance, needed)}; ${cap} (${addFundsHint})`);
        }
      }
      let after: Balance;
      try {
        after = await addFunds(provider, { amountMinor: amount, currency: balance.currency });
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount, balance.amountMinor, `the top-up of ${fmt(amount, balance.currency)} failed: ${error.message}`, balance.currency));
        return error.retryable
          ? { action: 'wait', delayMs: error.retryAfterMs ?? FUNDING_RETRY_LATER_MS }
          : fail(`${shortfallText(balance, needed)}; the automatic top-up of ${fmt(amount, balance.currency)} failed: ${error.message} (${addFundsHint})`);
      }
      await holding.record({
        amountMinor: amount,
        currency: balance.currency,
        balanceBeforeMinor: balance.amountMinor,
        balanceAfterMinor: after.amount.amountMinor,
        status: 'succeeded',
        message: needed
          ? `topped up ${fmt(amount, balance.currency)}: a label needed ${fmt(needed.amountMinor, needed.currency)} and the balance was ${fmt(balance.amountMinor, balance.currency)}`
          : `topped up ${fmt(amount, balance.currency)}: the provider answered insufficient funds at a balance of ${fmt(balance.amountMinor, balance.currency)}`,
      });
      return { action: 'retry' };
    } finally {
      await holding.release();
    }
  }

  /**
   * After a batch's purchase is committed (shipments QUEUED) and before its jobs are enqueued:
   * for each carrier account of the batch with funding on and a prepaid balance, estimates the
   * cost of its queued shipments (the last price paid per service level, else the provider's
   * quote for one shipment of that service, else that service is left out) and, when the
   * balance would fall below `min_balance`, tops up `max(top_up_amount, estimate + min_balance
   * - balance)`, as far as the daily cap allows. Never throws: failures are logged and
   * recorded as failed events; the insufficient-funds path remains the safety net.
   */
  async beforePurchase(tenantId: string, batchId: string): Promise<void> {
    try {
      const demand = await this.funding.queuedDemand(tenantId, batchId);
      if (demand.length === 0) return;
      const byAccount = new Map<string, QueuedDemand[]>();
      for (const d of demand) byAccount.set(d.carrierAccountId, [...(byAccount.get(d.carrierAccountId) ?? []), d]);
      const accounts = await this.accounts.findMany(tenantId, [...byAccount.keys()]);
      for (const account of accounts) {
        if (!account.active || !account.funding?.enabled) continue;
        await this.topUpAhead(account, byAccount.get(account.id) ?? [], batchId);
      }
    } catch (error) {
      this.logger.error(`funding ahead of batch ${batchId} failed: ${describe(error)}`, { batch_id: batchId, tenant_id: tenantId });
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
    const holding = await this.lockWithin(account, 'manual', MANUAL_LOCK_WAIT_MS);
    if (!holding) {
      throw new ConflictError(`another top-up of carrier account ${account.id} is in progress; try again shortly`, 'funding_in_progress');
    }
    try {
      const before = await this.readBalance(provider);
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
      const estimate = await this.estimate(account, provider, demand);
      if (estimate <= 0) return;
      holding = await this.lock(account, 'pre_purchase');
      if (!holding) {
        this.logger.log(`batch ${batchId}: carrier account ${account.id} is being topped up by another worker; not topping up ahead`, {
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
      if (balance.amountMinor - estimate >= policy.minBalanceMinor) return;
      const minTopUp = provider.capabilities.funding.minTopUpMinor ?? 0;
      const wanted = Math.ceil(Math.max(policy.topUpAmountMinor, estimate + policy.minBalanceMinor - balance.amountMinor, minTopUp, 1));
      const used = await this.funding.toppedUpToday(account.id);
      const allowed = Math.max(0, policy.dailyCapMinor - used);
      const amount = Math.min(wanted, allowed);
      const c = balance.currency;
      const why = `batch ${batchId} is estimated at ${fmt(estimate, c)}, the balance is ${fmt(balance.amountMinor, c)} and the minimum balance ${fmt(policy.minBalanceMinor, c)}`;
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
      this.logger.error(`batch ${batchId}: funding carrier account ${account.id} ahead failed: ${describe(error)}`, {
        batch_id: batchId,
        tenant_id: account.tenantId,
        carrier_account_id: account.id,
      });
      await holding?.record(failedEvent(0, null, `batch ${batchId}: funding ahead failed: ${describe(error)}`)).catch(() => undefined);
    } finally {
      await holding
        ?.release()
        .catch((error: unknown) =>
          this.logger.error(`releasing the funding lock of ${account.id}: ${describe(error)}`, { carrier_account_id: account.id, tenant_id: account.tenantId }),
        );
    }
  }

  /** The batch's cost on the account, from last prices paid or quotes; services with neither are left out. */
  private async estimate(account: CarrierAccountRecord, provider: LabelProvider, demand: QueuedDemand[]): Promise<number> {
    const prices = await this.funding.lastPrices(
      account.id,
      demand.map((d) => d.serviceLevelToken),
    );
    let total = 0;
    for (const d of demand) {
      let price = prices.get(d.serviceLevelToken);
      if (price === undefined && provider.capabilities.rates && provider.quote) {
        try {
          price = (await provider.quote({ reference: `quote-${d.carrierAccountId}-${d.serviceLevelToken}`, ...d.sample.command })).amountMinor;
        } catch (error) {
          this.logger.warn(`carrier account ${account.id}: no quote for ${d.serviceLevelToken}: ${describe(error)}`, {
            carrier_account_id: account.id,
            tenant_id: account.tenantId,
            servicelevel_token: d.serviceLevelToken,
          });
        }
      }
      if (price !== undefined) total += price * d.count;
    }
    return total;
  }

  /** The funding lock of the account, or null when someone else holds it. */
  private async lock(account: CarrierAccountRecord, reason: FundingReason): Promise<Holding | null> {
    const token = await this.funding.tryLock(account.id, FUNDING_LOCK_MS);
    if (!token) return null;
    let released = false;
    return {
      record: async (fields) => {
        if (released) return;
        await this.funding.recordAndRelease(
          {
            id: newObjectId(),
            tenantId: account.tenantId,
            carrierAccountId: account.id,
            reason,
            ...fields,
            currency: (fields.currency ?? 'usd').toLowerCase(),
            message: fields.message.length > 1000 ? `${fields.message.slice(0, 997)}...` : fields.message,
          },
          token,
        );
        released = true;
      },
      release: async () => {
        if (released) return;
        await this.funding.release(account.id, token);
        released = true;
      },
    };
  }

  private async lockWithin(account: CarrierAccountRecord, reason: FundingReason, waitMs: number): Promise<Holding | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const holding = await this.lock(account, reason);
      if (holding || Date.now() >= deadline) return holding;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The balance, or null when the provider cannot tell (the caller only reports it). */
  private async readBalance(provider: LabelProvider): Promise<MoneyAmount | null> {
    if (!provider.getBalance || !provider.capabilities.funding.prepaidBalance) return null;
    try {
      return (await provider.getBalance()).amount;
    } catch (error) {
      this.logger.warn(`reading a balance failed: ${describe(error)}`);
      return null;
    }
  }
}

function canTopUp(provider: LabelProvider): boolean {
  const f = provider.capabilities.funding;
  return f.prepaidBalance && f.addFunds && !!provider.getBalance && !!provider.addFunds;
}

function getBalance(provider: LabelProvider): Promise<Balance> {
  if (!provider.getBalance) throw new Error(`provider ${provider.key} has no getBalance`);
  return provider.getBalance();
}

function addFunds(provider: LabelProvider, amount: MoneyAmount): Promise<Balance> {
  if (!provider.addFunds) throw new Error(`provider ${provider.key} has no addFunds`);
  return provider.addFunds(amount);
}

function failedEvent(amountMinor: number, balanceBeforeMinor: number | null, message: string, currency?: string): EventFields {
  return { amountMinor, balanceBeforeMinor, balanceAfterMinor: null, status: 'failed', message, currency };
}

function fail(message: string): InsufficientFundsDecision {
  return { action: 'fail', code: 'insufficient_funds', message };
}

/** "12.50 usd". */
function fmt(minor: number, currency = 'usd'): string {
  return `${Money.ofMinor(Math.round(minor)).toDecimalString()} ${currency.toLowerCase()}`;
}

function shortfallText(balance: MoneyAmount | null, needed: MoneyAmount | null): string {
  const has = balance ? `the balance is ${fmt(balance.amountMinor, balance.currency)}` : 'the balance could not be read';
  const needs = needed ? `this label needs ${fmt(needed.amountMinor, needed.currency)}` : 'the provider says it does not cover this label';
  return `insufficient funds: ${has} and ${needs}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
