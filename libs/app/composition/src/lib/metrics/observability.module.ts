import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@shipbatch/platform/config';
import { MetricsModule, MetricsRegistry } from '@shipbatch/platform/metrics';
import { SHIPPING_METRICS, WEBHOOK_DELIVERY_REPOSITORY, type WebhookDeliveryRepository } from '@shipbatch/shipping/application';
import { PROVIDER_HTTP_OBSERVER } from '@shipbatch/shipping/data-access';
import type { ProcessName } from '../logging';
import { PrometheusProviderHttpMetrics } from './prometheus-provider-http.metrics';
import { PrometheusShippingMetrics } from './prometheus-shipping.metrics';
import { WebhookBacklogMetrics } from './webhook-backlog.metrics';

/**
 * Metrics and health probes of one process: the registry and probes (MetricsModule), and the
 * ports the shipping libraries report through: SHIPPING_METRICS (use cases) and
 * PROVIDER_HTTP_OBSERVER (the provider transports); the webhook backlog, read at scrape time
 * (WebhookBacklogMetrics). The API serves `/metrics` and
 * `/health/{live,ready}` on its port; a worker on METRICS_PORT when it is set.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, process: ProcessName): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        MetricsModule.forRoot({
          process,
          usesRedis: Boolean(config.redisUrl),
          controllers: process === 'api',
          listenPort: process === 'worker' ? config.metricsPort : undefined,
        }),
      ],
      providers: [
        { provide: SHIPPING_METRICS, inject: [MetricsRegistry], useFactory: (m: MetricsRegistry) => new PrometheusShippingMetrics(m) },
        { provide: PROVIDER_HTTP_OBSERVER, inject: [MetricsRegistry], useFactory: (m: MetricsRegistry) => new PrometheusProviderHttpMetrics(m) },
        {
          provide: WebhookBacklogMetrics,
          inject: [MetricsRegistry, WEBHOOK_DELIVERY_REPOSITORY],
          useFactory: (m: MetricsRegistry, d: WebhookDeliveryRepository) => new WebhookBacklogMetrics(m, d),
        },
      ],
      exports: [SHIPPING_METRICS, PROVIDER_HTTP_OBSERVER],
    };
  }
}
