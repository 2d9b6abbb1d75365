import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { AppConfig, WebhookSettings } from '@shipbatch/platform/config';
import { generateWebhookSecret, verifyWebhook, WebhookSender, WebhookUrlPolicy } from '@shipbatch/platform/webhooks';
import type { ClaimedDelivery, WebhookAttempt, WebhookDeliveryRepository, WebhookObjectRenderer } from '../../ports/webhook.repository';
import { DeliverWebhookUseCase } from './deliver-webhook.use-case';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 answering each request with the next status of `statuses` (the last one repeats). */
async function startReceiver(statuses: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)]);
      res.end('answer');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: `http://127.0.0.1:${port}/hooks/shipbatch`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Recorded = { id: string; attempt: WebhookAttempt; next: Parameters<WebhookDeliveryRepository['recordAttempt']>[2] };

/**
 * The delivery repository in memory, holding one delivery the way the database would: load gives
 * it while pending (and "leased"), keepBody keeps the first body, recordAttempt applies the step.
 */
function fakeDeliveries(initial: ClaimedDelivery) {
  const state = { delivery: { ...initial }, status: 'pending' as 'pending' | 'succeeded' | 'failed', leased: true, disabledWith: undefined as string | undefined };
  const recorded: Recorded[] = [];
  const kept: string[] = [];
  const repo: Pick<WebhookDeliveryRepository, 'load' | 'keepBody' | 'recordAttempt'> = {
    load: async (id) => (id === state.delivery.id && state.status === 'pending' && state.leased ? { ...state.delivery, eventPayload: { ...state.delivery.eventPayload } } : null),
    keepBody: async (id, body) => {
      kept.push(body);
      if (id === state.delivery.id && state.delivery.body === null) state.delivery.body = body;
      return state.delivery.body ?? body;
    },
    recordAttempt: async (id, attempt, next) => {
      recorded.push({ id, attempt, next });
      if (id !== state.delivery.id || state.status !== 'pending') return false;
      state.delivery.attempts += 1;
      state.delivery.firstAttemptAt ??= attempt.at;
      state.status = next.transition === 'delivered' ? 'succeeded' : next.transition === 'gave_up' ? 'failed' : 'pending';
      if (next.disableWebhook) state.disabledWith = next.disableWebhook;
      return true;
    },
  };
  return { repo: repo as WebhookDeliveryRepository, state, recorded, kept };
}

const settings: WebhookSettings = { allowedHosts: ['127.0.0.1'], timeoutMs: 5_000, retryBaseMs: 10_000, retryWindowMs: 24 * 60 * 60 * 1000, pollMs: 1_000 };
const config = { webhooks: settings } as AppConfig;

