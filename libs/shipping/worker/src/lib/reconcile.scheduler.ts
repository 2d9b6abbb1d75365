import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { QUEUE_STATE_WATCH, type QueueStateWatch } from '@shipbatch/platform/queue';
import { ReconcileUseCase } from '@shipbatch/shipping/application';

/** How long a pass that must run (start-up, lost queue state) waits for another process's pass before trying again. */
const LOCKED_RETRY_MS = 1_000;
/** Tries of such a pass before the periodic pass is left to do it. */
const LOCKED_TRIES = 30;
/** How long start-up waits to learn whether Redis kept the queues' state (unknown: everything is rung again). */
const FIRST_LOOK_MS = 5_000;

/**
 * Runs the reconciler at start-up (everything is stale, unless Redis kept the queues' jobs:
 * then what is stale), every RECONCILE_INTERVAL_SECONDS, and
 * as soon as the queue's state is found lost (Redis restarted empty or flushed: everything open
 * is rung again, staleMs 0). Passes of this process run one after another, never side by side.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private timer?: NodeJS.Timeout;
  private last: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly reconcile: ReconcileUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_STATE_WATCH) private readonly queueState: QueueStateWatch,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queueState.onLost(() => void this.run(0, true));
    // Joining workers whose jobs Redis holds (a rolling restart, a scale-up): only what is stale,
    // as on every tick; ringing everything open would queue it a second time, one job a shipment.
    const kept = await this.queueState.keptAtStart(FIRST_LOOK_MS);
    if (kept) this.logger.log(`the queues' state is in Redis: the start-up pass re-enqueues only stale work`);
    await this.run(kept ? undefined : 0);
    const every = this.config.reconcileIntervalSeconds * 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.run(), every);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.last;
  }

  /** Queues a pass after this process's previous one; `mustRun` tries again while another process holds the lock. */
  private run(staleMs?: number, mustRun = false): Promise<void> {
    this.last = this.last.then(() => this.pass(staleMs, mustRun));
    return this.last;
  }

  private async pass(staleMs: number | undefined, mustRun: boolean): Promise<void> {
    const started = Date.now();
    for (let tries = 1; !this.stopped; tries++) {
      try {
        const { ran } = await this.reconcile.execute(staleMs);
        if (ran && mustRun) this.logger.log(`everything open rung again after the queue's state was lost (${Date.now() - started} ms, ${tries} pass(es))`);
        if (ran || !mustRun || tries >= LOCKED_TRIES) return;
      } catch (error) {
        this.logger.error(`reconcile failed: ${error instanceof Error ? error.message : error}`);
        if (!mustRun || tries >= LOCKED_TRIES) return;
      }
      await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS));
    }
  }
}
