import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AccountThrottle } from './account-throttle.port';
import { consumePoint } from './rate-limit.util';

/** Sets the pause key unless a longer pause is already running (atomic, one round trip). */
const PAUSE_SCRIPT = `
local current = redis.call('PTTL', KEYS[1])
if current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return current`;

/**
 * Scale-out: limits (rate-limiter-flexible's RateLimiterRedis) and pauses (a key with a PX
 * expiry) live in Redis, so every worker on every machine sees the same budget. Uses its own
 * ioredis client, closed when the application shuts down.
 */
@Injectable()
export class RedisAccountThrottle implements AccountThrottle, OnApplicationShutdown {
  private readonly logger = new Logger('RedisAccountThrottle');
  private readonly redis: Redis;
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
  }

  async reserve(key: string, perMinute?: number): Promise<number> {
    const pausedMs = await this.redis.pttl(this.pauseKey(key));
    if (pausedMs > 0) return pausedMs;
    if (!perMinute || perMinute <= 0) return 0;
    return consumePoint(this.limiter(perMinute), key);
  }

  async pause(key: string, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    await this.redis.eval(PAUSE_SCRIPT, 1, this.pauseKey(key), String(Math.ceil(ms)));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private limiter(perMinute: number): RateLimiterRedis {
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
    return limiter;
  }

  private pauseKey(key: string): string {
    return `${this.prefix}:throttle:pause:${key}`;
  }
}
