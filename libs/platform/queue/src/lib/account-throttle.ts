import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Provider rate limits per carrier account, shared by every worker. `reserve` answers how
 * long to wait before calling (0: go now); `pause` holds a key off for everyone after the
 * provider answered 429 with Retry-After.
 */
export interface AccountThrottle {
  reserve(key: string, perMinute?: number): Promise<number>;
  pause(key: string, ms: number): Promise<void>;
}

export const ACCOUNT_THROTTLE = Symbol('ACCOUNT_THROTTLE');

async function consume(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
    throw rejection;
  }
}

/** Embedded mode: one process, limits kept in memory (rate-limiter-flexible's RateLimiterMemory). */
@Injectable()
export class MemoryAccountThrottle implements AccountThrottle {
  private readonly pausedUntil = new Map<string, number>();
  private readonly limiters = new Map<number, RateLimiterMemory>();

  async reserve(key: string, perMinute?: number): Promise<number> {
    const until = this.pausedUntil.get(key) ?? 0;
    const wait = until - Date.now();
    if (wait > 0) return wait;
    if (until) this.pausedUntil.delete(key);
    if (!perMinute) return 0;
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiters.set(perMinute, limiter);
    }
    return consume(limiter, key);
  }

  async pause(key: string, ms: number): Promise<void> {
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, Date.now() + ms));
  }
}

/** Scale-out: limits and pauses in Redis, so every worker on every machine sees them. */
@Injectable()
export class RedisAccountThrottle implements AccountThrottle, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
  }

  async reserve(key: string, perMinute?: number): Promise<number> {
    const pausedMs = await this.redis.pttl(this.pauseKey(key));
    if (pausedMs > 0) return pausedMs;
    if (!perMinute) return 0;
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.prefix}:throttle:${perMinute}`,
        points: perMinute,
        duration: 60,
      });
      this.limiters.set(perMinute, limiter);
    }
    return consume(limiter, key);
  }

  async pause(key: string, ms: number): Promise<void> {
    const k = this.pauseKey(key);
    const current = await this.redis.pttl(k);
    if (current < ms) await this.redis.set(k, '1', 'PX', Math.ceil(ms));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private pauseKey(key: string): string {
    return `${this.prefix}:throttle:pause:${key}`;
  }
}
