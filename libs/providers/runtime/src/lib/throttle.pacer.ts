import {
  DEFAULT_MAX_PACE_WAIT_MS,
  paceIntervalMs,
  type PaceOptions,
  type ProviderPacer,
  ProviderRateLimitedError,
  type RateBudget,
} from '@shipbatch/providers/core';
import type { AccountThrottle } from '@shipbatch/platform/queue';

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ProviderPacer of the service: paces provider calls on an AccountThrottle (Redis in
 * scale-out, memory in embedded mode), so every worker shares one even schedule per budget.
 */
export class ThrottlePacer implements ProviderPacer {
  constructor(
    private readonly throttle: AccountThrottle,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {}

  async acquire(budget: RateBudget, options?: PaceOptions): Promise<void> {
    const wait = await this.throttle.schedule(
      budget.key,
      paceIntervalMs(budget.perMinute),
      options?.maxWaitMs ?? DEFAULT_MAX_PACE_WAIT_MS,
    );
    if (wait < 0) {
      throw new ProviderRateLimitedError(
        `rate budget ${budget.key}: the next of ${budget.perMinute} calls a minute is ${-wait} ms away`,
        { retryAfterMs: -wait, details: { paced: true } },
      );
    }
    if (wait > 0) await this.sleep(wait);
  }

  async pause(budget: RateBudget, ms: number): Promise<void> {
    await this.throttle.pause(budget.key, ms);
  }
}
