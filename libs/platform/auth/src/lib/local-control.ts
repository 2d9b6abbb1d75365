import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';

/**
 * `DATA_DIR/service.json`: how a command on this machine reaches the embedded service that has
 * DATA_DIR open (PGlite is single-process: while the service runs, nothing else may open the
 * data directory). Written when the service starts (port null) and again once it listens;
 * readable by the data directory's owner only. The token authorizes the local routes
 * (LocalKeysController); whoever can read it could open the stopped database anyway.
 */
export interface ServiceFile {
  pid: number;
  /** null while the service starts (the database may already be open). */
  port: number | null;
  token: string;
  startedAt: string;
}

export const SERVICE_FILE = 'service.json';

export function readServiceFile(dataDir: string): ServiceFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, SERVICE_FILE), 'utf8')) as Partial<ServiceFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return undefined;
    return {
      pid: parsed.pid,
      port: typeof parsed.port === 'number' ? parsed.port : null,
      token: parsed.token,
      startedAt: String(parsed.startedAt ?? ''),
    };
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeServiceFile(dataDir: string, file: ServiceFile): void {
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, SERVICE_FILE);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file) + '\n', { mode: 0o600 });
  renameSync(tmp, target);
}

/** Embedded mode: publishes DATA_DIR/service.json and checks the local routes' token. */
@Injectable()
export class LocalControl implements OnApplicationBootstrap {
  private readonly logger = new Logger('LocalControl');
  private readonly token = randomBytes(32).toString('hex');
  private readonly startedAt = new Date().toISOString();
  readonly enabled: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.enabled = config.mode === 'embedded';
    // As early as this process gets: from now on a local command must not open DATA_DIR itself.
    if (this.enabled) this.publish(null);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as import('node:http').Server | undefined;
    if (!server) return; // an application context without HTTP (the worker): nothing to reach
    const onListening = () => {
      const address = server.address() as AddressInfo | null;
      if (address && typeof address === 'object') this.publish(address.port);
    };
    if (server.listening) onListening();
    else server.once('listening', onListening);
  }

  /** Timing-safe comparison with this process's token. */
  accepts(given: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private publish(port: number | null): void {
    try {
      writeServiceFile(this.config.dataDir, { pid: process.pid, port, token: this.token, startedAt: this.startedAt });
    } catch (error) {
      this.logger.warn(`could not write ${join(this.config.dataDir, SERVICE_FILE)}: ${(error as Error).message}`);
    }
  }
}
