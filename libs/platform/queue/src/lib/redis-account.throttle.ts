import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { AccountThrottle } from './account-throttle.port';

import { exactMs, maxWaitMs as longestWait, wholeMs } from './rate-limit.util';


/** Milliseconds a key outlives its next slot, so idle keys vanish without ever changing an answer. */
const KEY_GRACE_MS = 1000;

/**
 * Next free slot of KEYS[1] (an absolute time in ms, to the microsecond, on Redis's clock). ARGV:
 * interval ms (fractional; 0: unpaced), max wait ms. Answers the wait rounded up to whole ms
 * (>= 0, slot reserved) or -wait (not reserved). Slots keep the interval exact, so a fractional
 * interval (3.825 ms for 16,000 a minute) is not rounded up to the next millisecond each time.
 */
const SCHEDULE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local next = math.max(now, tonumber(redis.call('GET', KEYS[1])) or now)
local wait = math.ceil(next - now)
if wait > tonumber(ARGV[2]) then return -math.max(1, wait) end
local interval = tonumber(ARGV[1])
if interval > 0 then
  redis.call('SET', KEYS[1], string.format('%.3f', next + interval), 'PX', string.format('%d', math.ceil(wait + interval) + ${KEY_GRACE_MS}))
end
return wait`;

/** Moves the next free slot of KEYS[1] to at least now + ARGV[1] ms (never earlier). */
const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local resume = now + tonumber(ARGV[1])
if resume > (tonumber(redis.call('GET', KEYS[1])) or 0) then
  redis.call('SET', KEYS[1], string.format('%.3f', resume), 'PX', string.format('%d', math.ceil(resume - now) + ${KEY_GRACE_MS}))
end
return 0`;

type ThrottleCommands = Redis & {
  throttleSchedule(key: string, intervalMs: string, maxWaitMs: string): Promise<number>;
  throttlePause(key: string, ms: string): Promise<number>;
};

/**
 * Scale-out: each key's next free slot lives in Redis under `<prefix>:throttle:<key>`, read and
 * moved by one Lua script per call on Redis's own clock (TIME), so every worker on every
 * machine shares one schedule and one clock. Uses its own ioredis client, closed when the
 * application shuts down.
 */
@Injectable()
export class RedisAccountThrottle implements AccountThrottle, OnApplicationShutdown {
  private readonly logger = new Logger('RedisAccountThrottle');
  private readonly redis: ThrottleCommands;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    redis.defineCommand('throttleSchedule', { numberOfKeys: 1, lua: SCHEDULE_SCRIPT });
    redis.defineCommand('throttlePause', { numberOfKeys: 1, lua: PAUSE_SCRIPT });
    redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    this.redis = redis as ThrottleCommands;
  }

  async schedule(key: string, intervalMs: number, maxWaitMs: number): Promise<number> {
    const answer = await this.redis.throttleSchedule(
      this.key(key),
      String(exactMs(intervalMs)),
      String(longestWait(maxWaitMs)),
    );
    return Number(answer);
  }

  async pause(key: string, ms: number): Promise<void> {
    const pause = wholeMs(ms);
    if (pause > 0) await this.redis.throttlePause(this.key(key), String(pause));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(key: string): string {
    return `${this.prefix}:throttle:${key}`;
  }
}
