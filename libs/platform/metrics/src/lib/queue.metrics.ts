import type { QueueDepth, QueueInspector } from '@shipbatch/platform/queue';
import { Gauge } from 'prom-client';
import type { MetricsRegistry } from './metrics.registry';

/** Depths read at most this often: both gauges of one scrape share one read per queue. */
const FRESH_MS = 1_000;

/**
 * Queue depth at scrape time, from the QueueInspector: `shipbatch_queue_jobs{queue,state}`
 * (`waiting`, `active`, `delayed`) and `shipbatch_queue_oldest_waiting_seconds{queue}`. With
 * BullMQ the counts are Redis' (every process's jobs: the same on every process, so take the max,
 * not the sum); in process they are this process's lanes. A queue that cannot be read (Redis
 * down) is left out of the scrape rather than failing it.
 */
export class QueueMetrics {
  private read?: { at: number; depths: Promise<Array<[string, QueueDepth | undefined]>> };

  constructor(metrics: MetricsRegistry, private readonly inspector: QueueInspector) {
    // `collect` runs with the gauge as `this`: the depths come through this closure.
    const depths = () => this.depths();
    const registers = [metrics.registry];
    new Gauge({
      name: 'shipbatch_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, depth] of await depths()) {
          if (!depth) continue;
          this.set({ queue, state: 'waiting' }, depth.waiting);
          this.set({ queue, state: 'active' }, depth.active);
          this.set({ queue, state: 'delayed' }, depth.delayed);
        }
      },
    });
    new Gauge({
      name: 'shipbatch_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting to start in each queue (0 when none waits)',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, depth] of await depths()) {
          if (depth) this.set({ queue }, depth.oldestWaitingAgeMs / 1000);
        }
      },
    });
  }

  private depths(): Promise<Array<[string, QueueDepth | undefined]>> {
    const now = Date.now();
    if (!this.read || now - this.read.at > FRESH_MS) {
      const depths = Promise.all(
        this.inspector.queueNames().map(async (queue): Promise<[string, QueueDepth | undefined]> => [queue, await this.inspector.depth(queue).catch(() => undefined)]),
      );
      this.read = { at: now, depths };
    }
    return this.read.depths;
  }
}
