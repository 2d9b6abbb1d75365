import { getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { deleteRedisPrefix, eventually, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import type { Job, Queue } from 'bullmq';
import { BULK_CHUNK_SIZE, BullMqQueue } from './bullmq.queue';

import { QueueModule } from './queue.module';

import { type QueuePort } from './queue.port';
import { type QueueInspector } from './queue-inspector.port';
import { RedisAccountThrottle } from './redis-account.throttle';

import { ACCOUNT_THROTTLE, QUEUE_INSPECTOR, QUEUE_PORT } from './tokens';


@Injectable()
class Recorder {
  readonly runs: Array<{ n: number; attempt: number; id?: string }> = [];
  readonly done: Array<{ n: number; attempt: number; id?: string }> = [];
  active = 0;
  maxActive = 0;
  failures = new Map<number, number>();
  gate?: Promise<void>;
}

@Processor('work', { concurrency: 8 })
class WorkProcessor extends WorkerHost {
  constructor(private readonly recorder: Recorder) {
    super();
  }

  async process(job: Job<{ n: number }>): Promise<void> {
    const r = this.recorder;
    r.active++;
    r.maxActive = Math.max(r.maxActive, r.active);
    try {
      r.runs.push({ n: job.data.n, attempt: job.attemptsMade, id: job.id });
      if (r.gate) await r.gate;
      if (job.attemptsMade < (r.failures.get(job.data.n) ?? 0)) throw new Error(`job ${job.data.n} fails`);
      r.done.push({ n: job.data.n, attempt: job.attemptsMade, id: job.id });
    } finally {
      r.active--;
    }
  }
}

/** Every line the application logs, with the fields object a line carries (Nest passes it first, the context last). */
class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  private push(level: string, message: unknown, params: unknown[]) {
    const fields = params.find((p): p is Record<string, unknown> => typeof p === 'object' && p !== null);
    this.lines.push({ level, message: String(message), fields });
  }
  log(message: unknown, ...params: unknown[]) {
    this.push('log', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.push('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.push('error', message, params);
  }
}

describe('BullMqQueue (QueueModule with a Redis URL, Redis on 127.0.0.1)', () => {
  const runPrefix = uniqueRedisPrefix('shipbatch-test-queue');
  let testNo = 0;
  let app: INestApplication | undefined;

  async function build(options: { attempts?: number; concurrency?: Record<string, number> } = {}) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        // A prefix per test (all under the run's prefix): no job crosses from one test to the next.
        QueueModule.forRoot({ queues: ['work'], redisUrl: TEST_REDIS_URL, prefix: `${runPrefix}-${++testNo}`, backoffMs: 10, ...options }),
      ],
      providers: [Recorder, WorkProcessor],
    }).compile();
    const logger = new CapturingLogger();
    app = moduleRef.createNestApplication({ logger });
    await app.init();
    return {
      app,
      logger,
      port: app.get<QueuePort>(QUEUE_PORT),
      recorder: app.get(Recorder),
      processor: app.get(WorkProcessor),
      bull: app.get<Queue>(getQueueToken('work')),
    };
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => deleteRedisPrefix(runPrefix));

  it('provides the BullMQ driver and the Redis throttle, with the default job options', async () => {
    const { app, port, bull, recorder } = await build();
    // One round trip first: closing a BullMQ worker while its first stalled-jobs check is in
    // flight leaves BullMQ's 30 s stalled-check timer behind, which keeps jest from exiting.
    await port.add('work', { n: 0 });
    await eventually(async () => recorder.done.length, (n) => n === 1);
    expect(port).toBeInstanceOf(BullMqQueue);
    expect(app.get(ACCOUNT_THROTTLE)).toBeInstanceOf(RedisAccountThrottle);
    expect(bull.defaultJobOptions).toMatchObject({
      attempts: 8,
      backoff: { type: 'exponential', delay: 10 },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
  });

  it('runs a queue at the concurrency QueueModule is given for it, over its processor\'s', async () => {
    const { port, recorder, processor } = await build({ concurrency: { work: 2 } });
    expect(processor.worker.concurrency).toBe(2);
    let open!: () => void;
    recorder.gate = new Promise<void>((resolve) => (open = resolve));
    await port.addBulk('work', Array.from({ length: 6 }, (_, n) => ({ data: { n } })));
    await eventually(async () => recorder.runs.length, (n) => n === 2);
    open();
    await eventually(async () => recorder.done.length, (n) => n === 6);
    expect(recorder.maxActive).toBe(2);
  });

  it('keeps the processor\'s concurrency for a queue QueueModule is given none for', async () => {
    const { port, recorder, processor } = await build({ concurrency: { other: 2 } });
    await port.add('work', { n: 0 });
    await eventually(async () => recorder.done.length, (n) => n === 1);
    expect(processor.worker.concurrency).toBe(8);
  });

  it('shows every process\'s depth to the QUEUE_INSPECTOR from Redis, and answers its ping', async () => {
    const { app, port, recorder } = await build({ concurrency: { work: 1 } });
    const inspector = app.get<QueueInspector>(QUEUE_INSPECTOR);
    expect(inspector).toBeInstanceOf(BullMqQueue);
    expect(inspector.queueNames()).toEqual(['work']);
    await inspector.ping();
    let open!: () => void;
    recorder.gate = new Promise<void>((resolve) => (open = resolve));
    await port.addBulk('work', [{ data: { n: 1 } }, { data: { n: 2 } }, { data: { n: 3 }, options: { delayMs: 60_000 } }]);
    await eventually(async () => recorder.runs.length, (n) => n === 1);
    await new Promise((r) => setTimeout(r, 20));
    const depth = await inspector.depth('work');
    expect(depth).toMatchObject({ waiting: 1, active: 1, delayed: 1 });
    expect(depth.oldestWaitingAgeMs).toBeGreaterThanOrEqual(15);
    open();
    await eventually(async () => recorder.done.length, (n) => n === 2);
    expect((await inspector.depth('work')).oldestWaitingAgeMs).toBe(0);
  });

  it('delivers jobs added through the port to the @Processor, with their ids', async () => {
    const { port, recorder } = await build();
    await port.add('work', { n: 1 });
    await port.add('work', { n: 2 }, { jobId: 'job-two' });
    await eventually(async () => recorder.done.length, (n) => n === 2);
    expect(recorder.done.map((r) => r.n).sort()).toEqual([1, 2]);
    expect(recorder.done.find((r) => r.n === 2)?.id).toBe('job-two');
  });

  it('adds in bulk, in chunks', async () => {
    const { port, recorder, bull } = await build();
    const addBulk = jest.spyOn(bull, 'addBulk');
    const count = BULK_CHUNK_SIZE * 2 + 1;
    await port.addBulk('work', Array.from({ length: count }, (_, n) => ({ data: { n }, options: { jobId: `b${n}` } })));
    expect(addBulk).toHaveBeenCalledTimes(3);
    await eventually(async () => recorder.done.length, (n) => n === count);
    expect(new Set(recorder.done.map((r) => r.n)).size).toBe(count);
  });

  it('serves the groups of a queue in turns (fair priorities): a small group is not kept behind a large one', async () => {
    const { port, recorder } = await build({ concurrency: { work: 1 } });
    let open!: () => void;
    recorder.gate = new Promise<void>((resolve) => (open = resolve));
    await port.addBulk('work', Array.from({ length: 10 }, (_, n) => ({ data: { n }, options: { group: 'big' } })));
    await eventually(async () => recorder.runs.length, (n) => n === 1);
    // 0 runs, 1..9 wait; then a second group's jobs (in bulk, then one more) and one without a group.
    await port.addBulk('work', [100, 101].map((n) => ({ data: { n }, options: { group: 'small' } })));
    await port.add('work', { n: 102 }, { group: 'small' });
    await port.add('work', { n: 200 });
    open();
    await eventually(async () => recorder.done.length, (n) => n === 14);
    const order = recorder.done.map((r) => r.n);
    // Each group's jobs in the order added; every job of the later groups before the big group's last five.
    expect(order.filter((n) => n < 100)).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(order.filter((n) => n >= 100 && n < 200)).toEqual([100, 101, 102]);
    expect(order.slice(-5)).toEqual([5, 6, 7, 8, 9]);
  });

  it('starts a group that was idle level with the job first in line, whatever it was owed before', async () => {
    const { port, recorder } = await build({ concurrency: { work: 1 } });
    await port.addBulk('work', Array.from({ length: 5 }, (_, n) => ({ data: { n }, options: { group: 'a' } })));
    await eventually(async () => recorder.done.length, (n) => n === 5);
    let open!: () => void;
    recorder.gate = new Promise<void>((resolve) => (open = resolve));
    await port.add('work', { n: 100 }, { group: 'b' });
    await eventually(async () => recorder.runs.length, (n) => n === 6);
    // 'a' ran five jobs, 'b' none; the queue emptied, so neither is ahead: they take turns.
    await port.addBulk('work', [10, 11, 12, 13].map((n) => ({ data: { n }, options: { group: 'a' } })));
    await port.addBulk('work', [101, 102].map((n) => ({ data: { n }, options: { group: 'b' } })));
    open();
    await eventually(async () => recorder.done.length, (n) => n === 12);
    expect(recorder.done.slice(5).map((r) => r.n)).toEqual([100, 10, 101, 11, 102, 12, 13]);
  });

  it('does not add a job whose id is still delayed or waiting', async () => {
    const { port, recorder, bull } = await build();
    await port.add('work', { n: 1 }, { jobId: 'same', delayMs: 60_000 });
    await port.add('work', { n: 2 }, { jobId: 'same' });
    await port.addBulk('work', [{ data: { n: 3 }, options: { jobId: 'same' } }]);
    expect(await bull.getJobCounts('delayed', 'waiting', 'active', 'completed')).toMatchObject({
      delayed: 1,
      waiting: 0,
      active: 0,
      completed: 0,
    });
    expect((await bull.getJob('same'))?.data).toEqual({ n: 1 });
    expect(recorder.runs).toEqual([]);
  });

  it('adds a job again under the id of one that failed for good (the reconciler rings work again by id)', async () => {
    const { port, recorder, bull } = await build({ attempts: 1 });
    recorder.failures.set(7, 1);
    await port.add('work', { n: 7 }, { jobId: 'seven' });
    await eventually(async () => bull.getJobState('seven'), (state) => state === 'failed');
    recorder.failures.delete(7);
    await port.add('work', { n: 7 }, { jobId: 'seven' });
    await eventually(async () => recorder.done.length, (n) => n === 1);
    expect(recorder.done).toEqual([{ n: 7, attempt: 0, id: 'seven' }]);

    // The same through addBulk, beside a job whose id is new.
    recorder.failures.set(8, 1);
    await port.add('work', { n: 8 }, { jobId: 'eight' });
    await eventually(async () => bull.getJobState('eight'), (state) => state === 'failed');
    recorder.failures.delete(8);
    await port.addBulk('work', [
      { data: { n: 8 }, options: { jobId: 'eight' } },
      { data: { n: 9 }, options: { jobId: 'nine' } },
    ]);
    await eventually(async () => recorder.done.length, (n) => n === 3);
    expect(recorder.done.map((d) => d.id).sort()).toEqual(['eight', 'nine', 'seven']);
    expect(await bull.getJobCounts('failed')).toEqual({ failed: 0 });
  });

  it('counts the jobs not started yet (waiting and delayed) through the port', async () => {
    const { port, recorder } = await build();
    let open!: () => void;
    recorder.gate = new Promise<void>((r) => (open = r));
    await port.add('work', { n: 0 }, { delayMs: 60_000 });
    await port.addBulk('work', Array.from({ length: 10 }, (_, n) => ({ data: { n: n + 1 } })));
    // Eight run at once (the processor's concurrency); two wait, one is delayed.
    await eventually(async () => recorder.active, (n) => n === 8);
    expect(await port.waiting('work')).toBe(3);
    open();
    await eventually(async () => recorder.done.length, (n) => n === 10);
    expect(await port.waiting('work')).toBe(1);
  });

  it('retries a job that threw, with attemptsMade increasing', async () => {
    const { port, recorder } = await build();
    recorder.failures.set(5, 2);
    await port.add('work', { n: 5 });
    await eventually(async () => recorder.done.length, (n) => n === 1);
    expect(recorder.runs.map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(recorder.done[0]).toMatchObject({ n: 5, attempt: 2 });
  });

  it('logs each failed attempt with the job and the ids in its data: a warning while retried, an error when it gives up', async () => {
    const { port, recorder, logger } = await build({ attempts: 2 });
    recorder.failures.set(6, 5);
    await port.add('work', { n: 6, batchId: 'b_1', batchShipmentIds: ['s_1', 's_2'], note: 'not an id' }, { jobId: 'six' });
    const failures = () => logger.lines.filter((l) => l.message.includes('job work#six failed'));
    await eventually(async () => failures().length, (n) => n === 2);
    const [first, last] = failures();
    expect(first).toMatchObject({ level: 'warn', message: expect.stringContaining('attempt 1 of 2') });
    expect(first.message).toContain('job 6 fails');
    expect(first.fields).toEqual({ queue: 'work', job_id: 'six', attempt: 1, batch_id: 'b_1', batch_shipment_ids: ['s_1', 's_2'] });
    expect(last).toMatchObject({ level: 'error', message: expect.stringContaining('(attempt 2 of 2), giving up: job 6 fails') });
    expect(last.fields).toMatchObject({ queue: 'work', job_id: 'six', attempt: 2, batch_id: 'b_1' });
    expect((last.fields?.['err'] as Error).message).toBe('job 6 fails');
    expect(recorder.done).toEqual([]);
  });

  it('drains on close: the worker finishes its active job first', async () => {
    const built = await build();
    let open!: () => void;
    built.recorder.gate = new Promise((r) => (open = r));
    await built.port.add('work', { n: 9 });
    await eventually(async () => built.recorder.active, (n) => n === 1);
    let closed = false;
    const closing = built.app.close().then(() => (closed = true));
    app = undefined;
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    open();
    await closing;
    expect(built.recorder.done.map((r) => r.n)).toEqual([9]);
  });
});
