/**
 * A purchase refused for insufficient funds this many times in a row, each time with nothing
 * short (the balance read covers the label, or a top-up came after the refused purchase was
 * sent), fails: the provider refuses for a reason a top-up does not fix.
 */
export const MAX_UNFUNDED_RETRIES = 3;

/**
 * One shipment's rounds of "insufficient funds, funding, buy again" within one job run, until
 * `deadline` (ms since the epoch): its claim is leased, so past the deadline the shipment goes
 * back to the queue and is bought on a later run rather than outlive its lease.
 */
export class FundingRounds {
  private unfunded = 0;

  constructor(private readonly deadline: number) {}

  /**
   * Records a `retry` decision; `toppedUp`: a top-up came after the refused purchase was sent.
   * False once MAX_UNFUNDED_RETRIES retries in a row came without one.
   */
  retried(toppedUp: boolean): boolean {
    this.unfunded = toppedUp ? 0 : this.unfunded + 1;
    return this.unfunded < MAX_UNFUNDED_RETRIES;
  }

  /** Whether the deadline has passed. */
  overdue(now = Date.now()): boolean {
    return now > this.deadline;
  }

  /** How long until the deadline (0 once passed). */
  remainingMs(now = Date.now()): number {
    return Math.max(0, this.deadline - now);
  }
}
