import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { deleteRedisPrefix, eventually, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { InProcessQueue } from './in-process.queue';
import { QueueModule } from './queue.module';
import { QUEUE_PORT, type QueuePort } from './queue.port';

@Injectable()
class Record {
  readonly seen: Array<{ n: number; attempt: number; id?: string }> = [];
  active = 0;
  maxActive = 0;
  failFirst = new Set<number>();
  gate?: Promise<void>;
}

@Processor('work', { concurrency: 3 })
class WorkProcessor extends WorkerHost {
  constructor(@Inject(Record) private readonly record: Record) {
    super();
  }
  async process(job: { id?: string; data: { n: number }; attemptsMade: number }): Promise<void> {
    this.record.active++;
    this.record.maxActive = Math.max(this.record.maxActive, this.record.active);
    try {
      if (this.record.gate) await this.record.gate;
      await new Promise((r) => setImmediate(r));
      if (this.record.failFirst.has(job.data.n) && job.attemptsMade === 0) throw new Error('first attempt fails');
      this.record.seen.push({ n: job.data.n, attempt: job.attemptsMade, id: job.id });
    } finally {
      this.record.active--;
    }
  }
}

async function build(options: Parameters<typeof QueueModule.forRoot>[0]) {
  const moduleRef = await Test.createTestingModule({
    imports: [QueueModule.forRoot(options)],
    providers: [Record, WorkProcessor],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, queue: app.get<QueuePort>(QUEUE_PORT), record: app.get(Record) };
}

describe('QueueModule, in-process driver', () => {
  it('runs discovered @Processor classes with their concurrency', async () => {
    const { app, queue, record } = await build({ queues: ['work'] });
    await queue.addBulk('work', Array.from({ length: 30 }, (_, n) => ({ data: { n } })));
    await app.get(InProcessQueue).idle();
    expect(record.seen.map((s) => s.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(record.maxActive).toBe(3);
    await app.close();
  });

  it('retries a failed job with attemptsMade increasing', async () => {
    const { app, queue, record } = await build({ queues: ['work'] });
    record.failFirst.add(7);
    await queue.add('work', { n: 7 });
    await app.get(InProcessQueue).idle();
    expect(record.seen).toEqual([{ n: 7, attempt: 1, id: expect.any(String) }]);
    await app.close();
  });

  it('honours delays and ignores a job id that is still waiting', async () => {
    const { app, queue, record } = await build({ queues: ['work'] });
    await queue.add('work', { n: 2 }, { delayMs: 30, jobId: 'later' });
    await queue.add('work', { n: 3 }, { delayMs: 30, jobId: 'later' });
    await queue.add('work', { n: 1 });
    await app.get(InProcessQueue).idle();
    expect(record.seen.map((s) => s.n)).toEqual([1, 2]);
    await app.close();
  });

  it('drains: close waits for the running job', async () => {
    const { app, queue, record } = await build({ queues: ['work'] });
    let open!: () => void;
    record.gate = new Promise((r) => (open = r));
    await queue.add('work', { n: 1 });
    await eventually(async () => record.active, (a) => a === 1);
    const closed = app.close();
    setTimeout(() => open(), 20);
    await closed;
    expect(record.seen.map((s) => s.n)).toEqual([1]);
  });

  it('processes 10,000 jobs', async () => {
    const { app, queue, record } = await build({ queues: ['work'] });
    await queue.addBulk('work', Array.from({ length: 10_000 }, (_, n) => ({ data: { n }, options: { jobId: `j${n}` } })));
    await app.get(InProcessQueue).idle();
    expect(new Set(record.seen.map((s) => s.n)).size).toBe(10_000);
    await app.close();
  });
});

describe('QueueModule, BullMQ driver on Redis', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-queue');
  afterAll(() => deleteRedisPrefix(prefix));

  it('delivers jobs added through the port to the processor, de-duplicates job ids, retries', async () => {
    const { app, queue, record } = await build({ queues: ['work'], redisUrl: TEST_REDIS_URL, prefix });
    record.failFirst.add(5);
    await queue.addBulk('work', [{ data: { n: 1 } }, { data: { n: 2 }, options: { jobId: 'same' } }]);
    await queue.add('work', { n: 3 }, { jobId: 'same' });
    await queue.add('work', { n: 5 });
    await eventually(async () => record.seen.length, (n) => n >= 3);
    expect(record.seen.map((s) => s.n).sort()).toEqual([1, 2, 5]);
    expect(record.seen.find((s) => s.n === 5)?.attempt).toBe(1);
    await app.close();
  });
});
