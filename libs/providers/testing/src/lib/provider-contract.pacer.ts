import { type PaceOptions, type ProviderPacer, ProviderRateLimitedError, type RateBudget } from '@shipbatch/providers/core';

/** One call an adapter made on the pacer. */
export interface PacerCall {
  kind: 'acquire' | 'pause';
  budget: RateBudget;
  /** pause: how long; acquire: the maxWaitMs asked for, if any. */
  ms?: number;
  /** acquire: how many requests had reached the provider's server when it was called (when the suite can count them). */
  requestsBefore?: number;
  /** acquire: rejected with `rejection` instead of granting a slot. */
  rejected?: boolean;
}

/**
 * A pacer for the contract suite: grants every slot at once, records every acquire and pause,
 * and can be told to reject the next acquire with a paced ProviderRateLimitedError (as a real
 * pacer does when the slot is further away than the call may wait).
 */
export class RecordingPacer implements ProviderPacer {
  readonly calls: PacerCall[] = [];
  /** The last error an acquire was rejected with. */
  rejection?: ProviderRateLimitedError;
  private rejectNext?: number;
  private requestCount?: () => number;

  /** `count` is read at every acquire (requestsBefore), for checks that each request was paced first. */
  countRequestsWith(count: () => number): void {
    this.requestCount = count;
  }

  /** The next acquire rejects with a paced ProviderRateLimitedError (retryAfterMs as given). */
  rejectNextAcquire(retryAfterMs = 5_000): void {
    this.rejectNext = retryAfterMs;
  }

  acquires(): PacerCall[] {
    return this.calls.filter((c) => c.kind === 'acquire');
  }

  pauses(): PacerCall[] {
    return this.calls.filter((c) => c.kind === 'pause');
  }

  async acquire(budget: RateBudget, options?: PaceOptions): Promise<void> {
    const call: PacerCall = { kind: 'acquire', budget: { ...budget }, ms: options?.maxWaitMs, requestsBefore: this.requestCount?.() };
    this.calls.push(call);
    if (this.rejectNext !== undefined) {
      const retryAfterMs = this.rejectNext;
      this.rejectNext = undefined;
      call.rejected = true;
      this.rejection = new ProviderRateLimitedError(`paced: budget ${budget.key} has no slot within the wait allowed`, {
        retryAfterMs,
        details: { paced: true, budget: budget.key },
      });
      throw this.rejection;
    }
  }

  async pause(budget: RateBudget, ms: number): Promise<void> {
    this.calls.push({ kind: 'pause', budget: { ...budget }, ms });
  }
}
