import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QUEUE_INSPECTOR, type QueueInspector, ShutdownState } from '@shipbatch/platform/queue';
import { DataSource } from 'typeorm';
import { HealthProbesController } from './health-probes.controller';
import { HttpMetrics } from './http.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsHttpServer } from './metrics-http.server';
import { type MetricsProcess, MetricsRegistry } from './metrics.registry';
import { READINESS } from './metrics.tokens';
import { QueueMetrics } from './queue.metrics';
import { Readiness } from './readiness';

export interface MetricsModuleOptions {
  process: MetricsProcess;
  /** Scale-out: readiness asks Redis too. */
  usesRedis: boolean;
  /** The API: `/metrics`, `/health/live` and `/health/ready` as controllers on its own port. */
  controllers?: boolean;
  /** The worker: a listener of its own on this port (METRICS_PORT); none when unset. */
  listenPort?: number;
}

const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

/** Starts the worker's listener once the application is up; closes it first at shutdown. */
@Injectable()
class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private readonly server: MetricsHttpServer;

  constructor(@Inject(METRICS_OPTIONS) private readonly options: MetricsModuleOptions, metrics: MetricsRegistry, @Inject(READINESS) readiness: Readiness) {
    this.server = new MetricsHttpServer(metrics, readiness);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.listenPort === undefined) return;
    const port = await this.server.listen(this.options.listenPort);
    this.logger.log(`/metrics, /health/live and /health/ready on port ${port}`, { metrics_port: port });
  }

  onApplicationShutdown(): Promise<void> {
    return this.server.close();
  }
}

/**
 * This process's metrics registry and health probes, global: MetricsRegistry (default Node
 * metrics), HttpMetrics (the API's requests), QueueMetrics (depth per queue) and READINESS
 * (database, migrations, Redis; not ready once shutting down). Feature metrics register on MetricsRegistry from the
 * composition (their adapters). Needs the DataSource (DatabaseModule) and QUEUE_INSPECTOR (QueueModule).
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      controllers: options.controllers ? [MetricsController, HealthProbesController] : [],
      providers: [
        { provide: METRICS_OPTIONS, useValue: options },
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(options.process) },
        { provide: HttpMetrics, inject: [MetricsRegistry], useFactory: (m: MetricsRegistry) => new HttpMetrics(m) },
        { provide: QueueMetrics, inject: [MetricsRegistry, QUEUE_INSPECTOR], useFactory: (m: MetricsRegistry, q: QueueInspector) => new QueueMetrics(m, q) },
        {
          provide: READINESS,
          inject: [DataSource, QUEUE_INSPECTOR, { token: ShutdownState, optional: true }],
          useFactory: (ds: DataSource, q: QueueInspector, shutdown?: ShutdownState) => new Readiness(ds, q, options.usesRedis, undefined, shutdown),
        },
        ...(options.listenPort !== undefined ? [MetricsListener] : []),
      ],
      exports: [MetricsRegistry, HttpMetrics, READINESS],
    };
  }
}
