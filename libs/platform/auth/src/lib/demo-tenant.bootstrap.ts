import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { TenantsService } from './tenants.service';

/** Embedded mode, empty database: make a `demo` tenant and print its key once. */
@Injectable()
export class DemoTenantBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoTenant');

  constructor(
    private readonly tenants: TenantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mode !== 'embedded' || (await this.tenants.countTenants()) > 0) return;
    const { apiKey } = await this.tenants.create('demo');
    // The key goes to the terminal once, never into the log stream: when stdout is not a
    // terminal (JSON logs to a file or a collector), it is printed on stderr instead.
    this.logger.log(`created tenant 'demo'; its API key is printed once (lost it? npm run demo-key)`);
    const out = process.stdout.isTTY ? process.stdout : process.stderr;
    out.write(
      `\n  demo API key: ${apiKey}\n  try: curl -H "Authorization: ShippoToken ${apiKey}" http://localhost:${this.config.port}/batches\n` +
        `  lost it? npm run demo-key (a new key; the old one stops working)\n\n`,
    );
  }
}
