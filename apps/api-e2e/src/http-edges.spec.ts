import { request } from 'node:http';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const ALLOWED_ORIGIN = 'https://app.example.test';

/**
 * What browsers, proxies and careless clients meet at the HTTP level (issue 23): bodies in
 * anything but JSON are refused with 415, a known path with a wrong method is a 405 with
 * `Allow`, repeated query parameters are a 400 naming them, CORS answers the listed origins
 * only, `request_id` agrees with `X-Request-Id`, and idempotency keys compare canonical JSON.
 * HTTP handling is the same in both modes (one Express app), so this runs embedded.
 */
describe('HTTP edges', () => {
  let h: Harness;
  let acme: Client;
  let key: string;

  const send = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${h.baseUrl}${path}`, { method, body: init.body, headers: { Authorization: `ShippoToken ${key}`, ...init.headers } });
  const errorOf = async (res: Response) => ((await res.json()) as { request_id: string; errors: { error_code: string; message: string; field_name?: string }[] });
  const countAddresses = async () => (await acme.get('/addresses')).body.count as number;

  beforeAll(async () => {
    h = await startEmbedded({ env: { CORS_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:5173` } });
    const anon = new Client(h.baseUrl);
    key = (await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key;
    acme = anon.withKey(key);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('bodies', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['form data', 'application/x-www-form-urlencoded'],
    ])('answers 415 for a %s body, naming the expected type, and stores nothing', async (_name, type) => {
      const before = await countAddresses();
      const res = await send('POST', '/addresses', { body: type.includes('form') ? 'name=x&city=y' : JSON.stringify(FROM), headers: { 'Content-Type': type } });
      expect(res.status).toBe(415);
      const body = await errorOf(res);
      expect(body.errors[0]).toMatchObject({ error_code: 'unsupported_media_type', field_name: 'Content-Type' });
      expect(body.errors[0].message).toContain('application/json');
      expect(body.errors[0].message).toContain(type);
      expect(await countAddresses()).toBe(before);
    });

    it('answers 415 for a body sent without any Content-Type', async () => {
      // fetch adds text/plain to a string body: a Blob without a type sends none.
      const res = await send('POST', '/addresses', { body: new Blob([JSON.stringify(FROM)]) as unknown as string });
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.status).toBe(415);
      expect((await errorOf(res)).errors[0].message).toContain('no Content-Type');
    });

    it.each(['application/json; charset=utf-8', 'application/vnd.shipbatch+json'])('reads JSON sent as %s', async (type) => {
      const res = await send('POST', '/addresses', { body: JSON.stringify(FROM), headers: { 'Content-Type': type } });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ name: FROM.name, city: FROM.city });
    });

    it('still takes a POST without a body (a purchase, say)', async () => {
      const res = await send('POST', '/batches/00000000000000000000000000000000/purchase');
      expect(res.status).toBe(404);
      expect((await errorOf(res)).errors[0].error_code).not.toBe('unsupported_media_type');
    });
  });

  describe('methods and query parameters', () => {
    it('answers 405 with Allow for a method a known path does not take', async () => {
      const res = await send('DELETE', '/batches');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
      const body = await errorOf(res);
      expect(body.errors[0]).toMatchObject({ error_code: 'method_not_allowed' });
      expect(body.errors[0].message).toContain('DELETE');
    });

    it('keeps 404 for a path no route has', async () => {
      const res = await send('GET', '/no-such-thing');
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    });

    it('answers a URL over the limit with 431 in the error shape', async () => {
      const res = await send('GET', `/addresses?q=${'x'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      const body = await errorOf(res);
      expect(body.errors[0]).toMatchObject({ error_code: 'request_too_large', field_name: 'headers' });
      expect(body.request_id).toBe(res.headers.get('x-request-id'));
    });

    it('answers 400 naming a query parameter given twice', async () => {
      const res = await send('GET', '/v2/labels?page_size=1&page_size=2');
      expect(res.status).toBe(400);
      const body = await errorOf(res);
      expect(body.errors[0]).toMatchObject({ error_code: 'repeated_parameter', field_name: 'page_size' });
    });

    it('answers 400 for more than 1,000 query parameters', async () => {
      const query = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
      const res = await send('GET', `/addresses?${query}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).errors[0]).toMatchObject({ error_code: 'too_many_parameters', field_name: 'query' });
    });
  });

  describe('CORS', () => {
    it('answers a preflight from a listed origin with the Access-Control headers', async () => {
      const res = await fetch(`${h.baseUrl}/batches`, {
        method: 'OPTIONS',
        headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, idempotency-key, content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const header of ['authorization', 'api-key', 'idempotency-key', 'content-type']) expect(allowed).toContain(header);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    });

    it('adds the headers to an answer for a listed origin, and exposes the ones a script reads', async () => {
      const res = await send('GET', '/addresses', { headers: { Origin: ALLOWED_ORIGIN } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    });

    it('gives an origin it does not list no Access-Control header', async () => {
      const res = await send('GET', '/addresses', { headers: { Origin: 'https://evil.example.test' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('request ids', () => {
    it('echoes an accepted X-Request-ID in the header and the error body alike', async () => {
      const res = await send('GET', '/batches/nope', { headers: { 'X-Request-ID': 'client-req-42' } });
      expect(res.headers.get('x-request-id')).toBe('client-req-42');
      expect((await errorOf(res)).request_id).toBe('client-req-42');
    });

    it('replaces a refused X-Request-ID by one UUID, the same in header and body', async () => {
      const res = await send('GET', '/batches/nope', { headers: { 'X-Request-ID': 'has spaces and <tags>' } });
      const header = res.headers.get('x-request-id');
      expect(header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await errorOf(res)).request_id).toBe(header);
    });
  });

  it('replays an idempotent request whose body has its keys in another order', async () => {
    const first = await acme.post('/addresses', FROM, { 'Idempotency-Key': 'reordered-1' });
    expect(first.status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(FROM).reverse());
    const again = await acme.post('/addresses', reordered, { 'Idempotency-Key': 'reordered-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.object_id).toBe(first.body.object_id);
  });

  describe('links', () => {
    it('follow the Host the request was addressed to when PUBLIC_BASE_URL is unset, and ignore X-Forwarded-* without TRUST_PROXY', async () => {
      await acme.post('/addresses', FROM);
      await acme.post('/addresses', FROM);
      const page = await rawGet(h.baseUrl, '/addresses?results=1', { Host: 'api.example.test:8443', Authorization: `ShippoToken ${key}` });
      expect(page.next).toMatch(/^http:\/\/api\.example\.test:8443\/addresses\?/);
      const forwarded = await rawGet(h.baseUrl, '/addresses?results=1', {
        Host: 'api.example.test:8443',
        'X-Forwarded-Host': 'evil.example.test',
        'X-Forwarded-Proto': 'https',
        Authorization: `ShippoToken ${key}`,
      });
      expect(forwarded.next).toMatch(/^http:\/\/api\.example\.test:8443\//);
    });

    it('follow X-Forwarded-Host and -Proto with TRUST_PROXY=true, and PUBLIC_BASE_URL whatever the request says', async () => {
      for (const [env, expected] of [
        [{ TRUST_PROXY: 'true' }, /^https:\/\/shipbatch\.example\.test\/addresses\?/],
        [{ TRUST_PROXY: 'true', PUBLIC_BASE_URL: 'https://api.shipbatch.test/' }, /^https:\/\/api\.shipbatch\.test\/addresses\?/],
      ] as const) {
        const other = await startEmbedded({ env });
        try {
          const anon = new Client(other.baseUrl);
          const otherKey = (await anon.post('/admin/tenants', { name: 'proxied' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key as string;
          const client = anon.withKey(otherKey);
          await client.post('/addresses', FROM);
          await client.post('/addresses', FROM);
          const page = await rawGet(other.baseUrl, '/addresses?results=1', {
            'X-Forwarded-Host': 'shipbatch.example.test',
            'X-Forwarded-Proto': 'https',
            Authorization: `ShippoToken ${otherKey}`,
          });
          expect(page.next).toMatch(expected);
        } finally {
          await other.close();
        }
      }
    });
  });
});

/** A GET with headers fetch will not send (Host): the parsed JSON answer. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ next?: string | null }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path} answered ${res.statusCode}: ${text}`));
        resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
