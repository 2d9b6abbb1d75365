import { Injectable } from '@nestjs/common';

/** Regular steps let through at once while an express job runs in the process. */
export const REGULAR_STEPS_WHILE_EXPRESS = 2;

/**
 * Express work first, inside one worker process (README, "Fair between tenants"). The express
 * lane gives a tenant with little to buy purchase slots of its own, but its job still shares the
 * process's event loop, database connections and file I/O with the regular jobs: 16 purchase
 * jobs of a 5,000-shipment batch and its 100-label merges make every await of the small job wait
 * its turn behind theirs. So while an express job runs here, the steps of regular work (a label
 * bought and stored, a label added to a merged file) go through at most
 * `regularStepsWhileExpress` at a time; the others wait for it to end or for a step to finish.
 * When no express job runs, regular steps are not held at all. Express jobs are small by
 * construction (at most PURCHASE_EXPRESS_MAX_SHIPMENTS shipments a tenant), so regular work is
 * slowed, never stopped.
 */
@Injectable()
export class ExpressFirst {
  regularStepsWhileExpress = REGULAR_STEPS_WHILE_EXPRESS;
  private expressJobs = 0;
  private regularSteps = 0;
  private readonly waiting: Array<() => void> = [];

  /** Express jobs running now. */
  get express(): number {
    return this.expressJobs;
  }

  /** Regular steps held now. */
  get held(): number {
    return this.waiting.length;
  }

  /** Runs an express job: regular steps are held back until it ends. */
  async expressJob<T>(job: () => Promise<T>): Promise<T> {
    this.expressJobs++;
    try {
      return await job();
    } finally {
      this.expressJobs--;
      if (this.expressJobs === 0) this.wake(this.waiting.length);
    }
  }

  /** Runs one step of regular work, at once unless an express job runs and enough regular steps are under way. */
  async regularStep<T>(step: () => Promise<T>): Promise<T> {
    const done = await this.regularTurn();
    try {
      return await step();
    } finally {
      done();
    }
  }

  /** Waits for a regular step's turn; the step ends when the answer is called (once). */
  async regularTurn(): ReturnType<Turn> {
    while (this.expressJobs > 0 && this.regularSteps >= this.regularStepsWhileExpress) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.regularSteps++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.regularSteps--;
      this.wake(1);
    };
  }

  private wake(n: number): void {
    for (const resolve of this.waiting.splice(0, n)) resolve();
  }
}

/** How a use case's steps are run: at once (no ExpressFirst in this process), or as regular steps. */
export type StepRunner = <T>(step: () => Promise<T>) => Promise<T>;

export const atOnce: StepRunner = (step) => step();

/** Waits for a step's turn; the step ends when the answer is called. */
export type Turn = () => Promise<() => void>;

/** A turn that is never waited for (work that does not give way). */
export const noWait: Turn = async () => () => undefined;
