import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullMqQueue } from './bullmq.queue';

import { BullMqWorkerDrain } from './bullmq-worker.drain';

import { BullMqWorkerLog } from './bullmq-worker.log';

import { BullMqWorkerStart } from './bullmq-worker.start';

import { InProcessQueue } from './in-process.queue';

import { MemoryAccountThrottle } from './memory-account.throttle';

import { type QueueModuleOptions } from './queue-module.options';
import { DEFAULT_BACKOFF_MS, DEFAULT_JOB_ATTEMPTS } from './queue.port';
import { RedisAccountThrottle } from './redis-account.throttle';

import { redisConnection } from './redis-connection.util';
import { ShutdownState } from './shutdown.state';

import { InProcessQueueStateWatch } from './in-process-queue-state.watch';
import { redisReconnectDelay } from './queue-state.port';
import { RedisQueueStateWatch } from './redis-queue-state.watch';
import { ACCOUNT_THROTTLE, QUEUE_INSPECTOR, QUEUE_MODULE_OPTIONS, QUEUE_PORT, QUEUE_STATE_WATCH } from './tokens';


export const DEFAULT_QUEUE_PREFIX = 'shipbatch';

/**
 * The queue and the per-account throttle, global. With `redisUrl`: BullMQ queues on Redis
 * (scale-out) and a Redis throttle. Without: the in-process driver and a memory throttle
 * (embedded). Either way producers inject QUEUE_PORT and consumers are ordinary
 * `@nestjs/bullmq` processors declared by other modules.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    const shared: Provider[] = [{ provide: QUEUE_MODULE_OPTIONS, useValue: { ...options, prefix } }, ShutdownState];
    if (options.redisUrl) {
      const redisUrl = options.redisUrl;
      return {
        module: QueueModule,
        imports: [
          DiscoveryModule,
          BullModule.forRoot({
            // Reconnects within 2 s of Redis answering again (BullMQ's own delay grows to 20 s).
            connection: { ...redisConnection(redisUrl), retryStrategy: redisReconnectDelay },
            prefix,
            defaultJobOptions: {
              attempts: options.attempts ?? DEFAULT_JOB_ATTEMPTS,
              backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
              removeOnComplete: true,
              removeOnFail: { count: 1000 },
            },
            // BullMqWorkerStart registers the workers, to give them their concurrency first.
            extraOptions: { manualRegistration: true },
          }),
          BullModule.registerQueue(...options.queues.map((name) => ({ name }))),
        ],
        providers: [
          ...shared,
          BullMqQueue,
          BullMqWorkerStart,
          BullMqWorkerDrain,
          BullMqWorkerLog,
          { provide: QUEUE_PORT, useExisting: BullMqQueue },
          { provide: QUEUE_INSPECTOR, useExisting: BullMqQueue },
          { provide: ACCOUNT_THROTTLE, useFactory: () => new RedisAccountThrottle(redisUrl, prefix) },
          RedisQueueStateWatch,
          { provide: QUEUE_STATE_WATCH, useExisting: RedisQueueStateWatch },
        ],
        exports: [QUEUE_PORT, QUEUE_INSPECTOR, ACCOUNT_THROTTLE, QUEUE_MODULE_OPTIONS, ShutdownState, QUEUE_STATE_WATCH, BullModule],
      };
    }
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [
        ...shared,
        InProcessQueue,
        { provide: QUEUE_PORT, useExisting: InProcessQueue },
        { provide: QUEUE_INSPECTOR, useExisting: InProcessQueue },
        MemoryAccountThrottle,
        { provide: ACCOUNT_THROTTLE, useExisting: MemoryAccountThrottle },
        InProcessQueueStateWatch,
        { provide: QUEUE_STATE_WATCH, useExisting: InProcessQueueStateWatch },
      ],
      exports: [QUEUE_PORT, QUEUE_INSPECTOR, ACCOUNT_THROTTLE, QUEUE_MODULE_OPTIONS, ShutdownState, QUEUE_STATE_WATCH, InProcessQueue],
    };
  }
}
