import { Injectable } from '@nestjs/common';
import type { AccountThrottle } from './account-throttle.port';

import { exactMs, maxWaitMs as longestWait, wholeMs } from './rate-limit.util';


/**
 * Embedded mode: one process, so each key's next free slot lives in a Map (clock: Date.now()).
 * The same algorithm as RedisAccountThrottle's script: slots kept exact (fractional intervals
 * add up), each wait rounded up to whole milliseconds.
 */
@Injectable()
export class MemoryAccountThrottle implements AccountThrottle {
  private readonly nextSlot = new Map<string, number>();

  async schedule(key: string, intervalMs: number, maxWaitMs: number): Promise<number> {
    const now = Date.now();
    const next = Math.max(now, this.nextSlot.get(key) ?? now);
    const wait = Math.ceil(next - now);
    if (wait > longestWait(maxWaitMs)) return -Math.max(1, wait);
    const interval = exactMs(intervalMs);
    if (interval > 0) this.nextSlot.set(key, Math.round((next + interval) * 1000) / 1000); // to the microsecond, as in Redis
    else if (wait === 0) this.nextSlot.delete(key); // a slot in the past is "free now": forget it
    return wait;
  }

  async pause(key: string, ms: number): Promise<void> {
    const resume = Date.now() + wholeMs(ms);
    if (resume > (this.nextSlot.get(key) ?? 0)) this.nextSlot.set(key, resume);
  }
}
