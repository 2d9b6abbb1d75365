import { randomUUID } from 'node:crypto';
import { aSampleLabelRequest } from './sample-label-request';
import { startFakeServer } from './fake-server';
import type { FakeRequest, FakeServer } from './fake-server.types';
import { OpenApiDocument } from './openapi.document';
import { providerSpec } from './provider-spec';

describe("startFakeServer (on ShipEngine's description, the part ShipStation's adapter uses)", () => {
  let server: FakeServer;
  let voids: FakeRequest[];
  let seen: FakeRequest[];

  beforeEach(async () => {
    voids = [];
    seen = [];
    server = await startFakeServer({
      document: providerSpec('shipstation'),
      pathPrefix: { spec: '/v1', served: '/v2' },
      handlers: {
        void_label: (req) => {
          voids.push(req);
          return req.params.label_id === 'se-broken' ? { status: 200, body: { approved: 'yes' } } : { status: 200, body: { approved: true, message: 'voided' } };
        },
        create_label: (req) => {
          seen.push(req);
          return { status: 400, body: { request_id: randomUUID(), errors: [{ error_source: 'shipengine', error_type: 'validation', error_code: 'invalid_field_value', message: 'no' }] } };
        },
        get_label_by_id: (req) => {
          seen.push(req);
          return { status: 500, body: { request_id: randomUUID(), errors: [] } };
        },
      },
      extraRoutes: [{ id: 'file', method: 'GET', path: /^\/files\/(?<name>[a-z]+)\.bin$/, handler: (req) => ({ status: 200, raw: { contentType: 'application/octet-stream', bytes: Buffer.from(`file ${String(req.params.name)}`) } }) }],
    });
  });

  afterEach(() => server.close());

  const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const put = (path: string) => fetch(`${server.url}${path}`, { method: 'PUT' });

  it('serves the spec under the served prefix and records the request', async () => {
    const res = await put('/v2/labels/se-1/void?x=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ approved: true, message: 'voided' });
    expect(voids[0]).toMatchObject({ method: 'PUT', path: '/v2/labels/se-1/void', params: { label_id: 'se-1' }, operationId: 'void_label', body: undefined });
    const [recorded] = server.requests();
    expect(recorded).toMatchObject({ method: 'PUT', path: '/v2/labels/se-1/void', query: { x: '1' }, status: 200, operationId: 'void_label' });
    expect(typeof recorded.at).toBe('number');
    expect(server.violations()).toEqual([]);
  });

  it('passes a conforming body to the handler and answers 400 naming the problems of one that does not', async () => {
    expect((await post('/v2/labels', aSampleLabelRequest())).status).toBe(400); // the handler's own 400
    expect(seen).toHaveLength(1);
    expect(server.violations()).toEqual([]);

    const bad = aSampleLabelRequest() as { shipment: Record<string, unknown> };
    delete bad.shipment.packages;
    const res = await post('/v2/labels', { ...bad, extra: true });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: string[] };
    expect(body.problems).toEqual(expect.arrayContaining(["body/shipment: must have required property 'packages'", "body: must NOT have additional property 'extra'"]));
    expect(seen).toHaveLength(1);
    expect(server.violations()).toEqual([expect.stringMatching(/^POST \/v2\/labels \(create_label\): request does not conform: .*'packages'/)]);
  });

  it('lets a request reach its handler when its only problems are known request deviations of the document, and refuses the others', async () => {
    const lenient = await startFakeServer({
      document: providerSpec('shipstation'),
      pathPrefix: { spec: '/v1', served: '/v2' },
      handlers: { create_label: (req) => (seen.push(req), { status: 400, body: { request_id: randomUUID(), errors: [{ error_source: 'shipengine', error_type: 'validation', error_code: 'invalid_field_value', message: 'no' }] } }) },
      knownDeviations: [{ in: 'request', operationId: 'create_label', problem: /^body: must NOT have additional property 'extra'$/, reason: 'a test' }],
    });
    try {
      const send = (body: unknown) => fetch(`${lenient.url}/v2/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await send({ ...aSampleLabelRequest(), extra: true })).status).toBe(400); // the handler's own 400
      expect(seen).toHaveLength(1);
      expect(lenient.violations()).toEqual([]);
      const bad = aSampleLabelRequest() as { shipment: Record<string, unknown> };
      delete bad.shipment.packages;
      const res = await send({ ...bad, extra: true });
      expect(((await res.json()) as { problems: string[] }).problems).toEqual(["body/shipment: must have required property 'packages'"]);
      expect(seen).toHaveLength(1);
      expect(lenient.violations()).toEqual([expect.stringMatching(/request does not conform: body\/shipment: must have required property 'packages'$/)]);
    } finally {
      await lenient.close();
    }
  });

  it('answers 400 for a body that is not JSON and for parameters that do not conform', async () => {
    const res = await fetch(`${server.url}/v2/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect((await fetch(`${server.url}/v2/labels/se-1?label_download_type=jpeg`)).status).toBe(400);
    expect((await put('/v2/labels/NOT_AN_ID/void')).status).toBe(400);
    expect(seen).toHaveLength(0);
    expect(server.violations()).toHaveLength(3);
  });

  it('gives handlers the path and query parameters, unknown query parameters included', async () => {
    await fetch(`${server.url}/v2/labels/se-7?label_download_type=inline&unknown=u`);
    expect(seen[0]).toMatchObject({ params: { label_id: 'se-7' }, query: { label_download_type: 'inline', unknown: 'u' }, operationId: 'get_label_by_id' });
  });

  it('records an answer that does not conform as a violation (the fake has a bug)', async () => {
    const res = await put('/v2/labels/se-broken/void');
    expect(res.status).toBe(200);
    expect(server.violations()).toEqual([expect.stringMatching(/^PUT \/v2\/labels\/se-broken\/void \(void_label\): answer does not conform: .*answer 200 body\/approved: must be boolean/)]);
    expect(server.violations()[0]).toContain("answer 200 body: must have required property 'message'");
  });

  it('answers 404 for an unknown route, 405 for an unknown method and 501 for an operation without a handler, all violations', async () => {
    expect((await fetch(`${server.url}/v2/nowhere`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/labels/se-1/void`, { method: 'PUT' })).status).toBe(404); // the spec prefix is not served
    expect((await fetch(`${server.url}/v2/labels/se-1/void`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${server.url}/v2/carriers/se-1`)).status).toBe(501);
    expect(server.violations()).toEqual([
      expect.stringMatching(/^GET \/v2\/nowhere: unknown route/),
      expect.stringMatching(/^PUT \/v1\/labels\/se-1\/void: unknown route/),
      expect.stringMatching(/^DELETE \/v2\/labels\/se-1\/void: method not allowed/),
      expect.stringMatching(/does not implement operation 'get_carrier_by_id'/),
    ]);
  });

  it('serves extra routes with raw bytes and their content type', async () => {
    const res = await fetch(`${server.url}/files/abc.bin`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('file abc');
    expect(server.violations()).toEqual([]);
  });

  describe('faults', () => {
    it('latency: waits, then handles the request normally', async () => {
      server.faults.inject({ kind: 'latency', ms: 50 });
      expect((await put('/v2/labels/se-1/void')).status).toBe(200);
      expect(voids).toHaveLength(1);
      expect(server.requests()[0]).toMatchObject({ fault: 'latency', status: 200 });
    });

    it('status: answers the injected status and headers without running the handler, for `times` requests', async () => {
      server.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '7' }, body: { message: 'slow down' } }, { method: 'PUT', path: /\/void$/, times: 2 });
      const first = await put('/v2/labels/se-1/void');
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('7');
      expect(await first.json()).toEqual({ message: 'slow down' });
      expect((await put('/v2/labels/se-2/void')).status).toBe(429);
      expect((await put('/v2/labels/se-3/void')).status).toBe(200);
      expect(voids.map((r) => r.params.label_id)).toEqual(['se-3']);
      expect(server.requests().map((r) => r.fault)).toEqual(['status', 'status', undefined]);
    });

    it('matches faults by method, path and operation; clear() disarms them', async () => {
      server.faults.inject({ kind: 'status', status: 503 }, { operationId: 'create_label', times: Infinity });
      server.faults.inject({ kind: 'status', status: 500 }, { method: 'GET', path: '/v2/labels' });
      expect((await put('/v2/labels/se-1/void')).status).toBe(200);
      expect((await post('/v2/labels', aSampleLabelRequest())).status).toBe(503);
      expect((await post('/v2/labels', aSampleLabelRequest())).status).toBe(503);
      expect(server.faults.pending()).toBe(Infinity);
      server.faults.clear();
      expect((await post('/v2/labels', aSampleLabelRequest())).status).toBe(400);
    });

    it('timeout: reads the request and never answers; the client gives up', async () => {
      server.faults.inject({ kind: 'timeout' });
      const abort = new AbortController();
      const held = fetch(`${server.url}/v2/labels/se-1/void`, { method: 'PUT', signal: abort.signal });
      while (server.requests().length === 0) await new Promise((r) => setTimeout(r, 10));
      // Held, not answered; the next request is answered meanwhile.
      expect((await put('/v2/labels/se-2/void')).status).toBe(200);
      expect(voids.map((r) => r.params.label_id)).toEqual(['se-2']);
      expect(server.requests()[0]).toMatchObject({ fault: 'timeout' });
      expect(server.requests()[0].status).toBeUndefined();
      abort.abort();
      await expect(held).rejects.toThrow(/abort/i);
    });

    it('reset: destroys the socket before the handler runs (nothing committed)', async () => {
      server.faults.inject({ kind: 'reset' });
      await expect(put('/v2/labels/se-1/void')).rejects.toThrow(/fetch failed/);
      expect(voids).toHaveLength(0);
      expect(server.requests()[0]).toMatchObject({ fault: 'reset' });
      expect(server.requests()[0].status).toBeUndefined();
      expect((await put('/v2/labels/se-1/void')).status).toBe(200);
    });

    it('lost_answer: runs the handler (its effects are committed), then destroys the socket without answering', async () => {
      server.faults.inject({ kind: 'lost_answer' }, { path: '/v2/labels/se-1/void' });
      await expect(put('/v2/labels/se-1/void')).rejects.toThrow(/fetch failed/);
      expect(voids.map((r) => r.params.label_id)).toEqual(['se-1']);
      expect(server.requests()[0]).toMatchObject({ fault: 'lost_answer' });
      expect(server.requests()[0].status).toBeUndefined();
      expect(server.violations()).toEqual([]);
    });
  });
});

