import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type LoggerService, type Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Job } from 'bullmq';
import { InProcessQueue } from './in-process.queue';

import { QueueModule } from './queue.module';

import type { QueueModuleOptions } from './queue-module.options';

import { type QueuePort } from './queue.port';
import { type QueueInspector } from './queue-inspector.port';
import { QUEUE_INSPECTOR, QUEUE_PORT } from './tokens';


/** Written like the application's processors: typed with BullMQ's Job, using id, data and attemptsMade. */
type TestJob = Job<{ n: number }>;

/** Shared by the test processors: what ran, how many at once, and knobs to make jobs fail or wait. */
@Injectable()
class Recorder {
  readonly runs: Array<{ queue: string; n: number; attempt: number; id?: string }> = [];
  readonly done: Array<{ queue: string; n: number; attempt: number; id?: string }> = [];
  active = 0;
  maxActive = 0;
  failures = new Map<number, number>();
  gate?: Promise<void>;

  async handle(queue: string, job: TestJob): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      this.runs.push({ queue, n: job.data.n, attempt: job.attemptsMade, id: job.id });
      if (this.gate) await this.gate;
      await new Promise((r) => setImmediate(r));
      if (job.attemptsMade < (this.failures.get(job.data.n) ?? 0)) throw new Error(`job ${job.data.n} fails`);
      this.done.push({ queue, n: job.data.n, attempt: job.attemptsMade, id: job.id });
    } finally {
      this.active--;
    }
  }

  /** A gate that holds every job until opened. */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise<void>((r) => (open = r));
    return () => {
      this.gate = undefined;
      open();
    };
  }
}

@Processor('work', { concurrency: 3 })
class WorkProcessor extends WorkerHost {
  constructor(private readonly recorder: Recorder) {
    super();
  }
  process(job: TestJob): Promise<void> {
    return this.recorder.handle('work', job);
  }
}

@Processor('single')
class SingleProcessor extends WorkerHost {
  constructor(private readonly recorder: Recorder) {
    super();
  }
  process(job: TestJob): Promise<void> {
    return this.recorder.handle('single', job);
  }
}

class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: unknown) {
    this.lines.push({ level: 'log', message: String(message) });
  }
  error(message: unknown) {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown) {
    this.lines.push({ level: 'warn', message: String(message) });
  }
}

async function build(options: Partial<QueueModuleOptions> = {}, providers: Provider[] = [WorkProcessor, SingleProcessor]) {
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [QueueModule.forRoot({ queues: ['work', 'single'], backoffMs: 5, ...options })],
    providers: [Recorder, ...providers],
  }).compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  const driver = app.get(InProcessQueue);
  return { app, logger, driver, queue: app.get<QueuePort>(QUEUE_PORT), recorder: app.get(Recorder) };
}

const range = (count: number) => Array.from({ length: count }, (_, n) => n);

