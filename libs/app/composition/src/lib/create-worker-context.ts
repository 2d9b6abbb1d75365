import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@shipbatch/platform/config';
import type { LogOptions } from './logging';
import { WorkerModule } from './worker.module';

/**
 * Builds the worker process's application context (no HTTP). `logger: false` keeps errors only;
 * `logStream` replaces stdout (see ./logging).
 */
export async function createWorkerContext(config: AppConfig, options: LogOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, options), {
    bufferLogs: true,
    // A failed start rejects here, reported once by the caller (see createApiApp).
    abortOnError: false,
    autoFlushLogs: false,
  });
  // The start-up lines buffered until now go out through pino here.
  app.useLogger(app.get(Logger));
  app.flushLogs();
  return app;
}
