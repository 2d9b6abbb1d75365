import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { AdminController } from './admin.controller';
import { ApiKeyGuard } from './api-key.guard';
import { DemoTenantBootstrap } from './demo-tenant.bootstrap';
import { LocalControl } from './local-control';
import { LocalKeysController } from './local-keys.controller';
import { FlexibleRequestLimiter } from './rate-limit/flexible-request.limiter';
import { RateLimitMiddleware } from './rate-limit/rate-limit.middleware';
import { TenantsService } from './tenants.service';
import { REQUEST_LIMITER } from './tokens';

/** How long the start waits for Redis before the first requests may be served unlimited. */
const REDIS_READY_WAIT_MS = 5_000;

@Global()
@Module({
  controllers: [AdminController, LocalKeysController],
  providers: [
    TenantsService,
    ApiKeyGuard,
    DemoTenantBootstrap,
    LocalControl,
    RateLimitMiddleware,
    {
      // Redis in scale-out (every API process shares the counts), memory in embedded mode; none with a limit of 0.
      provide: REQUEST_LIMITER,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        if (config.apiRateLimitPerMinute === 0) return null;
        const limiter = new FlexibleRequestLimiter({
          limitPerMinute: config.apiRateLimitPerMinute,
          redisUrl: config.redisUrl,
          keyPrefix: `${config.queuePrefix}:ratelimit`,
        });
        await limiter.connected(REDIS_READY_WAIT_MS);
        return limiter;
      },
    },
  ],
  exports: [TenantsService, ApiKeyGuard, RateLimitMiddleware, REQUEST_LIMITER],
})
export class AuthModule {}
