import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { DATA_DIR_LOCK, type DataDirLock, LOCK_FILE } from '@shipbatch/platform/database';

/**
 * Embedded mode: how a command on this machine (`npm run demo-key`) reaches the service that
 * holds DATA_DIR. The database library's lock file, `DATA_DIR/service.json` (mode 0600), names
 * the holding process; once the service listens, this adds its port and the token of the local
 * routes (LocalKeysController) to it. Whoever can read that file could open the stopped database
 * anyway. Injecting the lock also makes this run only once the database (and its lock) is open.
 */
@Injectable()
export class LocalControl implements OnApplicationBootstrap {
  private readonly logger = new Logger('LocalControl');
  private readonly token = randomBytes(32).toString('hex');
  readonly enabled: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DATA_DIR_LOCK) private readonly lock: DataDirLock | null,
  ) {
    this.enabled = config.mode === 'embedded' && lock !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return; // an application context without HTTP: nothing to reach
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

  private publish(port: number): void {
    try {
      this.lock?.publish({ port, token: this.token });
    } catch (error) {
      this.logger.warn(`could not write ${join(this.lock?.dataDir ?? '', LOCK_FILE)}: ${(error as Error).message}`);
    }
  }
}
