import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ACCOUNT_THROTTLE, MemoryAccountThrottle, RedisAccountThrottle } from './account-throttle';
import { BullMqQueue } from './bullmq.queue';
import { InProcessQueue } from './in-process.queue';
import { DEFAULT_BACKOFF_MS, DEFAULT_JOB_ATTEMPTS, QUEUE_PORT } from './queue.port';

export interface QueueModuleOptions {
  /** Redis URL: BullMQ (scale-out). Absent: the in-process driver (embedded). */
  redisUrl?: string;
  /** Redis key prefix for queues and throttles. */
  prefix?: string;
  queues: string[];
  /** Informational: processors run wherever their providers are declared. */
  runWorkers?: boolean;
}

/** Parses a redis:// URL into the connection options BullMQ takes. */
export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    const prefix = options.prefix ?? 'shipbatch';
    if (options.redisUrl) {
      const redisUrl = options.redisUrl;
      return {
        module: QueueModule,
        imports: [
          BullModule.forRoot({
            connection: redisConnection(redisUrl),
            prefix,
            defaultJobOptions: {
              attempts: DEFAULT_JOB_ATTEMPTS,
              backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
              removeOnComplete: true,
              removeOnFail: { count: 1000 },
            },
          }),
          BullModule.registerQueue(...options.queues.map((name) => ({ name }))),
        ],
        providers: [
          BullMqQueue,
          { provide: QUEUE_PORT, useExisting: BullMqQueue },
          { provide: ACCOUNT_THROTTLE, useFactory: () => new RedisAccountThrottle(redisUrl, prefix) },
        ],
        exports: [QUEUE_PORT, ACCOUNT_THROTTLE, BullModule],
      };
    }
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [
        InProcessQueue,
        { provide: QUEUE_PORT, useExisting: InProcessQueue },
        MemoryAccountThrottle,
        { provide: ACCOUNT_THROTTLE, useExisting: MemoryAccountThrottle },
      ],
      exports: [QUEUE_PORT, ACCOUNT_THROTTLE, InProcessQueue],
    };
  }
}
