import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@shipbatch/platform/config';
import { createApiApp, createRootLogger } from '@shipbatch/app/composition';

async function main(): Promise<void> {
  // Embedded mode runs the workers in this process; scale-out leaves them to apps/worker.
  const config = loadConfig(process.env, { runWorkers: !process.env['DATABASE_URL'] });
  const app = await createApiApp(config);
  await app.listen(config.port);
  Logger.log(`Shipbatch API (${config.mode}) listening on ${config.publicBaseUrl}; OpenAPI at /docs`, { mode: config.mode, port: config.port }, 'Main');
}

main().catch((error) => {
  // Before the app's logger exists (a configuration error) too: one line, JSON unless stderr is a terminal.
  createRootLogger({ level: 'fatal', name: 'api', stream: process.stderr }).fatal({ err: error, context: 'Main' }, `Shipbatch API did not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
