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
 * One queue of the in-process driver: a FIFO of waiting jobs (an array with a moving head, so
 * taking a job is O(1) amortized), counters, the job ids still waiting or delayed, and the
 * processor that runs its jobs in this process, if any.
 */
export class InProcessLane {
  private waiting: InProcessJob[] = [];
  private head = 0;
  readonly pendingIds = new Set<string>();
  active = 0;
  delayed = 0;
  processor?: JobProcessor;
  concurrency = 1;

  constructor(readonly name: string) {}

  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  /** When the job first in line was added (`timestamp`), if any waits. */
  get oldestWaitingTimestamp(): number | undefined {
    return this.waiting[this.head]?.timestamp;
  }

  push(job: InProcessJob): void {
    this.waiting.push(job);
  }

  take(): InProcessJob | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const job = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as InProcessJob;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      // Drop the consumed prefix now and then: O(1) amortized per job, never a shift per job.
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return job;
  }

  /** Empties the waiting list; answers how many jobs were dropped. */
  clear(): number {
    const dropped = this.waitingCount;
    this.waiting = [];
    this.head = 0;
    this.pendingIds.clear();
    return dropped;
  }
}
