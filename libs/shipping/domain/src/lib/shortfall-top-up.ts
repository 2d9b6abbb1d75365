import { capLeft, type TopUpContext } from './funding-policy';

/**
 * After the provider refused a label for insufficient funds (`neededMinor`: its price, when the
 * provider said). The top-up is `max(top_up_amount, needed + min_balance - balance, open demand
 * + min_balance - balance, provider minimum)` within the daily cap; it is refused only when the
 * cap leaves less than `enough`: a smaller top-up that still pays for this label (or, its price
 * unknown, the usual top-up) beats failing it.
 */
export class ShortfallTopUp {
  constructor(
    private readonly ctx: TopUpContext,
    private readonly neededMinor: number | null,
  ) {}

  /** The top-up this label alone calls for. */
  get baseMinor(): number {
    const { policy, minTopUpMinor } = this.ctx;
    return Math.max(policy.topUpAmountMinor, this.neededMinor !== null ? this.gap(this.neededMinor) : 0, minTopUpMinor, 1);
  }

  /** The least top-up that still lets this label be bought. */
  get enoughMinor(): number {
    const { policy, balanceMinor, minTopUpMinor } = this.ctx;
    return Math.max(this.neededMinor !== null ? this.neededMinor - balanceMinor : policy.topUpAmountMinor, minTopUpMinor, 1);
  }

  /** Whether the daily cap forbids even `enoughMinor`. */
  get capReached(): boolean {
    return capLeft(this.ctx) < this.enoughMinor;
  }

  /** The top-up, given what the account's open shipments are estimated at (null when unknown). */
  amountMinor(openDemandMinor: number | null): number {
    const wanted = Math.max(this.baseMinor, openDemandMinor !== null ? this.gap(openDemandMinor) : 0);
    return Math.min(Math.ceil(wanted), capLeft(this.ctx));
  }

  private gap(minor: number): number {
    return minor + this.ctx.policy.minBalanceMinor - this.ctx.balanceMinor;
  }
}
