/**
 * Funding's rules: how much to top a prepaid provider balance up by, and when the daily cap
 * forbids it. Pure arithmetic on integer minor units of the balance's currency; the application
 * reads the balances, takes the locks, calls the provider and records what was decided.
 */

/** A carrier account's automatic funding policy; amounts in the account's minor units. */
export interface FundingPolicy {
  enabled: boolean;
  /** Top up ahead of a batch when the balance would fall below this. */
  minBalanceMinor: number;
  /** The usual top-up (more when a batch needs more). */
  topUpAmountMinor: number;
  /** At most this much in top-ups per UTC day (automatic and manual ones counted alike). */
  dailyCapMinor: number;
}

export const FUNDING_DISABLED: FundingPolicy = Object.freeze({
  enabled: false,
  minBalanceMinor: 0,
  topUpAmountMinor: 0,
  dailyCapMinor: 0,
});

/** What a top-up decision starts from. */
export interface TopUpContext {
  policy: FundingPolicy;
  balanceMinor: number;
  /** The smallest top-up the provider accepts (0 when it sets none). */
  minTopUpMinor: number;
  /** Top-ups of the account so far this UTC day (the cap's used part). */
  toppedUpTodayMinor: number;
}

/** What is left of the daily cap. */
export function capLeft(ctx: TopUpContext): number {
  return Math.max(0, ctx.policy.dailyCapMinor - ctx.toppedUpTodayMinor);
}

/** A decision: nothing to do, the cap forbids the top-up (`wantedMinor`), or top up `amountMinor`. */
export type TopUpDecision =
  | { kind: 'none' }
  | { kind: 'capped'; wantedMinor: number }
  | { kind: 'top_up'; amountMinor: number; wantedMinor: number };

/**
 * Ahead of a batch estimated at `estimateMinor`: when the balance would fall below the minimum
 * (`balance - estimate < min_balance`, so a balance already under it is enough, whatever the
 * estimate), top up `max(top_up_amount, estimate + min_balance - balance, provider minimum)`,
 * cut to what the daily cap leaves; refused when the cap leaves nothing or less than the
 * provider's minimum.
 */
export function topUpAhead(ctx: TopUpContext, estimateMinor: number): TopUpDecision {
  const shortfall = estimateMinor + ctx.policy.minBalanceMinor - ctx.balanceMinor;
  if (shortfall <= 0) return { kind: 'none' };
  const wantedMinor = Math.ceil(Math.max(ctx.policy.topUpAmountMinor, shortfall, ctx.minTopUpMinor, 1));
  const amountMinor = Math.min(wantedMinor, capLeft(ctx));
  if (amountMinor <= 0 || amountMinor < ctx.minTopUpMinor) return { kind: 'capped', wantedMinor };
  return { kind: 'top_up', amountMinor, wantedMinor };
}
