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
    this.logger.log(`created tenant 'demo'; its API key (shown once): ${apiKey}`);
    console.log(`\n  demo API key: ${apiKey}\n  try: curl -H "Authorization: ShippoToken ${apiKey}" http://localhost:${this.config.port}/batches\n`);
  }
}
