import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@shipbatch/platform/config';
import { createApiApp } from '@shipbatch/app/composition';

async function main(): Promise<void> {
  // Embedded mode runs the workers in this process; scale-out leaves them to apps/worker.
  const config = loadConfig(process.env, { runWorkers: !process.env['DATABASE_URL'] });
  const app = await createApiApp(config);
  await app.listen(config.port);
  Logger.log(`Shipbatch API (${config.mode}) listening on ${config.publicBaseUrl}; OpenAPI at /docs`, 'Main');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
