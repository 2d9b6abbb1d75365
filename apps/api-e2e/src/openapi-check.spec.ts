import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Harness, startEmbedded } from './harness';
import { checkAnswer, checkedFetch, OpenApiMismatch } from './openapi-check';

/** A small document in the shape the service publishes: a $ref'd component, nullable, a 204, a file. */
const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'check', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'ThingsController_get',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'a thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { description: 'none', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
      delete: { operationId: 'ThingsController_remove', responses: { '204': { description: 'deleted' } } },
    },
    '/things/special': {
      get: {
        operationId: 'ThingsController_special',
        responses: { '200': { description: 'special', content: { 'application/json': { schema: { type: 'object', required: ['special'] } } } } },
      },
    },
    '/files/{path}': {
      get: {
        operationId: 'FilesController_download',
        responses: { '200': { description: 'a file', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'note'],
        properties: { id: { type: 'string' }, note: { type: 'string', nullable: true }, size: { type: 'integer' } },
      },
      Error: {
        type: 'object',
        required: ['request_id', 'errors'],
        properties: {
          request_id: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', required: ['error_code'], properties: { error_code: { type: 'string' } } } },
        },
      },
    },
  },
};

describe('openapi-check: answers against /docs-json', () => {
  let server: Server;
  let base: string;
  const json = 'application/json; charset=utf-8';
  const check = (method: string, path: string, status: number, body: unknown, contentType: string | null = json) =>
    checkAnswer(method, path, status, body, { baseUrl: base, contentType });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/docs-json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(DOCUMENT));
      } else if (req.url === '/things/t1') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 't1', note: 7 }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ request_id: 'r', errors: [{ error_code: 'route_not_found' }] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts answers that match, null where nullable, relative or absolute, with a query', async () => {
    await expect(check('GET', '/things/t1', 200, { id: 't1', note: null })).resolves.toBeUndefined();
    await expect(check('GET', `${base}/things/t1?x=1`, 200, { id: 't1', note: 'n', size: 3, extra: true })).resolves.toBeUndefined();
    await expect(check('GET', '/things/t1', 404, { request_id: 'r', errors: [{ error_code: 'not_found' }] })).resolves.toBeUndefined();
    await expect(check('DELETE', '/things/t1', 204, undefined, null)).resolves.toBeUndefined();
    await expect(check('GET', '/files/a/b/c.pdf?expires=1&signature=s', 200, '%PDF-', 'application/pdf')).resolves.toBeUndefined();
    await expect(check('GET', '/docs-json', 200, {})).resolves.toBeUndefined();
  });

  it('names the operation, the status and the schema errors when the body does not match', async () => {
    const failure = check('GET', '/things/t1', 200, { id: 1, note: 5 });
    await expect(failure).rejects.toThrow(OpenApiMismatch);
    await expect(failure).rejects.toThrow(/GET \/things\/\{id\} \(ThingsController_get\): the 200 answer does not match its schema/);
    await expect(failure).rejects.toThrow(/answer 200 body\/id: must be string/);
    await expect(check('GET', '/things/t1', 200, { id: 't1' })).rejects.toThrow(/must have required property 'note'/);
  });

  it('fails an undocumented status, a body where none is declared and a wrong content type', async () => {
    await expect(check('GET', '/things/t1', 409, { request_id: 'r', errors: [] })).rejects.toThrow(/answered 409, which the document does not list \(it lists 200, 404\)/);
    await expect(check('DELETE', '/things/t1', 204, { gone: true })).rejects.toThrow(/answered 204 with a body, the document declares none/);
    await expect(check('GET', '/files/x.pdf', 200, 'GIF89a', 'image/gif')).rejects.toThrow(/answered 200 as 'image\/gif', the document declares application\/pdf/);
  });

  it('prefers the most literal path template, as the router does', async () => {
    await expect(check('GET', '/things/special', 200, { special: true })).resolves.toBeUndefined();
    await expect(check('GET', '/things/special', 200, { id: 'special', note: null })).rejects.toThrow(/ThingsController_special/);
  });

  it('lets a route the document does not list answer only 404 route_not_found', async () => {
    await expect(check('GET', '/nowhere', 404, { request_id: 'r', errors: [{ error_code: 'route_not_found' }] })).resolves.toBeUndefined();
    await expect(check('POST', '/things/t1', 404, { request_id: 'r', errors: [{ error_code: 'route_not_found' }] })).resolves.toBeUndefined();
    await expect(check('GET', '/nowhere', 200, { ok: true })).rejects.toThrow(/GET \/nowhere answered 200: the route is not in \/docs-json \(unknown_route\)/);
  });

  it('checks what an SDK fetches through checkedFetch', async () => {
    const fetchChecked = checkedFetch(base);
    await expect(fetchChecked(`${base}/things/t1`)).rejects.toThrow(/answer 200 body\/note: must be string,null/);
    const missing = await fetchChecked(`${base}/nowhere`);
    expect(missing.status).toBe(404);
  });
});