describe('startFakeServer on an inline document', () => {
  it('gives handlers query parameters coerced to their declared types (integers, comma-separated arrays)', async () => {
    const seen: FakeRequest[] = [];
    const document = new OpenApiDocument({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/labels': {
          get: {
            operationId: 'list_labels',
            parameters: [
              { name: 'page', in: 'query', schema: { type: 'integer' } },
              { name: 'refund_status', in: 'query', style: 'form', explode: false, schema: { type: 'array', items: { type: 'string', enum: ['pending', 'approved'] } } },
            ],
            responses: { '200': { description: '' } },
          },
        },
      },
    });
    const server = await startFakeServer({ document, handlers: {
        list_labels: (req) => {
          seen.push(req);
          return { status: 200 };
        },
      },
    });
    try {
      expect((await fetch(`${server.url}/labels?page=3&refund_status=pending,approved&unknown=u`)).status).toBe(200);
      expect(seen[0].query).toEqual({ page: 3, refund_status: ['pending', 'approved'], unknown: 'u' });
      expect((await fetch(`${server.url}/labels?page=zero`)).status).toBe(400);
      expect(server.violations()).toEqual([expect.stringMatching(/^GET \/labels \(list_labels\): request does not conform: query parameter 'page': must be integer/)]);
    } finally {
      await server.close();
    }
  });
});

describe('startFakeServer close()', () => {
  it('ends sockets held by a timeout fault, so a test never hangs', async () => {
    const server = await startFakeServer({ document: providerSpec('shipstation'), handlers: {} });
    server.faults.inject({ kind: 'timeout' }, { times: Infinity });
    const held = fetch(`${server.url}/v1/labels/se-1/void`, { method: 'PUT' });
    const outcome = held.then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the server has the request, then close while it is held.
    while (server.requests().length === 0) await new Promise((r) => setTimeout(r, 10));
    await server.close();
    expect(await outcome).toBe('failed');
  });
});
