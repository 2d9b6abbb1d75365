import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@shipbatch/platform/config';
import { WorkerModule } from './worker.module';

/** Builds the worker process's application context (no HTTP). */
export async function createWorkerContext(config: AppConfig, options: { logger?: boolean } = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: options.logger === false ? ['error', 'warn'] : undefined,
  });
  app.enableShutdownHooks();
  return app;
}
