import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { AppConfig, WebhookSettings } from '@shipbatch/platform/config';
import { generateWebhookSecret, verifyWebhook, WebhookSender, WebhookUrlPolicy } from '@shipbatch/platform/webhooks';
import type { ClaimedDelivery, DueDelivery, RecordedAttempt, WebhookDeliveryRepository, WebhookHealthChange } from './webhook-delivery.repository';
import type { WebhookObjectRenderer } from './webhook-object.renderer';
import { DeliverWebhookUseCase, NOT_SENT_PER_ROUND } from './deliver-webhook.use-case';
import { NO_SHIPPING_METRICS } from '../common/shipping-metrics.port';

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

type Recorded = RecordedAttempt;

/** A port on 127.0.0.1 nothing listens on (a receiver that is down: connection refused). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The delivery repository in memory, holding deliveries the way the database would: loadLeased
 * gives those pending and leased under the token, keepBodies keeps the first body, recordAttempts
 * applies each step and keeps the health changes; dueOf hands out `due` (the webhook's other due
 * deliveries) once.
 */
function fakeDeliveries(...initial: ClaimedDelivery[]) {
  const TOKEN = 'lease-1';
  const rows = new Map(initial.map((d) => [d.id, { delivery: { ...d }, status: 'pending' as 'pending' | 'succeeded' | 'failed', token: TOKEN as string | null }]));
  const state = {
    get delivery() {
      return [...rows.values()][0].delivery;
    },
    get status() {
      return [...rows.values()][0].status;
    },
    rows,
    disabledWith: undefined as string | undefined,
  };
  const recorded: Recorded[] = [];
  const health: WebhookHealthChange[][] = [];
  const kept: string[] = [];
  const loads: string[][] = [];
  const due: DueDelivery[] = [];
  const dueOfCalls: Array<[string, number]> = [];
  const repo: Pick<WebhookDeliveryRepository, 'loadLeased' | 'keepBodies' | 'recordAttempts' | 'dueOf'> = {
    dueOf: async (webhookId, limit) => {
      dueOfCalls.push([webhookId, limit]);
      return due.splice(0, limit);
    },
    loadLeased: async (ids, token) => {
      loads.push([...ids]);
      return ids.flatMap((id) => {
        const row = rows.get(id);
        return row && row.status === 'pending' && row.token === token ? [{ ...row.delivery, eventPayload: { ...row.delivery.eventPayload } }] : [];
      });
    },
    keepBodies: async (bodies) => {
      const out = new Map<string, string>();
      for (const { id, body } of bodies) {
        kept.push(body);
        const row = rows.get(id);
        if (row && row.delivery.body === null) row.delivery.body = body;
        out.set(id, row?.delivery.body ?? body);
      }
      return out;
    },
    recordAttempts: async (attempts, changes) => {
      health.push([...changes]);
      const done: string[] = [];
      for (const a of attempts) {
        recorded.push(a);
        const row = rows.get(a.id);
        if (!row || row.status !== 'pending') continue;
        row.delivery.attempts += 1;
        row.delivery.firstAttemptAt ??= a.attempt.at;
        row.status = a.transition === 'delivered' ? 'succeeded' : a.transition === 'gave_up' ? 'failed' : 'pending';
        if (a.disableWebhook) state.disabledWith = a.disableWebhook;
        done.push(a.id);
      }
      return done;
    },
  };
  return { repo: repo as WebhookDeliveryRepository, state, recorded, health, kept, loads, due, dueOfCalls, TOKEN };
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
  const renderCalls: number[] = [];
  const renderer: WebhookObjectRenderer = {
    renderMany: async (items) => {
      renderCalls.push(items.length);
      return items.map(({ tenantId, event, objectId, eventPayload }) => {
        renders.push({ tenantId, event, objectId, eventPayload });
        return { object_id: objectId, status: eventPayload['status'], render: renders.length };
      });
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
    eventAt: new Date(Date.now() - 5_000),
    webhookFailures: 0,
    ...over,
  });

  let warn: jest.SpyInstance;
  beforeEach(() => {
    renders.length = 0;
    renderCalls.length = 0;
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

    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);

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

    expect(fake.recorded.map((x) => [x.transition, x.attempt.outcome, x.attempt.statusCode])).toEqual([
      ['retry', 'failed', 500],
      ['retry', 'failed', 503],
      ['delivered', 'succeeded', 204],
    ]);
    expect(fake.recorded[2]).toMatchObject({ transition: 'delivered', nextAttemptAt: undefined, disableWebhook: undefined });
    expect(fake.state.status).toBe('succeeded');

    // Settled: the next job for it (a duplicate) sends nothing.
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(r.received).toHaveLength(3);
  });

  it('counts each attempt it records by transition, sent, and the lag of a delivered one from its event (SHIPPING_METRICS)', async () => {
    const r = await receiver([500, 204]);
    const fake = fakeDeliveries(delivery(r.url));
    const counted: string[] = [];
    const metrics = {
      ...NO_SHIPPING_METRICS,
      webhookAttempt: (t: string, sent: boolean) => void counted.push(`${t} sent=${sent}`),
      webhookDelivered: (lag: number) => void counted.push(`lag ${lag >= 5 && lag < 60 ? 'from the event' : lag}`),
    };
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config, metrics);
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(counted).toEqual(['retry sent=true', 'delivered sent=true', 'lag from the event']);
  });

  it('sends the body another attempt kept first, not its own rendering', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    const kept = JSON.stringify({ event: 'batch_created', test: true, data: { object_id: 'b_1', status: 'VALIDATING' } });
    fake.repo.keepBodies = async (bodies) => new Map(bodies.map((b) => [b.id, kept]));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(r.received.map((x) => x.body)).toEqual([kept]);
  });

  it('2xx → delivered, with the attempt recorded', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    const before = Date.now();
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(fake.recorded).toHaveLength(1);
    const [{ id, attempt, transition }] = fake.recorded;
    expect(id).toBe(fake.state.delivery.id);
    expect(attempt).toEqual({ at: expect.any(Date), outcome: 'succeeded', statusCode: 200, error: undefined, durationMs: expect.any(Number) });
    expect(attempt.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(transition).toBe('delivered');
    // A healthy webhook's health is left alone (nothing to clear).
    expect(fake.health).toEqual([[]]);
    expect(JSON.parse(r.received[0].body)).toMatchObject({ event: 'batch_created', test: true });
  });

  it('500 → retry, the next attempt about retryDelayMs later (doubling with the attempt number)', async () => {
    const r = await receiver([500]);
    const fake = fakeDeliveries(delivery(r.url));
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config);
    const base = settings.retryBaseMs;

    for (const attemptNo of [1, 2, 3]) {
      const before = Date.now();
      await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
      const after = Date.now();
      const next = fake.recorded[attemptNo - 1];
      const { attempt } = next;
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
    // The receiver answered each time: nothing changes for the webhook, nothing else is recorded.
    expect(fake.health).toEqual([[], [], []]);
    expect(fake.dueOfCalls).toEqual([]);
  });

  it('a failure after the retry window → gave_up, no next attempt, the webhook stays on', async () => {
    const r = await receiver([500]);
    const firstAttemptAt = new Date(Date.now() - settings.retryWindowMs - 1_000);
    const fake = fakeDeliveries(delivery(r.url, { attempts: 17, firstAttemptAt, body: '{"event":"batch_created","test":true,"data":{}}' }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(renders).toEqual([]);
    expect(r.received.map((x) => x.body)).toEqual(['{"event":"batch_created","test":true,"data":{}}']);
    expect(fake.recorded[0]).toMatchObject({ transition: 'gave_up', nextAttemptAt: undefined, disableWebhook: undefined });
    expect(fake.state.status).toBe('failed');
  });

  it('a failure inside the window is retried though many attempts were made', async () => {
    const r = await receiver([502]);
    const fake = fakeDeliveries(delivery(r.url, { attempts: 17, firstAttemptAt: new Date(Date.now() - settings.retryWindowMs + 60_000) }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(fake.recorded[0].transition).toBe('retry');
  });

  it('410 → gave_up and the webhook is disabled', async () => {
    const r = await receiver([410]);
    const fake = fakeDeliveries(delivery(r.url));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(fake.recorded).toHaveLength(1);
    expect(fake.recorded[0].attempt).toMatchObject({ outcome: 'gone', statusCode: 410 });
    expect(fake.recorded[0]).toMatchObject({
      transition: 'gave_up',
      nextAttemptAt: undefined,
      disableWebhook: `the receiver answered 410 Gone to delivery ${fake.state.delivery.id}`,
    });
    // Turned off, not held.
    expect(fake.health).toEqual([[]]);
    expect(fake.state).toMatchObject({ status: 'failed', disabledWith: expect.stringContaining('410') });
  });

  it('a refused URL is recorded as a failed attempt and retried, with nothing sent', async () => {
    const r = await receiver([200]);
    // Plain http on a live webhook: the policy refuses it before connecting.
    const fake = fakeDeliveries(delivery(r.url, { isTest: false, url: r.url.replace('127.0.0.1', '10.0.0.1') }));
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, [fake.state.delivery.id]);
    expect(r.received).toEqual([]);
    expect(fake.recorded[0].attempt).toMatchObject({ outcome: 'refused' });
    expect(fake.recorded[0].transition).toBe('retry');
    // No answer: as for a receiver that is down.
    expect(fake.health).toEqual([[{ webhookId: 'wh_1', health: 'unreachable' }]]);
  });

  it('sends nothing for a delivery loadLeased does not return (settled, deleted, or leased under another token)', async () => {
    const r = await receiver([200]);
    const fake = fakeDeliveries(delivery(r.url));
    [...fake.state.rows.values()][0].token = 'lease-2';
    const useCase = new DeliverWebhookUseCase(fake.repo, renderer, sender, config);
    await useCase.execute(fake.TOKEN, [fake.state.delivery.id]);
    await useCase.execute(fake.TOKEN, ['msg_unknown']);
    expect(r.received).toEqual([]);
    expect(renders).toEqual([]);
    expect(fake.kept).toEqual([]);
    expect(fake.recorded).toEqual([]);
  });

  it('sends a round of deliveries at once, renders their objects in one call and records the round in one call', async () => {
    const r = await receiver([200]);
    const ds = Array.from({ length: 5 }, (_, i) => delivery(r.url, { id: `msg_${i}`, event: 'transaction_created', objectId: `tx_${i}`, eventPayload: {} }));
    const fake = fakeDeliveries(...ds);
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, ds.map((d) => d.id));
    expect(renderCalls).toEqual([5]);
    expect(r.received.map((x) => x.headers['webhook-id']).sort()).toEqual(ds.map((d) => d.id));
    for (const x of r.received) {
      const sent = verifyWebhook(secret, x.body, x.headers as Record<string, string>) as { data: { object_id: string } };
      expect(`msg_${sent.data.object_id.slice(3)}`).toBe(x.headers['webhook-id']);
    }
    expect(fake.health).toHaveLength(1);
    expect(fake.recorded.map((a) => a.transition)).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
    expect(fake.loads).toEqual([ds.map((d) => d.id)]);
  });

  it('a round the receiver answered with errors only holds nothing: the webhook counts as reachable, every delivery keeps its own schedule', async () => {
    const r = await receiver([503]);
    const ds = [0, 1, 2].map((i) => delivery(r.url, { id: `msg_${i}`, attempts: i, webhookFailures: 2 }));
    const fake = fakeDeliveries(...ds);
    fake.due.push({ id: 'msg_other', attempts: 0, firstAttemptAt: null });
    const before = Date.now();
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, ds.map((d) => d.id));
    const after = Date.now();
    expect(r.received).toHaveLength(3);
    // It answered, so the probing ends; nothing is recorded for deliveries it was not sent.
    expect(fake.health).toEqual([[{ webhookId: 'wh_1', health: 'reachable' }]]);
    expect(fake.dueOfCalls).toEqual([]);
    expect(fake.recorded.map((a) => a.id).sort()).toEqual(['msg_0', 'msg_1', 'msg_2']);
    // Each one's next attempt after its own number of attempts: base x 2^(n-1), minus up to 20 %.
    for (const a of fake.recorded) {
      const n = Number(a.id.slice(4)) + 1;
      const nominal = settings.retryBaseMs * 2 ** (n - 1);
      expect(a.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(before + Math.floor(nominal * 0.8));
      expect(a.nextAttemptAt?.getTime()).toBeLessThanOrEqual(after + nominal);
    }
  });

  it('a round that gets no answer (receiver down): the webhook is unreachable and its other due deliveries are recorded as not sent, each on its own schedule', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks`;
    const probe = delivery(url, { id: 'msg_probe', attempts: 1, firstAttemptAt: new Date(Date.now() - 60_000), webhookFailures: 1, body: '{"event":"batch_created","test":true,"data":{}}' });
    const fake = fakeDeliveries(probe);
    const firstOfOld = new Date(Date.now() - 3_600_000);
    fake.due.push({ id: 'msg_new', attempts: 0, firstAttemptAt: null }, { id: 'msg_old', attempts: 5, firstAttemptAt: firstOfOld });
    fake.due.push({ id: 'msg_expired', attempts: 30, firstAttemptAt: new Date(Date.now() - settings.retryWindowMs - 1) });
    const before = Date.now();
    await new DeliverWebhookUseCase(fake.repo, renderer, sender, config).execute(fake.TOKEN, ['msg_probe']);
    const after = Date.now();

    expect(fake.dueOfCalls).toEqual([['wh_1', NOT_SENT_PER_ROUND]]);
    expect(fake.health).toEqual([[{ webhookId: 'wh_1', health: 'unreachable' }]]);
    const byId = new Map(fake.recorded.map((a) => [a.id, a]));
    expect([...byId.keys()].sort()).toEqual(['msg_expired', 'msg_new', 'msg_old', 'msg_probe']);
    expect(byId.get('msg_probe')?.attempt).toMatchObject({ outcome: 'failed', error: 'connection refused' });
    expect(byId.get('msg_probe')?.attempt.statusCode).toBeUndefined();
    const notSent = byId.get('msg_new');
    expect(notSent?.attempt).toEqual({ at: expect.any(Date), outcome: 'failed', error: 'not sent: the receiver could not be reached (connection refused, delivery msg_probe)', durationMs: 0 });
    // Not leased by this round: recorded only if no claim took it meanwhile; the probe, which the round holds, unconditionally.
    expect(fake.recorded.filter((a) => a.ifStillDue).map((a) => a.id).sort()).toEqual(['msg_expired', 'msg_new', 'msg_old']);
    expect(byId.get('msg_probe')?.ifStillDue).toBeUndefined();
    // Each by its own attempts: the new one's first retry (base), the old one's sixth (base x 32); the one past its window gives up.
    const within = (a: RecordedAttempt | undefined, nominal: number) => {
      expect(a?.transition).toBe('retry');
      expect(a?.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(before + Math.floor(nominal * 0.8));
      expect(a?.nextAttemptAt?.getTime()).toBeLessThanOrEqual(after + nominal);
    };
    within(notSent, settings.retryBaseMs);
    within(byId.get('msg_old'), settings.retryBaseMs * 32);
    within(byId.get('msg_probe'), settings.retryBaseMs * 2);
    expect(byId.get('msg_expired')).toMatchObject({ transition: 'gave_up', nextAttemptAt: undefined });
    expect(warn.mock.calls.some(([m]) => /wh_1: its receiver could not be reached; 3 other due deliveries recorded as not sent/.test(String(m)))).toBe(true);
  });

  it('one success in a round ends the probing of an unreachable webhook', async () => {
    const r = await receiver([500, 200, 500]);
    const held = fakeDeliveries(...[0, 1, 2].map((i) => delivery(r.url, { id: `msg_${i}`, webhookFailures: 3 })));
    await new DeliverWebhookUseCase(held.repo, renderer, sender, config).execute(held.TOKEN, ['msg_0', 'msg_1', 'msg_2']);
    expect(held.health).toEqual([[{ webhookId: 'wh_1', health: 'reachable' }]]);
    expect(held.recorded.map((a) => a.attempt.outcome).sort()).toEqual(['failed', 'failed', 'succeeded']);
  });
});
