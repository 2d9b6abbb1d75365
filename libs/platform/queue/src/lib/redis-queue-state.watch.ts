import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { type QueueModuleOptions } from './queue-module.options';
import { QUEUE_STATE_CHECK_MS, type QueueStateWatch, redisReconnectDelay } from './queue-state.port';
import { redisConnection } from './redis-connection.util';
import { QUEUE_MODULE_OPTIONS } from './tokens';

/**
 * The scale-out QueueStateWatch: a marker key (`<prefix>:queue-state`) lives beside the queues;
 * when it is gone, so are they. A watching process looks for it every QUEUE_STATE_CHECK_MS and
 * whenever its connection comes back (`ready`), and puts it back with `SET NX`: the one process
 * whose SET lands calls its listeners, the others find the key there. The first look is silent:
 * it answers `keptAtStart` instead (a process starting reconciles, ringing everything again only
 * when the key was not there). Only processes with listeners look (the workers), so an
 * API process can never take the news from them.
 */
@Injectable()
export class RedisQueueStateWatch implements QueueStateWatch, OnApplicationShutdown {
  private readonly logger = new Logger('QueueStateWatch');
  private readonly listeners: Array<() => void> = [];
  private readonly key: string;
  private readonly marker = randomBytes(8).toString('hex');
  private redis?: Redis;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private first = true;
  private resolveFirst?: (kept: boolean) => void;
  private readonly firstLook = new Promise<boolean>((resolve) => (this.resolveFirst = resolve));

  constructor(@Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions) {
    this.key = `${options.prefix}:queue-state`;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
    if (this.redis) return;
    const redis = new Redis({ ...redisConnection(this.options.redisUrl ?? ''), retryStrategy: redisReconnectDelay, maxRetriesPerRequest: 1 });
    this.redis = redis;
    redis.on('error', () => undefined); // BullMQ's own connections log the outage
    redis.on('ready', () => void this.check());
    this.timer = setInterval(() => void this.check(), QUEUE_STATE_CHECK_MS);
    this.timer.unref();
  }

  keptAtStart(withinMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
    return Promise.race([this.firstLook, late]).finally(() => clearTimeout(timer));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.redis?.disconnect();
  }

  /** Looks for the marker; answers whether the state was found lost. */
  async check(): Promise<boolean> {
    if (!this.redis || this.checking || this.redis.status !== 'ready') return false;
    this.checking = true;
    try {
      const set = await this.redis.set(this.key, this.marker, 'NX');
      const lost = set === 'OK' && !this.first;
      if (this.first) this.resolveFirst?.(set !== 'OK');
      this.first = false;
      if (lost) {
        this.logger.warn(`the queues' state in Redis is gone (Redis restarted empty or flushed): ringing every open piece of work again`);
        for (const listener of this.listeners) listener();
      }
      return lost;
    } catch {
      return false; // not connected: the next `ready` looks again
    } finally {
      this.checking = false;
    }
  }
}
