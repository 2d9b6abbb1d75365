import { isWebhookSecret, WebhookUrlPolicy } from '@shipbatch/platform/webhooks';
import { InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { WebhookDeliveryRecord, WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookRecord, WebhookRepository } from './webhook.repository';
import { WebhooksService } from './webhooks.service';

/** Public names resolve to a public address; everything else to loopback (no real DNS). */
const resolve = async (host: string): Promise<string[]> => (host.endsWith('.example.com') ? ['93.184.216.34'] : ['127.0.0.1']);

function setup() {
  const stored = new Map<string, { record: WebhookRecord; secret: string }>();
  const updates: Array<{ tenantId: string; id: string; patch: object }> = [];
  const webhooks: WebhookRepository = {
    insert: async (record, secret) => {
      stored.set(record.id, { record: { ...record }, secret });
    },
    findById: async (tenantId, id) => {
      const s = stored.get(id);
      return s && s.record.tenantId === tenantId ? { ...s.record } : null;
    },
    list: async (tenantId, page, pageSize) => {
      const all = [...stored.values()].map((s) => s.record).filter((r) => r.tenantId === tenantId).reverse();
      return { results: all.slice((page - 1) * pageSize, page * pageSize), count: all.length };
    },
    update: async (tenantId, id, patch) => {
      updates.push({ tenantId, id, patch });
      const s = stored.get(id);
      if (!s || s.record.tenantId !== tenantId) return null;
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) (s.record as unknown as Record<string, unknown>)[k] = v;
      if (patch.active === true) s.record.disabledReason = null;
      return { ...s.record };
    },
    delete: async (tenantId, id) => {
      const s = stored.get(id);
      if (!s || s.record.tenantId !== tenantId) return false;
      stored.delete(id);
      return true;
    },
  };
  const delivery: WebhookDeliveryRecord = {
    id: 'msg_1',
    webhookId: '',
    eventId: '1',
    event: 'batch_created',
    objectId: 'b_1',
    status: 'failed',
    attempts: 3,
    lastStatusCode: 500,
    lastError: 'HTTP 500',
    nextAttemptAt: null,
    createdAt: new Date(0),
  };
  const deliveryCalls: string[] = [];
  const deliveryLog = {
    list: async (tenantId: string, webhookId: string, page: number, pageSize: number) => {
      deliveryCalls.push(`list ${tenantId}/${webhookId} ${page}/${pageSize}`);
      return { results: [{ ...delivery, webhookId }], count: 1 };
    },
    redeliver: async (tenantId: string, webhookId: string, id: string) => {
      deliveryCalls.push(`redeliver ${tenantId}/${webhookId}/${id}`);
      return id === delivery.id ? { ...delivery, webhookId, status: 'pending' as const, nextAttemptAt: new Date() } : null;
    },
  } as unknown as WebhookDeliveryRepository;
  const policy = new WebhookUrlPolicy({ allowedHosts: [], resolve });
  const check = jest.spyOn(policy, 'check');
  return { service: new WebhooksService(webhooks, deliveryLog, policy), stored, updates, deliveryCalls, check, webhooks };
}

