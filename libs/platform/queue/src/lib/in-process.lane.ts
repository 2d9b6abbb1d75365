import { Fifo } from './in-process.fifo';
import type { EnqueueOptions } from './queue.port';


/** The job-like object the in-process driver hands to a processor's `process(job)`. */
export interface InProcessJob {
  id: string;
  name: string;
  data: object;
  /** Failed attempts so far: 0 on the first run, 1 on the first retry, and so on. */
  attemptsMade: number;
  opts: EnqueueOptions;
  timestamp: number;
}

/** What the in-process driver calls: the `process` method of an `@nestjs/bullmq` processor. */
export interface JobProcessor {
  process(job: InProcessJob): Promise<unknown>;
}

/**
 * One queue of the in-process driver: the waiting jobs, one FIFO per group
 * (`EnqueueOptions.group`, `''` without one) taken round robin (one job of each group with jobs
 * waiting per turn), counters, the job ids still waiting or delayed, and the processor that runs
 * its jobs in this process, if any.
 */
export class InProcessLane {
  private readonly groups = new Map<string, Fifo<InProcessJob>>();
  /** Groups with jobs waiting, in turn order: the first gives the next job. */
  private turns = new Fifo<string>();
  private count = 0;
  readonly pendingIds = new Set<string>();
  active = 0;
  delayed = 0;
  processor?: JobProcessor;
  concurrency = 1;

  constructor(readonly name: string) {}

  get waitingCount(): number {
    return this.count;
  }

  /** When the oldest waiting job was added (`timestamp`), if any waits. */
  get oldestWaitingTimestamp(): number | undefined {
    let oldest: number | undefined;
    for (const fifo of this.groups.values()) {
      const t = fifo.peek()?.timestamp;
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  push(job: InProcessJob): void {
    const group = job.opts.group ?? '';
    let fifo = this.groups.get(group);
    if (!fifo) {
      fifo = new Fifo<InProcessJob>();
      this.groups.set(group, fifo);
      this.turns.push(group);
    }
    fifo.push(job);
    this.count++;
  }

  /** The next job: the oldest of the group whose turn it is; that group goes to the back of the line. */
  take(): InProcessJob | undefined {
    const group = this.turns.shift();
    if (group === undefined) return undefined;
    const fifo = this.groups.get(group) as Fifo<InProcessJob>;
    const job = fifo.shift() as InProcessJob;
    this.count--;
    if (fifo.size > 0) this.turns.push(group);
    else this.groups.delete(group);
    return job;
  }

  /** Empties the waiting list; answers how many jobs were dropped. */
  clear(): number {
    const dropped = this.count;
    this.groups.clear();
    this.turns = new Fifo<string>();
    this.count = 0;
    this.pendingIds.clear();
    return dropped;
  }
}
