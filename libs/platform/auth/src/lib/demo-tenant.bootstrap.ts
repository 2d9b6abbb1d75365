import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { TenantsService } from './tenants.service';

/**
 * Embedded mode, empty database: make a `demo` tenant and print its key once, only once the
 * service listens. A start that fails before (its port taken) makes no key nobody could use,
 * and the next start, with an empty database still, prints one. A shutdown waits for it, so the
 * database is never closed under it.
 */
@Injectable()
export class DemoTenantBootstrap implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DemoTenant');
  private creating: Promise<void> = Promise.resolve();

  constructor(
    private readonly tenants: TenantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mode !== 'embedded') return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return; // an application context without HTTP: nobody to give a key to
    const onListening = () => {
      const address = server.address() as AddressInfo | null;
      const port = address && typeof address === 'object' ? address.port : this.config.port;
      this.creating = this.createDemoTenant(port).catch((error: unknown) =>
        this.logger.error(`could not create the demo tenant: ${error instanceof Error ? error.message : error}`),
      );
    };
    if (server.listening) onListening();
    else server.once('listening', onListening);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.creating;
  }

  private async createDemoTenant(port: number): Promise<void> {
    if ((await this.tenants.countTenants()) > 0) return;
    const { apiKey } = await this.tenants.create('demo');
    // The key goes to the terminal once, never into the log stream: when stdout is not a
    // terminal (JSON logs to a file or a collector), it is printed on stderr instead.
    this.logger.log(`created tenant 'demo'; its API key is printed once (lost it? npm run demo-key)`);
    const out = process.stdout.isTTY ? process.stdout : process.stderr;
    out.write(
      `\n  demo API key: ${apiKey}\n  try: curl -H "Authorization: ShippoToken ${apiKey}" http://localhost:${port}/batches\n` +
        `  lost it? npm run demo-key (a new key; the old one stops working)\n\n`,
    );
  }
}
