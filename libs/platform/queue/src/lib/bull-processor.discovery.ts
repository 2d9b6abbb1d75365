import type { Logger } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { PROCESSOR_METADATA, WORKER_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import type { ProcessorOptions } from '@nestjs/bullmq';
import type { JobProcessor } from './in-process.lane';


export interface DiscoveredProcessor {
  queue: string;
  concurrency: number;
  instance: JobProcessor;
  className: string;
}

/**
 * Finds the providers carrying @nestjs/bullmq's `@Processor(name, workerOptions)` metadata,
 * the way @nestjs/bullmq's own explorer does (reading its metadata keys, so both stay in step),
 * and answers their queue name and `concurrency` (default 1).
 */
export function discoverBullProcessors(discovery: DiscoveryService, logger: Logger): DiscoveredProcessor[] {
  const found: DiscoveredProcessor[] = [];
  for (const wrapper of discovery.getProviders()) {
    // As in @nestjs/bullmq: useValue and useFactory providers have no usable metatype.
    const type = (!wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype) as
      | object
      | undefined;
    if (!type) continue;
    const meta = Reflect.getMetadata(PROCESSOR_METADATA, type) as ProcessorOptions | undefined;
    if (!meta?.name) continue;
    const className = (type as { name?: string }).name ?? 'anonymous';
    if (!wrapper.isDependencyTreeStatic()) {
      logger.warn(`processor ${className} for '${meta.name}' is request-scoped or transient: not supported in process`);
      continue;
    }
    const instance = wrapper.instance as Partial<JobProcessor> | undefined;
    if (!instance || typeof instance.process !== 'function') {
      logger.warn(`processor ${className} for '${meta.name}' has no process(job) method`);
      continue;
    }
    const worker = Reflect.getMetadata(WORKER_METADATA, type) as { concurrency?: number } | undefined;
    const concurrency = Math.max(1, Math.floor(worker?.concurrency ?? 1) || 1);
    found.push({ queue: meta.name, concurrency, instance: instance as JobProcessor, className });
  }
  return found;
}
