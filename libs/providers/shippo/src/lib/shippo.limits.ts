import { budgetKey, type RateBudget } from '@shipbatch/providers/core';

/**
 * The kinds of call the adapter makes that Shippo limits on their own: Shippo's limits are per
 * endpoint and per verb (a POST, a GET of one object, a GET of a list), not one per token.
 */
export type ShippoCallKind =
  | 'transaction_create'
  | 'transaction_read'
  | 'transaction_list'
  | 'rate_read'
  | 'refund_create'
  | 'batch_create'
  | 'batch_read'
  | 'batch_change'
  | 'batch_purchase';

/**
 * Shippo's published limits for a live token, per minute (docs.goshippo.com, "Rate limits"):
 * POST 500, GET of one object 4,000, GET of a list 50 for transactions, rates and refunds;
 * batches 50 for a POST, 400 for a GET of one, 50 for adding or removing shipments. Test
 * tokens get about a tenth: set `rate_limit_per_minute` to 50 for a `shippo_test_` token.
 */
export const SHIPPO_LIVE_LIMITS: Readonly<Record<ShippoCallKind, number>> = {
  transaction_create: 500,
  transaction_read: 4000,
  transaction_list: 50,
  rate_read: 4000,
  refund_create: 500,
  batch_create: 50,
  batch_read: 400,
  batch_change: 50,
  batch_purchase: 50,
};

/** `rate_limit_per_minute`'s default: the limit on buying a label (`POST /transactions`). */
export const SHIPPO_DEFAULT_RATE_LIMIT = SHIPPO_LIVE_LIMITS.transaction_create;

/**
 * One budget per kind of call for a token, keyed on a hash of the token (accounts sharing a
 * token share them, on every worker). `ratePerMinute` is the token's purchase limit: when
 * Shippo has raised (or, for a test token, lowered) it, every other kind scales with it.
 */
export function shippoBudgets(token: string, ratePerMinute = SHIPPO_DEFAULT_RATE_LIMIT): Record<ShippoCallKind, RateBudget> {
  const key = budgetKey('shippo', token);
  const scale = ratePerMinute / SHIPPO_DEFAULT_RATE_LIMIT;
  const entries = Object.entries(SHIPPO_LIVE_LIMITS).map(([kind, perMinute]) => [
    kind,
    { key: `${key}:${kind}`, perMinute: Math.max(1, Math.floor(perMinute * scale)) },
  ]);
  return Object.fromEntries(entries) as Record<ShippoCallKind, RateBudget>;
}
