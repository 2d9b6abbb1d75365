import type { Server } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { ShutdownState } from '@shipbatch/platform/queue';

export interface GracefulShutdownOptions {
  /** How long the drain may take before the process exits anyway (`SHUTDOWN_GRACE_SECONDS`). */
  graceMs: number;
  /** The API's HTTP server: it stops accepting connections first and lets the requests in flight finish. */
  httpServer?: Server;
  /** Ends the process; `process.exit` unless a test says otherwise. */
  exit?: (code: number) => void;
  /** The signals listened to; SIGTERM and SIGINT unless a test says otherwise. */
  signals?: NodeJS.Signals[];
}

/** The exit code of a second signal during the drain: as if killed by it (128 + its number). */
const KILLED_BY: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * SIGTERM or SIGINT ends the process gracefully and with exit code 0 (README, "Restarts"), in
 * place of Nest's shutdown hooks (which close the application, then kill the process again with
 * the signal, so it dies by it):
 * 1. readiness answers 503 (ShutdownState `stopping`);
 * 2. the API's HTTP server stops accepting connections and the requests in flight finish (idle
 *    kept-alive connections are closed as soon as they are idle);
 * 3. the application closes: queue workers take no new jobs, hand back what they claimed and did
 *    not start, and wait for their running jobs; then the database and Redis close;
 * 4. exit 0.
 * All of it within `graceMs`: past it, the process exits 0 anyway, leaving what is still in
 * flight to its leases (a purchase whose provider call is out is never handed back; it is looked
 * up by reference once its lease runs out). A second signal during the drain exits at once
 * (130 for SIGINT, 143 for SIGTERM).
 */
export function exitGracefullyOnSignals(app: INestApplicationContext, options: GracefulShutdownOptions): () => void {
  const logger = new Logger('Shutdown');
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      logger.warn(`${signal} again while draining: exiting now`);
      exit(KILLED_BY[signal] ?? 1);
      return;
    }
    draining = true;
    logger.log(`${signal}: draining (up to ${options.graceMs / 1000} s), then exiting`, { signal, grace_ms: options.graceMs });
    const timer = setTimeout(() => {
      logger.warn(`still draining after ${options.graceMs / 1000} s (SHUTDOWN_GRACE_SECONDS): exiting; what is still in flight is left to its leases`);
      exit(0);
    }, options.graceMs);
    void drain(app, options.httpServer).then(
      () => {
        clearTimeout(timer);
        logger.log('drained: exiting');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        exit(1);
      },
    );
  };
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);
  // For tests: stops listening.
  return () => signals.forEach((signal) => process.off(signal, onSignal));
}

async function drain(app: INestApplicationContext, httpServer?: Server): Promise<void> {
  app.get(ShutdownState, { strict: false }).stop();
  if (httpServer) await closeHttpServer(httpServer);
  await app.close();
}

/** Stops accepting connections and resolves once the requests in flight have been answered. */
function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    // A kept-alive connection is closed as soon as it is idle, not after keepAliveTimeout.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
