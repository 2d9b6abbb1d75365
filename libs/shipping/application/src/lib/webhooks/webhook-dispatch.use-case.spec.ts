import { Logger } from '@nestjs/common';
import type { AppConfig, WebhookSettings } from '@shipbatch/platform/config';
import type { EnqueueItem, QueuePort } from '@shipbatch/platform/queue';
import type { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { QUEUES } from '../tokens';
import { DELIVERIES_PER_JOB, deliveryLeaseMs, DISPATCH_BATCH, MAX_WAITING_JOBS, RELAY_BATCH, WebhookDispatchUseCase, type WebhookDeliveryJobData } from './webhook-dispatch.use-case';

const settings: WebhookSettings = { allowedHosts: [], timeoutMs: 10_000, retryBaseMs: 10_000, retryWindowMs: 86_400_000, pollMs: 1_000 };
const config = { webhooks: settings } as AppConfig;

/** BullMQ's rule for custom job ids (Job.validateOptions): not an integer, and with ':' exactly three parts. */
function bullmqAcceptsJobId(jobId: string): boolean {
  if (`${parseInt(jobId, 10)}` === jobId) return false;
  return !jobId.includes(':') || jobId.split(':').length === 3;
}

type Claim = Array<{ id: string; webhookId: string }>;

function setup(opts: { relays?: Array<{ events: number; deliveries: number }>; claims?: Claim[]; relayError?: Error; waiting?: number } = {}) {
  const relayCalls: number[] = [];
  const claimCalls: Array<[number, number]> = [];
  const relays = [...(opts.relays ?? [])];
  const claims = [...(opts.claims ?? [])];
  const deliveries = {
    relay: async (limit: number) => {
      relayCalls.push(limit);
      if (opts.relayError) throw opts.relayError;
      return relays.shift() ?? { events: 0, deliveries: 0 };
    },
    claimDue: async (limit: number, leaseMs: number) => {
      claimCalls.push([limit, leaseMs]);
      return { token: `00000000-0000-4000-8000-00000000000${claimCalls.length}`, deliveries: claims.shift() ?? [] };
    },
  } as unknown as WebhookDeliveryRepository;
  const added: Array<{ queue: string; items: EnqueueItem<object>[] }> = [];
  const queue: QueuePort = {
    add: async (q, data, options) => {
      added.push({ queue: q, items: [{ data, options }] });
    },
    addBulk: async (q, items) => {
      added.push({ queue: q, items });
    },
    waiting: async () => opts.waiting ?? 0,
  };
  return { useCase: new WebhookDispatchUseCase(deliveries, queue, config), relayCalls, claimCalls, added };
}

describe('WebhookDispatchUseCase', () => {
  describe('relay', () => {
    it('relays again while a full batch came back, and adds up the deliveries made', async () => {
      const { useCase, relayCalls } = setup({
        relays: [
          { events: RELAY_BATCH, deliveries: 900 },
          { events: RELAY_BATCH, deliveries: 0 },
          { events: 12, deliveries: 30 },
          { events: 0, deliveries: 0 },
        ],
      });
      expect(await useCase.relay()).toBe(930);
      expect(relayCalls).toEqual([RELAY_BATCH, RELAY_BATCH, RELAY_BATCH]);
    });

    it('stops after one statement when the outbox is empty', async () => {
      const { useCase, relayCalls } = setup();
      expect(await useCase.relay()).toBe(0);
      expect(relayCalls).toEqual([RELAY_BATCH]);
    });
  });

  describe('dispatch', () => {
    it('leases due deliveries for three timeouts and more, and adds jobs of up to DELIVERIES_PER_JOB deliveries of one webhook under the lease token', async () => {
      const a = Array.from({ length: DELIVERIES_PER_JOB + 3 }, (_, i) => ({ id: `msg_a${i}`, webhookId: 'wh_a' }));
      const b = [{ id: 'msg_b0', webhookId: 'wh_b' }];
      // Interleaved, as the fair claim returns them.
      const { useCase, claimCalls, added } = setup({ claims: [[a[0], b[0], ...a.slice(1)]] });
      expect(await useCase.dispatch()).toBe(a.length + 1);
      expect(claimCalls).toEqual([[DISPATCH_BATCH, deliveryLeaseMs(settings.timeoutMs)]]);
      expect(deliveryLeaseMs(settings.timeoutMs)).toBeGreaterThan(3 * settings.timeoutMs);

      expect(added).toHaveLength(1);
      expect(added[0].queue).toBe(QUEUES.webhookDelivery);
      expect(added[0].queue).toBe('webhook-delivery');
      const token = '00000000-0000-4000-8000-000000000001';
      expect(added[0].items.map((i) => i.data)).toEqual([
        { token, deliveryIds: a.slice(0, DELIVERIES_PER_JOB).map((d) => d.id) },
        { token, deliveryIds: a.slice(DELIVERIES_PER_JOB).map((d) => d.id) },
        { token, deliveryIds: ['msg_b0'] },
      ] satisfies WebhookDeliveryJobData[]);
      const jobIds = added[0].items.map((i) => i.options?.jobId ?? '');
      expect(new Set(jobIds).size).toBe(3);
      for (const jobId of jobIds) {
        expect(jobId).toContain(token);
        expect(bullmqAcceptsJobId(jobId)).toBe(true);
        expect(jobId.split(':')).toHaveLength(3);
      }
      expect(added[0].items.every((i) => i.options?.delayMs === undefined)).toBe(true);
    });

    it('gives deliveries dispatched again (their lease ran out, or they are retried) new job ids: one per claim', async () => {
      const d = { id: 'msg_0123456789abcdef0123456789abcdef', webhookId: 'wh_a' };
      const { useCase, added } = setup({ claims: [[d], [d]] });
      await useCase.dispatch();
      await useCase.dispatch();
      const [first, second] = added.map((x) => x.items[0].options?.jobId);
      expect(first).not.toBe(second);
      expect([first, second].every((j) => j !== undefined && bullmqAcceptsJobId(j))).toBe(true);
    });

    it('leases nothing while MAX_WAITING_JOBS delivery jobs still wait to start', async () => {
      const { useCase, claimCalls, added } = setup({ claims: [[{ id: 'msg_a', webhookId: 'wh_a' }]], waiting: MAX_WAITING_JOBS });
      expect(await useCase.dispatch()).toBe(0);
      expect(claimCalls).toEqual([]);
      expect(added).toEqual([]);
      const below = setup({ claims: [[{ id: 'msg_a', webhookId: 'wh_a' }]], waiting: MAX_WAITING_JOBS - 1 });
      expect(await below.useCase.dispatch()).toBe(1);
    });

    it('adds nothing when nothing is due', async () => {
      const { useCase, added } = setup({ claims: [[]] });
      expect(await useCase.dispatch()).toBe(0);
      expect(added).toEqual([]);
    });
  });

  describe('tick', () => {
    it('relays, then dispatches', async () => {
      const { useCase, relayCalls, claimCalls, added } = setup({ relays: [{ events: 2, deliveries: 2 }], claims: [[{ id: 'msg_a', webhookId: 'wh_a' }, { id: 'msg_b', webhookId: 'wh_a' }]] });
      await useCase.tick();
      expect(relayCalls).toHaveLength(1);
      expect(claimCalls).toHaveLength(1);
      expect(added[0].items.map((i) => i.data)).toEqual([{ token: expect.any(String), deliveryIds: ['msg_a', 'msg_b'] }]);
    });

    it('logs a failed pass instead of throwing; the next pass tries again', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const { useCase, claimCalls } = setup({ relayError: new Error('database is down') });
        await expect(useCase.tick()).resolves.toBeUndefined();
        expect(claimCalls).toEqual([]);
        expect(error).toHaveBeenCalledWith(expect.stringContaining('database is down'));
      } finally {
        error.mockRestore();
      }
    });
  });
});
