import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RequestLimiter, RequestLimitVerdict } from './request-limiter';

/** The window: limits are per minute. */
const WINDOW_SECONDS = 60;

export interface FlexibleRequestLimiterOptions {
  /** Requests a key may make a minute (at least 1). */
  limitPerMinute: number;
  /** Scale-out: counts kept in Redis, shared by every API process; unset: in this process's memory (embedded). */
  redisUrl?: string;
  /** Redis key prefix (`<QUEUE_PREFIX>:ratelimit`); a key's counter is `<prefix>:<key>`. */
  keyPrefix: string;
  /** The longest a Redis command may take before the request is served unlimited (ms). */
  commandTimeoutMs?: number;
  /** At most one warning this often while Redis cannot be reached (ms). */
  warnEveryMs?: number;
  logger?: { warn(message: string): void; log(message: string): void };
}

/**
 * RequestLimiter on `rate-limiter-flexible`: RateLimiterRedis (one Lua script a request: INCR
 * and the key's TTL, atomically, on Redis's clock) in scale-out, RateLimiterMemory in embedded
 * mode (one process serves the API). Fixed windows of a minute starting at a key's first
 * request, as ShipStation counts. When Redis does not answer (down, not yet connected, slower
 * than `commandTimeoutMs`) the request is let through unlimited and a warning is logged at most
 * once every `warnEveryMs`, counting the requests so served.
 */
export class FlexibleRequestLimiter implements RequestLimiter, OnApplicationShutdown {
  readonly limit: number;
  readonly store: 'redis' | 'memory';
  private readonly limiter: RateLimiterAbstract;
  private readonly redis?: Redis;
  private readonly logger: { warn(message: string): void; log(message: string): void };
  private readonly warnEveryMs: number;
  private lastWarnAt = -Infinity;
  /** Requests served unlimited since the last warning. */
  private unlimited = 0;
  /** Whether the store failed since it last answered (to say once when it answers again). */
  private failing = false;

  constructor(options: FlexibleRequestLimiterOptions) {
    if (!Number.isInteger(options.limitPerMinute) || options.limitPerMinute < 1) {
      throw new Error(`a request limit is a positive whole number of requests a minute, got ${options.limitPerMinute}`);
    }
    this.limit = options.limitPerMinute;
    this.logger = options.logger ?? new Logger('RequestLimits');
    this.warnEveryMs = options.warnEveryMs ?? 60_000;
    const common = { points: this.limit, duration: WINDOW_SECONDS, keyPrefix: options.keyPrefix };
    if (options.redisUrl) {
      this.store = 'redis';
      // No offline queue: while Redis is away a request is served at once instead of waiting for it.
      this.redis = new Redis(options.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: options.commandTimeoutMs ?? 1_000,
        // A connection still being attempted at shutdown is dropped soon (ioredis waits 2 s).
        disconnectTimeout: 200,
      });
      this.redis.on('error', (error: Error) => this.storeFailed(error, false));
      this.limiter = new RateLimiterRedis({ ...common, storeClient: this.redis, rejectIfRedisNotReady: true });
    } else {
      this.store = 'memory';
      this.limiter = new RateLimiterMemory(common);
    }
  }

  /** Waits (at most `ms`) for Redis to be connected, so the first requests are counted; never throws. */
  async connected(ms: number): Promise<boolean> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      redis.on('ready', onReady);
    });
  }

  async take(key: string): Promise<RequestLimitVerdict | null> {
    try {
      const res = await this.limiter.consume(key);
      this.answered();
      return this.verdict(true, res);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.answered();
        return this.verdict(false, error);
      }
      this.storeFailed(error, true);
      return null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'end') return;
    if (redis.status !== 'ready') return redis.disconnect();
    await redis.quit().catch(() => redis.disconnect());
  }

  private verdict(allowed: boolean, res: RateLimiterRes): RequestLimitVerdict {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  private answered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log(`request limits count again: Redis answers (${this.unlimited} requests were served without a limit since the last warning)`);
    this.unlimited = 0;
    this.lastWarnAt = -Infinity;
  }

  /** A request served unlimited (`served`), or the Redis client's own error event. */
  private storeFailed(error: unknown, served: boolean): void {
    this.failing = true;
    if (served) this.unlimited++;
    const now = Date.now();
    if (now - this.lastWarnAt < this.warnEveryMs) return;
    this.lastWarnAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `request limits are not enforced while Redis cannot be reached (${reason}); requests are served without a limit ` +
        `(${this.unlimited} so far since the last warning; at most one warning every ${Math.round(this.warnEveryMs / 1000)} s)`,
    );
    this.unlimited = 0;
  }
}