describe('InProcessQueue (QueueModule without a Redis URL)', () => {
  it('is the QUEUE_PORT and runs the @Processor classes it discovers', async () => {
    const { app, driver, queue, recorder } = await build();
    expect(queue).toBe(driver);
    await queue.addBulk('work', range(30).map((n) => ({ data: { n } })));
    await queue.add('single', { n: 100 });
    await driver.idle();
    expect(recorder.done.filter((r) => r.queue === 'work').map((r) => r.n).sort((a, b) => a - b)).toEqual(range(30));
    expect(recorder.done.filter((r) => r.queue === 'single').map((r) => r.n)).toEqual([100]);
    expect(new Set(recorder.done.map((r) => r.id)).size).toBe(31);
    await app.close();
  });

  it('respects the concurrency of each processor (default 1)', async () => {
    const { app, driver, queue, recorder } = await build();
    await queue.addBulk('work', range(20).map((n) => ({ data: { n } })));
    await driver.idle();
    expect(recorder.maxActive).toBe(3);

    recorder.maxActive = 0;
    await queue.addBulk('single', range(10).map((n) => ({ data: { n } })));
    await driver.idle();
    expect(recorder.maxActive).toBe(1);
    await app.close();
  });

  it('runs a queue at the concurrency QueueModule is given for it, over its processor\'s', async () => {
    const { app, driver, queue, recorder, logger } = await build({ concurrency: { work: 5, single: 2 } });
    await queue.addBulk('work', range(20).map((n) => ({ data: { n } })));
    await driver.idle();
    expect(recorder.maxActive).toBe(5);

    recorder.maxActive = 0;
    await queue.addBulk('single', range(10).map((n) => ({ data: { n } })));
    await driver.idle();
    expect(recorder.maxActive).toBe(2);
    expect(logger.lines.map((l) => l.message)).toContain("WorkProcessor processes 'work' (concurrency 5)");
    await app.close();
  });

  it('retries a job that threw, with attemptsMade increasing, and logs the failures', async () => {
    const { app, driver, queue, recorder, logger } = await build();
    recorder.failures.set(7, 2);
    await queue.add('work', { n: 7 }, { jobId: 'seven' });
    await driver.idle();
    expect(recorder.runs.map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(recorder.done).toEqual([{ queue: 'work', n: 7, attempt: 2, id: 'seven' }]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('job 7 fails'))).toHaveLength(2);
    await app.close();
  });

  it('gives up after the configured number of attempts', async () => {
    const { app, driver, queue, recorder, logger } = await build({ attempts: 3 });
    recorder.failures.set(1, 100);
    await queue.add('work', { n: 1 });
    await driver.idle();
    expect(recorder.runs.map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(recorder.done).toEqual([]);
    expect(logger.lines.some((l) => l.level === 'error' && l.message.includes('giving up'))).toBe(true);
    await app.close();
  });

  it('honours delayMs: a delayed job runs after one added later without a delay', async () => {
    const { app, driver, queue, recorder } = await build();
    await queue.add('single', { n: 2 }, { delayMs: 30 });
    expect(driver.counts('single').delayed).toBe(1);
    await queue.add('single', { n: 1 });
    await driver.idle();
    expect(recorder.done.map((r) => r.n)).toEqual([1, 2]);
    expect(driver.counts('single')).toEqual({ waiting: 0, delayed: 0, active: 0 });
    await app.close();
  });

  it('ignores a job id that is still waiting or delayed, and takes it again once it ran', async () => {
    const { app, driver, queue, recorder } = await build();
    await queue.add('single', { n: 1 }, { jobId: 'later', delayMs: 20 });
    await queue.add('single', { n: 2 }, { jobId: 'later' });
    const open = recorder.hold();
    await queue.add('single', { n: 3 });
    await queue.addBulk('single', [
      { data: { n: 4 }, options: { jobId: 'waiting' } },
      { data: { n: 5 }, options: { jobId: 'waiting' } },
    ]);
    await queue.add('single', { n: 6 }, { jobId: 'waiting' });
    expect(driver.counts('single')).toEqual({ waiting: 1, delayed: 1, active: 1 });
    open();
    await driver.idle();
    expect(recorder.done.map((r) => r.n).sort()).toEqual([1, 3, 4]);

    await queue.add('single', { n: 7 }, { jobId: 'later' });
    await driver.idle();
    expect(recorder.done.map((r) => r.n)).toContain(7);
    await app.close();
  });

  it('serves the groups of a queue round robin: a small group is not kept behind a large one', async () => {
    const { app, driver, queue, recorder } = await build();
    const open = recorder.hold();
    await queue.addBulk('single', range(8).map((n) => ({ data: { n }, options: { group: 'big' } })));
    while (recorder.active === 0) await new Promise((r) => setImmediate(r));
    // 0 runs; 1..7 wait. A second group's jobs, then jobs without a group (the group ''):
    await queue.addBulk('single', [100, 101].map((n) => ({ data: { n }, options: { group: 'small' } })));
    await queue.add('single', { n: 200 });
    open();
    await driver.idle();
    // One job of each group with jobs waiting per turn, each group's own in the order added.
    expect(recorder.done.map((r) => r.n)).toEqual([0, 1, 100, 200, 2, 101, 3, 4, 5, 6, 7]);
    await app.close();
  });

  it('gives a group that comes back after its jobs ran its turn again, and a retried job waits its group\'s turn', async () => {
    const { app, driver, queue, recorder } = await build();
    recorder.failures.set(1, 1);
    const open = recorder.hold();
    await queue.addBulk('single', range(6).map((n) => ({ data: { n }, options: { group: 'a' } })));
    await queue.add('single', { n: 100 }, { group: 'b' });
    open();
    await driver.idle();
    // 1 fails once and comes back after its backoff, at the back of its group.
    expect(recorder.done.map((r) => r.n)).toEqual([0, 100, 2, 3, 4, 5, 1]);
    const again = recorder.hold();
    await queue.addBulk('single', [10, 11, 12].map((n) => ({ data: { n }, options: { group: 'a' } })));
    while (recorder.active === 0) await new Promise((r) => setImmediate(r));
    await queue.add('single', { n: 101 }, { group: 'b' });
    again();
    await driver.idle();
    expect(recorder.done.map((r) => r.n).slice(7)).toEqual([10, 11, 101, 12]);
    await app.close();
  });

  it('counts waiting and delayed jobs of a queue, not running ones, through the port', async () => {
    const { app, driver, queue, recorder } = await build();
    const open = recorder.hold();
    await queue.add('single', { n: 1 });
    await queue.add('single', { n: 2 });
    await queue.add('single', { n: 3 }, { delayMs: 60_000 });
    await new Promise((r) => setImmediate(r));
    expect(driver.counts('single')).toEqual({ waiting: 1, delayed: 1, active: 1 });
    expect(await queue.waiting('single')).toBe(2);
    expect(await queue.waiting('work')).toBe(0);
    open();
    await app.close();
  });

  it('keeps jobs for a queue without a processor here, says so, and does not count them in idle()', async () => {
    const { app, driver, queue, recorder, logger } = await build({ queues: ['work', 'single', 'orphan'] });
    await queue.add('orphan', { n: 1 });
    await queue.add('orphan', { n: 2 });
    await driver.idle();
    expect(driver.counts('orphan').waiting).toBe(2);
    expect(recorder.runs).toEqual([]);
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes("'orphan'"))).toBe(true);
    await app.close();
  });

  it('shows its depth to the QUEUE_INSPECTOR: waiting, active, delayed and the age of the oldest waiting job', async () => {
    const { app, queue, recorder } = await build({ queues: ['work', 'single', 'orphan'] });
    const inspector = app.get<QueueInspector>(QUEUE_INSPECTOR);
    expect(inspector.queueNames()).toEqual(['work', 'single', 'orphan']);
    await inspector.ping();
    expect(await inspector.depth('orphan')).toEqual({ waiting: 0, active: 0, delayed: 0, oldestWaitingAgeMs: 0 });
    const open = recorder.hold();
    await queue.add('orphan', { n: 1 });
    await queue.add('single', { n: 2 });
    await queue.add('single', { n: 3 });
    await queue.add('single', { n: 4 }, { delayMs: 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    const single = await inspector.depth('single');
    expect(single).toMatchObject({ waiting: 1, active: 1, delayed: 1 });
    expect(single.oldestWaitingAgeMs).toBeGreaterThanOrEqual(15);
    expect((await inspector.depth('orphan')).waiting).toBe(1);
    open();
    await app.close();
  });

  it('runs jobs added before the application started once it has', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [QueueModule.forRoot({ queues: ['single'] })],
      providers: [Recorder, SingleProcessor],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.get<QueuePort>(QUEUE_PORT).add('single', { n: 1 });
    expect(app.get(Recorder).runs).toEqual([]);
    await app.init();
    await app.get(InProcessQueue).idle();
    expect(app.get(Recorder).done.map((r) => r.n)).toEqual([1]);
    await app.close();
  });

  it('drains on close: waits for the running job, drops waiting ones, takes no new ones', async () => {
    const { app, driver, queue, recorder } = await build();
    const open = recorder.hold();
    await queue.addBulk('single', range(3).map((n) => ({ data: { n } })));
    while (recorder.active === 0) await new Promise((r) => setImmediate(r));
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    await queue.add('single', { n: 99 });
    open();
    await closing;
    expect(recorder.done.map((r) => r.n)).toEqual([0]);
    expect(driver.counts('single')).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('processes 10,000 jobs, yielding to the event loop between them', async () => {
    const { app, driver, queue, recorder } = await build({}, [WorkProcessor]);
    await queue.addBulk('work', range(10_000).map((n) => ({ data: { n }, options: { jobId: `j${n}` } })));
    const seenWhenOthersRan = await new Promise<number>((r) => setImmediate(() => r(recorder.done.length)));
    await driver.idle();
    expect(seenWhenOthersRan).toBeLessThan(100);
    expect(recorder.done).toHaveLength(10_000);
    expect(new Set(recorder.done.map((r) => r.n)).size).toBe(10_000);
    expect(recorder.maxActive).toBe(3);
    await app.close();
  });
});
