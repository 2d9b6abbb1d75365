import { Global, Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ApiKeyGuard } from './api-key.guard';
import { DemoTenantBootstrap } from './demo-tenant.bootstrap';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  controllers: [AdminController],
  providers: [TenantsService, ApiKeyGuard, DemoTenantBootstrap],
  exports: [TenantsService, ApiKeyGuard],
})
export class AuthModule {}
