import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@shipbatch/platform/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode !== 'scale-out') {
    throw new Error('the worker runs in scale-out mode only (set DATABASE_URL and REDIS_URL); `npm start` runs everything embedded');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  // SIGTERM/SIGINT: stop taking jobs, let active ones finish (drain), then close.
  app.enableShutdownHooks();
  Logger.log('Shipbatch worker started', 'Main');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
