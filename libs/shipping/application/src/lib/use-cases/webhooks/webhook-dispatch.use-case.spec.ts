import { Logger } from '@nestjs/common';
import type { AppConfig, WebhookSettings } from '@shipbatch/platform/config';
import type { EnqueueItem, QueuePort } from '@shipbatch/platform/queue';
import type { WebhookDeliveryRepository } from '../../ports/webhook.repository';
import { QUEUES } from '../../ports/tokens';
import { deliveryLeaseMs, DISPATCH_BATCH, RELAY_BATCH, WebhookDispatchUseCase, type WebhookDeliveryJobData } from './webhook-dispatch.use-case';

const settings: WebhookSettings = { allowedHosts: [], timeoutMs: 10_000, retryBaseMs: 10_000, retryWindowMs: 86_400_000, pollMs: 1_000 };
const config = { webhooks: settings } as AppConfig;

/** BullMQ's rule for custom job ids (Job.validateOptions): not an integer, and with ':' exactly three parts. */
function bullmqAcceptsJobId(jobId: string): boolean {
  if (`${parseInt(jobId, 10)}` === jobId) return false;
  return !jobId.includes(':') || jobId.split(':').length === 3;
}

function setup(opts: { relays?: Array<{ events: number; deliveries: number }>; claims?: string[][]; relayError?: Error } = {}) {
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
      return claims.shift() ?? [];
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
    it('leases due deliveries for three timeouts and more, and adds one job per delivery to the webhook-delivery queue', async () => {
      const ids = Array.from({ length: 5 }, (_, i) => `msg_${String(i).padStart(32, 'a')}`);
      const { useCase, claimCalls, added } = setup({ claims: [ids] });
      expect(await useCase.dispatch()).toBe(5);
      expect(claimCalls).toEqual([[DISPATCH_BATCH, deliveryLeaseMs(settings.timeoutMs)]]);
      expect(deliveryLeaseMs(settings.timeoutMs)).toBeGreaterThan(3 * settings.timeoutMs);

      expect(added).toHaveLength(1);
      expect(added[0].queue).toBe(QUEUES.webhookDelivery);
      expect(added[0].queue).toBe('webhook-delivery');
      expect(added[0].items.map((i) => i.data)).toEqual(ids.map((deliveryId) => ({ deliveryId }) satisfies WebhookDeliveryJobData));
      const jobIds = added[0].items.map((i) => i.options?.jobId ?? '');
      expect(new Set(jobIds).size).toBe(ids.length);
      for (const [n, jobId] of jobIds.entries()) {
        expect(jobId).toContain(ids[n]);
        expect(bullmqAcceptsJobId(jobId)).toBe(true);
        expect(jobId.split(':')).toHaveLength(3);
      }
      expect(added[0].items.every((i) => i.options?.delayMs === undefined)).toBe(true);
    });

    it('gives a delivery dispatched again (its lease ran out, or it is retried) a new job id', async () => {
      const id = 'msg_0123456789abcdef0123456789abcdef';
      const { useCase, added } = setup({ claims: [[id], [id]] });
      const now = jest.spyOn(Date, 'now');
      try {
        now.mockReturnValue(1_764_720_000_000);
        await useCase.dispatch();
        now.mockReturnValue(1_764_720_000_000 + deliveryLeaseMs(settings.timeoutMs));
        await useCase.dispatch();
      } finally {
        now.mockRestore();
      }
      const [first, second] = added.map((a) => a.items[0].options?.jobId);
      expect(first).not.toBe(second);
      expect([first, second].every((j) => j !== undefined && bullmqAcceptsJobId(j))).toBe(true);
    });

    it('adds nothing when nothing is due', async () => {
      const { useCase, added } = setup({ claims: [[]] });
      expect(await useCase.dispatch()).toBe(0);
      expect(added).toEqual([]);
    });
  });

  describe('tick', () => {
    it('relays, then dispatches', async () => {
      const { useCase, relayCalls, claimCalls, added } = setup({ relays: [{ events: 2, deliveries: 2 }], claims: [['msg_a', 'msg_b']] });
      await useCase.tick();
      expect(relayCalls).toHaveLength(1);
      expect(claimCalls).toHaveLength(1);
      expect(added[0].items).toHaveLength(2);
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
