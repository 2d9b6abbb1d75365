import { Global, Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ApiKeyGuard } from './api-key.guard';
import { DemoTenantBootstrap } from './demo-tenant.bootstrap';
import { LocalControl } from './local-control';
import { LocalKeysController } from './local-keys.controller';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  controllers: [AdminController, LocalKeysController],
  providers: [TenantsService, ApiKeyGuard, DemoTenantBootstrap, LocalControl],
  exports: [TenantsService, ApiKeyGuard],
})
export class AuthModule {}
