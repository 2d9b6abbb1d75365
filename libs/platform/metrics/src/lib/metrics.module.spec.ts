import { Controller, Get, Global, type INestApplication, Module, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { QUEUE_PORT, QueueModule, type QueuePort } from '@shipbatch/platform/queue';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HttpMetrics } from './http.metrics';
import { MetricsModule } from './metrics.module';

/** A DataSource that answers, or not, and has migrations `applied` out of `A1`, `A2`. */
function fakeDataSource(state: { down?: boolean; applied: string[] }) {
  return {
    isInitialized: true,
    options: { migrationsTableName: 'schema_migrations' },
    migrations: [{ name: 'A1' }, { name: 'A2' }],
    query: async (sql: string) => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      return sql === 'SELECT 1' ? [{ '?column?': 1 }] : state.applied.map((name) => ({ name }));
    },
  };
}

@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }
}

describe('MetricsModule (the API: controllers on its port)', () => {
  const state: { down?: boolean; applied: string[] } = { applied: ['A1', 'A2'] };
  let app: INestApplication;

  beforeAll(async () => {
    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: fakeDataSource(state) }], exports: [DataSource] })
    class FakeDatabaseModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [FakeDatabaseModule, QueueModule.forRoot({ queues: ['work'] }), MetricsModule.forRoot({ process: 'api', usesRedis: false, controllers: true })],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use(app.get(HttpMetrics).middleware());
    await app.init();
  });
  afterAll(() => app.close());
  afterEach(() => {
    state.down = false;
    state.applied = ['A1', 'A2'];
  });

  it('answers /health/live, and /health/ready 200 naming its checks when the database answers and every migration is applied', async () => {
    expect((await request(app.getHttpServer()).get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('answers /health/ready 503 in the error shape, naming what failed: the database down, a migration pending', async () => {
    state.down = true;
    const down = await request(app.getHttpServer()).get('/health/ready').set('X-Request-ID', 'req-1');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      request_id: 'req-1',
      errors: [
        {
          error_source: 'shipbatch',
          error_type: 'system',
          error_code: 'not_ready',
          message: 'not ready: database: connect ECONNREFUSED 127.0.0.1:1; migrations: connect ECONNREFUSED 127.0.0.1:1',
        },
      ],
      checks: { database: 'connect ECONNREFUSED 127.0.0.1:1', migrations: 'connect ECONNREFUSED 127.0.0.1:1' },
    });
    state.down = false;
    state.applied = ['A1'];
    const pending = await request(app.getHttpServer()).get('/health/ready');
    expect(pending.status).toBe(503);
    expect(pending.body.checks).toEqual({ database: 'ok', migrations: '1 pending (A2)' });
  });

  it('serves /metrics in Prometheus text: process metrics, HTTP requests by route template, queue depth', async () => {
    const queue = app.get<QueuePort>(QUEUE_PORT);
    await queue.add('work', { n: 1 });
    await request(app.getHttpServer()).get('/things/thing_123');
    await request(app.getHttpServer()).get('/things/thing_456');
    await request(app.getHttpServer()).get('/nowhere/thing_789');
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.text;
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{process="api"\} \d+/m);
    expect(text).toContain('shipbatch_http_requests_total{method="GET",route="/things/:id",status="200",process="api"} 2');
    expect(text).toContain('shipbatch_http_requests_total{method="GET",route="unmatched",status="404",process="api"} 1');
    expect(text).toContain('shipbatch_http_request_duration_seconds_count{process="api",method="GET",route="/things/:id",status="200"} 2');
    expect(text).not.toMatch(/thing_\d+/);
    expect(text).toContain('shipbatch_queue_jobs{queue="work",state="waiting",process="api"} 1');
    expect(text).toMatch(/^shipbatch_queue_oldest_waiting_seconds\{queue="work",process="api"\} \d/m);
  });
});