/** The error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('WebhooksService', () => {
  describe('create', () => {
    it('stores the webhook with a whsec_ secret and returns both, defaulting to live and active', async () => {
      const { service, stored } = setup();
      const { webhook, secret } = await service.create('t1', { url: 'https://hooks.example.com/shipbatch', event: 'batch_purchased' });
      expect(secret).toMatch(/^whsec_/);
      expect(isWebhookSecret(secret)).toBe(true);
      expect(webhook).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        tenantId: 't1',
        url: 'https://hooks.example.com/shipbatch',
        event: 'batch_purchased',
        isTest: false,
        active: true,
        disabledReason: null,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
      });
      expect(stored.get(webhook.id)).toEqual({ record: webhook, secret });
      // Each webhook gets its own secret.
      const second = await service.create('t1', { url: 'https://hooks.example.com/other', event: 'all', isTest: true, active: false });
      expect(second.secret).not.toBe(secret);
      expect(second.webhook).toMatchObject({ isTest: true, active: false });
    });

    it('allows plain http only for a test webhook', async () => {
      const { service } = setup();
      await expect(service.create('t1', { url: 'http://hooks.example.com/x', event: 'all', isTest: true })).resolves.toMatchObject({ webhook: { isTest: true } });
      const error = await rejection(service.create('t1', { url: 'http://hooks.example.com/x', event: 'all' }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'url', code: 'webhook_url_refused', message: expect.stringMatching(/^url: .*https/) });
    });

    it.each([
      ['not a URL', 'hooks.example.com/x'],
      ['another scheme', 'ftp://hooks.example.com/x'],
      ['credentials', 'https://user:pw@hooks.example.com/x'],
      ['a loopback address', 'https://127.0.0.1/x'],
      ['a private address', 'https://10.1.2.3/x'],
      ['a metadata address', 'https://169.254.169.254/latest'],
      ['a name resolving to loopback', 'https://internal.local/x'],
    ])('refuses %s with InvalidInputError on url, storing nothing', async (_what, url) => {
      const { service, stored } = setup();
      const error = await rejection(service.create('t1', { url, event: 'all', isTest: true }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ kind: 'invalid_input', field: 'url', code: 'webhook_url_refused', message: expect.stringMatching(/^url: /) });
      expect(stored.size).toBe(0);
    });
  });

  describe('update', () => {
    it('re-checks the URL when url changes, and refuses a bad one without updating', async () => {
      const { service, updates, check } = setup();
      const { webhook } = await service.create('t1', { url: 'https://hooks.example.com/a', event: 'all' });
      check.mockClear();

      await expect(service.update('t1', webhook.id, { url: 'https://hooks.example.com/b' })).resolves.toMatchObject({ url: 'https://hooks.example.com/b' });
      expect(check).toHaveBeenLastCalledWith('https://hooks.example.com/b', { isTest: false });

      const error = await rejection(service.update('t1', webhook.id, { url: 'https://10.0.0.1/hook' }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'url' });
      expect(updates).toHaveLength(1);
      expect((await service.get('t1', webhook.id)).url).toBe('https://hooks.example.com/b');
    });

    it('re-checks the current URL when is_test changes: an http test webhook cannot become live', async () => {
      const { service, updates, check } = setup();
      const { webhook } = await service.create('t1', { url: 'http://hooks.example.com/a', event: 'all', isTest: true });
      check.mockClear();
      const error = await rejection(service.update('t1', webhook.id, { isTest: false }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'url' });
      expect(check).toHaveBeenCalledWith('http://hooks.example.com/a', { isTest: false });
      expect(updates).toEqual([]);

      // With an https URL in the same patch it may.
      await expect(service.update('t1', webhook.id, { isTest: false, url: 'https://hooks.example.com/a' })).resolves.toMatchObject({ isTest: false, url: 'https://hooks.example.com/a' });
    });

    it('checks a new http URL against the stored is_test', async () => {
      const { service } = setup();
      const test = await service.create('t1', { url: 'https://hooks.example.com/t', event: 'all', isTest: true });
      const live = await service.create('t1', { url: 'https://hooks.example.com/l', event: 'all' });
      await expect(service.update('t1', test.webhook.id, { url: 'http://hooks.example.com/t' })).resolves.toMatchObject({ url: 'http://hooks.example.com/t' });
      await expect(service.update('t1', live.webhook.id, { url: 'http://hooks.example.com/l' })).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('does not check the URL when only event or active change, and passes the patch on', async () => {
      const { service, updates, check } = setup();
      const { webhook } = await service.create('t1', { url: 'https://hooks.example.com/a', event: 'all' });
      check.mockClear();
      await expect(service.update('t1', webhook.id, { event: 'transaction_updated', active: false })).resolves.toMatchObject({ event: 'transaction_updated', active: false });
      expect(check).not.toHaveBeenCalled();
      expect(updates).toEqual([{ tenantId: 't1', id: webhook.id, patch: { url: undefined, event: 'transaction_updated', active: false, isTest: undefined } }]);
    });

    it('throws NotFoundError for another tenant\'s or an unknown webhook, and when it vanishes before the update', async () => {
      const { service, webhooks, updates } = setup();
      const { webhook } = await service.create('t1', { url: 'https://hooks.example.com/a', event: 'all' });
      await expect(service.update('t2', webhook.id, { active: false })).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.update('t1', 'nope', { url: 'https://hooks.example.com/b' })).rejects.toBeInstanceOf(NotFoundError);
      expect(updates).toEqual([]);
      webhooks.update = async () => null;
      await expect(service.update('t1', webhook.id, { active: false })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('get, list, delete, deliveries, redeliver', () => {
    it('gets, lists and deletes within the tenant, NotFoundError otherwise', async () => {
      const { service } = setup();
      const a = (await service.create('t1', { url: 'https://hooks.example.com/a', event: 'all' })).webhook;
      const b = (await service.create('t1', { url: 'https://hooks.example.com/b', event: 'all' })).webhook;
      await service.create('t2', { url: 'https://hooks.example.com/c', event: 'all' });

      expect(await service.get('t1', a.id)).toEqual(a);
      const notFound = await rejection(service.get('t2', a.id));
      expect(notFound).toBeInstanceOf(NotFoundError);
      expect(notFound).toMatchObject({ kind: 'not_found', code: 'webhook_not_found' });
      expect(await service.list('t1', 1, 10)).toEqual({ results: [b, a], count: 2 });

      await expect(service.delete('t2', a.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.delete('t1', a.id)).resolves.toBeUndefined();
      await expect(service.delete('t1', a.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.get('t1', a.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists and redelivers deliveries only of the tenant\'s webhook', async () => {
      const { service, deliveryCalls } = setup();
      const { webhook } = await service.create('t1', { url: 'https://hooks.example.com/a', event: 'all' });

      expect(await service.deliveries('t1', webhook.id, 2, 5)).toMatchObject({ count: 1, results: [{ webhookId: webhook.id }] });
      await expect(service.deliveries('t2', webhook.id, 1, 5)).rejects.toBeInstanceOf(NotFoundError);

      expect(await service.redeliver('t1', webhook.id, 'msg_1')).toMatchObject({ id: 'msg_1', status: 'pending', webhookId: webhook.id });
      await expect(service.redeliver('t2', webhook.id, 'msg_1')).rejects.toBeInstanceOf(NotFoundError);
      const missing = await rejection(service.redeliver('t1', webhook.id, 'msg_2'));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing).toMatchObject({ code: 'webhook_delivery_not_found' });

      // The other tenant never reached the delivery log.
      expect(deliveryCalls).toEqual([`list t1/${webhook.id} 2/5`, `redeliver t1/${webhook.id}/msg_1`, `redeliver t1/${webhook.id}/msg_2`]);
    });
  });
});
