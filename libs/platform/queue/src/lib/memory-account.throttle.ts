import { Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AccountThrottle } from './account-throttle.port';
import { consumePoint } from './rate-limit.util';

/**
 * Embedded mode: one process, so limits and pauses live in memory
 * (rate-limiter-flexible's RateLimiterMemory, one limiter per distinct per-minute budget).
 */
@Injectable()
export class MemoryAccountThrottle implements AccountThrottle {
  private readonly pausedUntil = new Map<string, number>();
  private readonly limiters = new Map<number, RateLimiterMemory>();

  async reserve(key: string, perMinute?: number): Promise<number> {
    const until = this.pausedUntil.get(key);
    if (until !== undefined) {
      const wait = until - Date.now();
      if (wait > 0) return wait;
      this.pausedUntil.delete(key);
    }
    if (!perMinute || perMinute <= 0) return 0;
    return consumePoint(this.limiter(perMinute), key);
  }

  async pause(key: string, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const until = Date.now() + Math.ceil(ms);
    if (until > (this.pausedUntil.get(key) ?? 0)) this.pausedUntil.set(key, until);
  }

  private limiter(perMinute: number): RateLimiterMemory {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `throttle:${perMinute}`, points: perMinute, duration: 60 });
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}
