import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createRootLogger, createWorkerContext, exitGracefullyOnSignals } from '@shipbatch/app/composition/worker';
import { loadConfig } from '@shipbatch/platform/config';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode !== 'scale-out') {
    throw new Error('the worker runs in scale-out mode only (set DATABASE_URL and REDIS_URL); `npm start` runs everything embedded');
  }
  const app = await createWorkerContext(config);
  // SIGTERM: no new jobs, claims not started handed back, active ones finished (within
  // SHUTDOWN_GRACE_SECONDS), then exit 0; a second signal exits at once.
  exitGracefullyOnSignals(app, { graceMs: config.shutdownGraceMs });
  Logger.log('Shipbatch worker started', { mode: config.mode }, 'Main');
}

main().catch((error) => {
  // Before the context's logger exists (a configuration error) too: one line, JSON unless stderr is a terminal.
  createRootLogger({ level: 'fatal', name: 'worker', stream: process.stderr }).fatal({ err: error, context: 'Main' }, `Shipbatch worker did not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
