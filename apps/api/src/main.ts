import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@shipbatch/platform/config';
import { DataDirLockedError } from '@shipbatch/platform/database';
import { createApiApp, createRootLogger, exitGracefullyOnSignals } from '@shipbatch/app/composition';

async function main(): Promise<void> {
  // Embedded mode runs the workers in this process; scale-out leaves them to apps/worker.
  const config = loadConfig(process.env, { runWorkers: !process.env['DATABASE_URL'] });
  // Embedded: opening the database takes DATA_DIR's lock first; a second process refuses here.
  const app = await createApiApp(config);
  try {
    // The demo tenant's key is made and printed once this succeeds (DemoTenantBootstrap), never before.
    await app.listen(config.port);
  } catch (error) {
    // The port is taken, say: close the database (and give DATA_DIR up) before exiting.
    await app.close().catch(() => undefined);
    throw error;
  }
  // SIGTERM: no new connections, requests in flight answered (and in embedded mode the workers
  // drained), within SHUTDOWN_GRACE_SECONDS, then exit 0; a second signal exits at once.
  exitGracefullyOnSignals(app, { graceMs: config.shutdownGraceMs, httpServer: app.getHttpServer() });
  Logger.log(`Shipbatch API (${config.mode}) listening on ${config.publicBaseUrl}; OpenAPI at /docs`, { mode: config.mode, port: config.port }, 'Main');
}

main().catch((error) => {
  // Before the app's logger exists (a configuration error) too: one line, JSON unless stderr is a terminal.
  // DATA_DIR held by another process is an answer, not a fault: its message says it all, no stack.
  const fields = error instanceof DataDirLockedError ? { data_dir: error.dataDir, holder_pid: error.holder.pid } : { err: error };
  createRootLogger({ level: 'fatal', name: 'api', stream: process.stderr }).fatal({ ...fields, context: 'Main' }, `Shipbatch API did not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
