import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { ReconcileUseCase } from '@shipbatch/shipping/application';

/** Runs the reconciler at start-up (everything is stale) and then every interval. */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reconcile: ReconcileUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run(0);
    const every = this.config.reconcileIntervalSeconds * 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.run(), every);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async run(staleMs?: number): Promise<void> {
    try {
      await this.reconcile.execute(staleMs);
    } catch (error) {
      this.logger.error(`reconcile failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
