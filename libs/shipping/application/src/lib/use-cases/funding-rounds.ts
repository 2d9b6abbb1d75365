/**
 * A purchase refused for insufficient funds this many times in a row, each time with nothing
 * short (the balance read covers the label, or a top-up came after the refused purchase was
 * sent), fails: the provider refuses for a reason a top-up does not fix.
 */
export const MAX_UNFUNDED_RETRIES = 3;
/**
 * One job run spends at most this long on one shipment's insufficient funds (its claim is leased,
 * PURCHASE_LEASE_SECONDS): past it, the shipment goes back to the queue and is bought on a later run.
 */
export const FUNDING_ROUNDS_MAX_MS = 30_000;

/** One shipment's rounds of "insufficient funds, funding, buy again" within one job run. */
export class FundingRounds {
  private unfunded = 0;
  private since: number | null = null;

  /** Called on every insufficient-funds answer: the first one starts the clock. */
  begin(now = Date.now()): void {
    this.since ??= now;
  }

  /**
   * Records a `retry` decision; `toppedUp`: a top-up came after the refused purchase was sent.
   * False once MAX_UNFUNDED_RETRIES retries in a row came without one.
   */
  retried(toppedUp: boolean): boolean {
    this.unfunded = toppedUp ? 0 : this.unfunded + 1;
    return this.unfunded < MAX_UNFUNDED_RETRIES;
  }

  /** Whether this run has spent FUNDING_ROUNDS_MAX_MS on the shipment's funding. */
  overdue(now = Date.now()): boolean {
    return this.since !== null && now - this.since > FUNDING_ROUNDS_MAX_MS;
  }
}
