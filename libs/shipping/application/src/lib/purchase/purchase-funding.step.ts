import type { LabelProvider, MoneyAmount, ProviderError } from '@shipbatch/providers/core';
import { decidePurchaseFailure } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import type { ClaimedPurchase, PurchaseRepository } from './purchase.repository';
import { FUNDING_AWAIT_MS, FUNDING_WAIT_MS, type HandleInsufficientFundsUseCase } from '../funding/handle-insufficient-funds.use-case';
import { type FundingRounds, MAX_UNFUNDED_RETRIES } from '../funding/funding-rounds';
import type { Attempt } from './purchase-shipment.use-case';

/** Queues a purchase job for the claimed shipment under its queue token, after `delayMs`. */
type Enqueue = (claim: ClaimedPurchase, token: number, delayMs: number) => Promise<void>;

/** PurchaseShipmentUseCase's answer to a purchase the provider refused for insufficient funds. */
export class PurchaseFundingStep {
  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly funding: HandleInsufficientFundsUseCase,
    private readonly enqueue: Enqueue,
  ) {}

  /**
   * Insufficient funds (API-CONTRACT.md, "Funding"): the account is topped up (one top-up at a
   * time per account, across all workers) and the shipment bought, as often as the money runs
   * out, within the daily cap. A purchase refused while another worker tops the account up waits
   * for that top-up and buys again. It fails only when funding cannot pay (off, past the cap, the
   * top-up refused), when the provider keeps refusing although nothing is short
   * (MAX_UNFUNDED_RETRIES in a row), or after MAX_PURCHASE_FAILURES top-ups that failed retryably;
   * every failure message names the balance and the amount needed.
   */
  async afterInsufficientFunds(
    claim: ClaimedPurchase,
    account: CarrierAccountRecord,
    provider: LabelProvider,
    error: ProviderError,
    sentAt: number,
    rounds: FundingRounds,
  ): Promise<'retry' | Attempt> {
    const needed = neededAmount(error);
    const decision = await this.funding.handle(account, provider, {
      needed,
      serviceLevelToken: claim.purchase.command.serviceLevelToken,
      sentAt,
    });
    switch (decision.action) {
      case 'retry': {
        if (!rounds.retried(decision.toppedUp)) {
          const text = await this.funding.explain(
            account,
            provider,
            needed,
            `the provider refused the label ${MAX_UNFUNDED_RETRIES} times in a row although the balance covered it or had been topped up since`,
          );
          return this.failForFunds(claim, account, text);
        }
        // Its claim's lease is half gone: back to the queue, bought on a later run.
        return rounds.overdue() ? this.giveBackForFunding(claim) : 'retry';
      }
      case 'wait':
        // Another worker is topping the account up (the account is paused): buy once it is done.
        return (await this.funding.awaitTopUp(account.id, Math.min(FUNDING_AWAIT_MS, rounds.remainingMs()))) && !rounds.overdue()
          ? 'retry'
          : this.giveBackForFunding(claim);
      case 'later': {
        // The top-up could not be made now: a counted failure, so the tries end (with the message).
        const next = decidePurchaseFailure({ code: error.code, retryable: true, retryAfterMs: decision.delayMs }, claim.failures + 1);
        if (next.action === 'fail') return this.failForFunds(claim, account, decision.message);
        const token = await this.purchases.requeue(claim, { countFailure: true, lookupRequired: claim.lookupRequired });
        const delayMs = next.action === 'retry' ? next.delayMs : decision.delayMs;
        await this.enqueue(claim, token, delayMs);
        return { kind: 'slowed', delayMs };
      }
      case 'fail':
        return this.failForFunds(claim, account, decision.message);
    }
  }

  private async failForFunds(claim: ClaimedPurchase, account: CarrierAccountRecord, text: string): Promise<Attempt> {
    await this.purchases.recordFailed(claim, { source: account.provider, code: 'insufficient_funds', text }, claim.lookupRequired);
    return { kind: 'settled' };
  }

  /** Back to the queue, not counted as a failure (the account's funding is under way), with the rest of its group. */
  private async giveBackForFunding(claim: ClaimedPurchase): Promise<Attempt> {
    const token = await this.purchases.requeue(claim, { countFailure: false, lookupRequired: claim.lookupRequired });
    await this.enqueue(claim, token, FUNDING_WAIT_MS);
    return { kind: 'slowed', delayMs: FUNDING_WAIT_MS };
  }

}

/** The amount an insufficient-funds answer says the label needs, when it says so. */
function neededAmount(error: ProviderError): MoneyAmount | null {
  const minor = error.details?.['needed_minor'] ?? error.details?.['cost_minor'];
  if (typeof minor !== 'number' || !Number.isFinite(minor)) return null;
  const currency = error.details?.['currency'];
  return { amountMinor: minor, currency: typeof currency === 'string' ? currency : 'usd' };
}
