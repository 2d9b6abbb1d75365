import type { QueueInspector } from '@shipbatch/platform/queue';
import type { DataSource } from 'typeorm';
import { MetricsHttpServer } from './metrics-http.server';
import { MetricsRegistry } from './metrics.registry';
import { Readiness } from './readiness';

const inspector = (redis: 'up' | 'down' | 'hangs'): QueueInspector => ({
  queueNames: () => [],
  depth: async () => ({ waiting: 0, active: 0, delayed: 0, oldestWaitingAgeMs: 0 }),
  ping: () => (redis === 'up' ? Promise.resolve() : redis === 'down' ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')) : new Promise(() => undefined)),
});
const dataSource = { isInitialized: true, options: {}, migrations: [], query: async () => [] } as unknown as DataSource;

describe('MetricsHttpServer (the worker\'s METRICS_PORT)', () => {
  const servers: MetricsHttpServer[] = [];
  async function serve(redis: 'up' | 'down' | 'hangs', shutdown?: { stopping: boolean }): Promise<string> {
    const server = new MetricsHttpServer(new MetricsRegistry('worker'), new Readiness(dataSource, inspector(redis), true, 100, shutdown));
    servers.push(server);
    return `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  }
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('serves /metrics, /health/live and /health/ready; 404 elsewhere, 405 for other methods', async () => {
    const base = await serve('up');
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{process="worker"\} /m);
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/health/ready?verbose=1`)).json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', redis: 'ok' } });
    expect((await fetch(`${base}/batches`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('is not ready while Redis is down or does not answer, and says so', async () => {
    const down = await fetch(`${await serve('down')}/health/ready`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { errors: unknown[] }).errors[0]).toMatchObject({ error_code: 'not_ready', message: 'not ready: redis: connect ECONNREFUSED 127.0.0.1:6390' });
    const hung = await fetch(`${await serve('hangs')}/health/ready`);
    expect(hung.status).toBe(503);
    expect(((await hung.json()) as { checks: unknown }).checks).toEqual({ database: 'ok', migrations: 'ok', redis: 'no answer within 100 ms' });
  });

  it('is not ready once shutting down (SIGTERM), while /health/live stays 200', async () => {
    const shutdown = { stopping: false };
    const base = await serve('up', shutdown);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    shutdown.stopping = true;
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
      database: 'ok',
      migrations: 'ok',
      redis: 'ok',
      shutdown: 'shutting down (SIGTERM): finishing what is in flight',
    });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});
