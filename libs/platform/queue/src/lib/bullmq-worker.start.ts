import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullRegistrar } from '@nestjs/bullmq';
import { startedBullWorkers } from './bullmq-worker.log';

import { type QueueModuleOptions } from './queue-module.options';
import { QUEUE_MODULE_OPTIONS } from './tokens';


/**
 * Starts the BullMQ workers of the application's `@Processor`s (@nestjs/bullmq's registration,
 * which QueueModule makes manual) and gives each the concurrency QueueModule was given for its
 * queue. A worker is created running but reads its concurrency only once connected to Redis,
 * after this returns: no job is taken at the processor's own concurrency first.
 */
@Injectable()
export class BullMqWorkerStart implements OnModuleInit {
  constructor(
    private readonly registrar: BullRegistrar,
    private readonly discovery: DiscoveryService,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
  ) {}

  onModuleInit(): void {
    this.registrar.register();
    for (const worker of startedBullWorkers(this.discovery)) {
      const concurrency = this.options.concurrency?.[worker.name];
      if (concurrency !== undefined) worker.concurrency = concurrency;
    }
  }
}