describe('the service document (/docs-json) is complete', () => {
  let h: Harness;
  let doc: Record<string, any>;

  beforeAll(async () => {
    h = await startEmbedded();
    doc = (await (await fetch(`${h.baseUrl}/docs-json`)).json()) as Record<string, any>;
  });

  afterAll(async () => {
    await h?.close();
  });

  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
    );

  it('declares the three tenant key forms and the admin token as security schemes', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      ShippoToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: expect.stringContaining('ShippoToken <key>') },
      Bearer: { type: 'http', scheme: 'bearer' },
      'API-Key': { type: 'apiKey', in: 'header', name: 'API-Key' },
      AdminToken: { type: 'http', scheme: 'bearer' },
    });
  });

  it('describes the answers of every operation with schemas, errors in the Error shape', () => {
    const problems: string[] = [];
    for (const { key, op } of operations()) {
      const responses = op.responses as Record<string, any>;
      const success = Object.keys(responses).filter((s) => s.startsWith('2'));
      if (success.length === 0) problems.push(`${key}: no success answer`);
      for (const status of success) {
        if (status !== '204' && !responses[status].content) problems.push(`${key}: ${status} has no content`);
      }
      const errors = Object.keys(responses).filter((s) => /^[45]/.test(s));
      if (!errors.includes('500')) problems.push(`${key}: no 500`);
      for (const status of errors) {
        const schema = responses[status].content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Error') problems.push(`${key}: ${status} is not the Error shape`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets every tenant route take any of the three key forms; admin routes their own tag and token', () => {
    const problems: string[] = [];
    for (const { key, path, op } of operations()) {
      const open = path === '/health' || path.startsWith('/files/');
      if (path.startsWith('/local/')) {
        // Commands on the same machine (npm run demo-key): DATA_DIR/service.json's token, scheme LocalToken.
        if (JSON.stringify(op.security) !== JSON.stringify([{ LocalToken: [] }])) problems.push(`${key}: security ${JSON.stringify(op.security)}`);
        if (!op.responses['401']) problems.push(`${key}: no 401`);
      } else if (path.startsWith('/admin/')) {
        if (JSON.stringify(op.security) !== JSON.stringify([{ AdminToken: [] }]) || JSON.stringify(op.tags) !== '["admin"]') {
          problems.push(`${key}: ${JSON.stringify({ security: op.security, tags: op.tags })}`);
        }
      } else if (open) {
        // `security: []`: said explicitly (linters want security on every operation), no scheme needed.
        if (JSON.stringify(op.security) !== '[]') problems.push(`${key}: needs no key, yet lists ${JSON.stringify(op.security)}`);
      } else {
        if (JSON.stringify(op.security) !== JSON.stringify([{ ShippoToken: [] }, { Bearer: [] }, { 'API-Key': [] }])) {
          problems.push(`${key}: security ${JSON.stringify(op.security)}`);
        }
        if (!op.responses['401']) problems.push(`${key}: no 401`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('publishes the shared shapes once, as components', () => {
    const shapes = ['Error', 'ErrorItem', 'Batch', 'BatchShipment', 'Transaction', 'Address', 'Parcel', 'Shipment', 'CarrierAccount', 'Label', 'LabelList', 'Webhook', 'WebhookDelivery'];
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(shapes));
    expect(doc.paths['/v2/labels/{label_id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Label' });
    expect(JSON.stringify(doc)).not.toContain('x-component');
  });
});
