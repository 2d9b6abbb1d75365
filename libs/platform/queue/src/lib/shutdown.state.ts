import { Injectable, Logger } from '@nestjs/common';

/** Work to give back once the queue takes no more jobs (a claim held but not started, say). */
export type HandBack = () => Promise<void> | void;

/**
 * Where this process stands in a graceful shutdown (SIGTERM), shared by the readiness probe,
 * the queue drivers and the use cases that hold leases:
 * - `stopping`, from the signal on: `/health/ready` answers 503, so no new work is routed here;
 * - `draining`, once the queue driver takes no more jobs (BullMQ's workers closing, the
 *   in-process queue closed): every registered hand-back runs once, so what this process
 *   claimed but did not start goes back to the others at once, not after its lease.
 * A hand-back registered after the drain began runs at once.
 */
@Injectable()
export class ShutdownState {
  private readonly logger = new Logger('Shutdown');
  private readonly handBacks: HandBack[] = [];
  private stoppingSince?: number;
  private drainingRun?: Promise<void>;

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  get draining(): boolean {
    return this.drainingRun !== undefined;
  }

  /** The signal came: readiness says no from now on. */
  stop(): void {
    this.stoppingSince ??= Date.now();
  }

  /** Called by a queue driver once it takes no more jobs: runs every hand-back once (errors are logged, not thrown). */
  drain(): Promise<void> {
    this.stop();
    this.drainingRun ??= Promise.all(this.handBacks.map((h) => this.run(h))).then(() => undefined);
    return this.drainingRun;
  }

  onDrain(handBack: HandBack): void {
    this.handBacks.push(handBack);
    if (this.draining) void this.run(handBack);
  }

  private async run(handBack: HandBack): Promise<void> {
    try {
      await handBack();
    } catch (error) {
      // The leases then run out as after a crash: nothing is lost, only time.
      this.logger.error(`handing work back at shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