describe('DeliverWebhookUseCase', () => {
  const secret = generateWebhookSecret();
  const sender = new WebhookSender({ policy: new WebhookUrlPolicy({ allowedHosts: ['127.0.0.1'] }), timeoutMs: settings.timeoutMs });
  const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
  const receiver = async (statuses: number[]) => {
    const r = await startReceiver(statuses);
    receivers.push(r);
    return r;
  };

  const renders: Array<{ tenantId: string; event: string; objectId: string; eventPayload: Record<string, unknown> }> = [];
  const renderer: WebhookObjectRenderer = {
    render: async (tenantId, event, objectId, eventPayload) => {
      renders.push({ tenantId, event, objectId, eventPayload });
      return { object_id: objectId, status: eventPayload['status'], render: renders.length };
    },
  };

  const delivery = (url: string, over: Partial<ClaimedDelivery> = {}): ClaimedDelivery => ({
    id: 'msg_0123456789abcdef0123456789abcdef',
    tenantId: 't1',
    webhookId: 'wh_1',
    url,
    isTest: true,
    secret,
    event: 'batch_created',
    objectId: 'b_1',
    eventPayload: { status: 'VALID' },
    body: null,
    attempts: 0,
    firstAttemptAt: null,
    ...over,
  });

  let warn: jest.SpyInstance;
  beforeEach(() => {
    renders.length = 0;
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    warn.mockRestore();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('renders the body once and sends the same bytes under the same webhook-id on every retry, until a 2xx delivers it', async () => {
    const r = await receiver([500, 503, 204]);
    const fake = fakeDeliveries(delivery(r.url));
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config);

    await useCase.execute(fake.state.delivery.id);
    await useCase.execute(fake.state.delivery.id);
    await useCase.execute(fake.state.delivery.id);

    expect(renders).toEqual([{ tenantId: 't1', event: 'batch_created', objectId: 'b_1', eventPayload: { status: 'VALID' } }]);
    expect(fake.kept).toHaveLength(1);
    expect(r.received).toHaveLength(3);
    const bodies = new Set(r.received.map((x) => x.body));
    expect(bodies.size).toBe(1);
    expect(JSON.parse(r.received[0].body)).toEqual({ event: 'batch_created', test: true, data: { object_id: 'b_1', status: 'VALID', render: 1 } });
    for (const x of r.received) {
      expect(x.headers['webhook-id']).toBe(fake.state.delivery.id);
      expect(verifyWebhook(secret, x.body, x.headers as Record<string, string>)).toEqual(JSON.parse(r.received[0].body));
    }

    expect(fake.recorded.map((x) => [x.next.transition, x.attempt.outcome, x.attempt.statusCode])).toEqual([
      ['retry', 'failed', 500],
      ['retry', 'failed', 503],
      ['delivered', 'succeeded', 204],
    ]);
    expect(fake.recorded[2].next).toEqual({ transition: 'delivered', nextAttemptAt: undefined, disableWebhook: undefined });
    expect(fake.state.status).toBe('succeeded');

    // Settled: the next job for it (a duplicate) sends nothing.
    await useCase.execute(fake.state.delivery.id);
    expect(r.received).toHaveLength(3);
  });

  it('sends the body another attempt kept first, not its own rendering', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    const kept = JSON.stringify({ event: 'batch_created', test: true, data: { object_id: 'b_1', status: 'VALIDATING' } });
    fake.repo.keepBody = async () => kept;
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(r.received.map((x) => x.body)).toEqual([kept]);
  });

  it('2xx → delivered, with the attempt recorded', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    const before = Date.now();
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(fake.recorded).toHaveLength(1);
    const [{ id, attempt, next }] = fake.recorded;
    expect(id).toBe(fake.state.delivery.id);
    expect(attempt).toEqual({ at: expect.any(Date), outcome: 'succeeded', statusCode: 200, error: undefined, durationMs: expect.any(Number) });
    expect(attempt.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(next.transition).toBe('delivered');
    expect(JSON.parse(r.received[0].body)).toMatchObject({ event: 'batch_created', test: true });
  });

  it('500 → retry, the next attempt about retryDelayMs later (doubling with the attempt number)', async () => {
    const r = await receiver([500]);
    const fake = fakeDeliveries(delivery(r.url));
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config);
    const base = settings.retryBaseMs;

    for (const attemptNo of [1, 2, 3]) {
      const before = Date.now();
      await useCase.execute(fake.state.delivery.id);
      const after = Date.now();
      const { attempt, next } = fake.recorded[attemptNo - 1];
      expect(attempt).toMatchObject({ outcome: 'failed', statusCode: 500, error: 'HTTP 500' });
      expect(next.transition).toBe('retry');
      expect(next.disableWebhook).toBeUndefined();
      // retryDelayMs: base × 2^(n-1), minus up to 20 % jitter.
      const nominal = base * 2 ** (attemptNo - 1);
      const at = next.nextAttemptAt?.getTime() ?? NaN;
      expect(at).toBeGreaterThanOrEqual(before + Math.floor(nominal * 0.8));
      expect(at).toBeLessThanOrEqual(after + nominal);
    }
    expect(fake.state.status).toBe('pending');
    expect(fake.state.delivery.attempts).toBe(3);
  });

  it('a failure after the retry window → gave_up, no next attempt, the webhook stays on', async () => {
    const r = await receiver([500]);
    const firstAttemptAt = new Date(Date.now() - settings.retryWindowMs - 1_000);
    const fake = fakeDeliveries(delivery(r.url, { attempts: 17, firstAttemptAt, body: '{"event":"batch_created","test":true,"data":{}}' }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(renders).toEqual([]);
    expect(r.received.map((x) => x.body)).toEqual(['{"event":"batch_created","test":true,"data":{}}']);
    expect(fake.recorded[0].next).toEqual({ transition: 'gave_up', nextAttemptAt: undefined, disableWebhook: undefined });
    expect(fake.state.status).toBe('failed');
  });

  it('a failure inside the window is retried though many attempts were made', async () => {
    const r = await receiver([502]);
    const fake = fakeDeliveries(delivery(r.url, { attempts: 17, firstAttemptAt: new Date(Date.now() - settings.retryWindowMs + 60_000) }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(fake.recorded[0].next.transition).toBe('retry');
  });

  it('410 → gave_up and the webhook is disabled', async () => {
    const r = await receiver([410]);
    const fake = fakeDeliveries(delivery(r.url));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(fake.recorded).toHaveLength(1);
    expect(fake.recorded[0].attempt).toMatchObject({ outcome: 'gone', statusCode: 410 });
    expect(fake.recorded[0].next).toEqual({
      transition: 'gave_up',
      nextAttemptAt: undefined,
      disableWebhook: `the receiver answered 410 Gone to delivery ${fake.state.delivery.id}`,
    });
    expect(fake.state).toMatchObject({ status: 'failed', disabledWith: expect.stringContaining('410') });
  });

  it('a refused URL is recorded as a failed attempt and retried, with nothing sent', async () => {
    const r = await receiver([200]);
    // Plain http on a live webhook: the policy refuses it before connecting.
    const fake = fakeDeliveries(delivery(r.url, { isTest: false, url: r.url.replace('127.0.0.1', '10.0.0.1') }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.state.delivery.id);
    expect(r.received).toEqual([]);
    expect(fake.recorded[0].attempt).toMatchObject({ outcome: 'refused' });
    expect(fake.recorded[0].next.transition).toBe('retry');
  });

  it('sends nothing for a delivery load() does not return (settled, deleted, or no longer leased)', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    fake.state.leased = false;
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config);
    await useCase.execute(fake.state.delivery.id);
    await useCase.execute('msg_unknown');
    expect(r.received).toEqual([]);
    expect(renders).toEqual([]);
    expect(fake.kept).toEqual([]);
    expect(fake.recorded).toEqual([]);
  });
});
