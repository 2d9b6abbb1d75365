import { ApiKeyEntity } from './lib/api-key.entity';
import { TenantEntity } from './lib/tenant.entity';

export * from './lib/api-key.guard';
export * from './lib/current-tenant.decorator';
export * from './lib/tenants.service';
export * from './lib/auth.module';
export * from './lib/demo-key';
export { LocalControl } from './lib/local-control';
export { ApiKeyEntity, TenantEntity };
export const AUTH_ENTITIES = [TenantEntity, ApiKeyEntity];
export * from './lib/tokens';
export * from './lib/rate-limit/request-limiter';
export * from './lib/rate-limit/flexible-request.limiter';
export * from './lib/rate-limit/rate-limit.middleware';
