import { TenantsService } from '@shipbatch/platform/auth';
import { Client, type Reply } from './client';
import { ADMIN_TOKEN, type ChildApi, type Harness, startEmbedded, startScaleOut } from './harness';

/** Requests a minute each tenant (and each client address without a valid key) may make in this spec. */
const LIMIT = 5;
const ENV = { API_RATE_LIMIT_PER_MINUTE: String(LIMIT) };

/** The three X-RateLimit-* headers as numbers (NaN when missing). */
function limits(reply: { headers: Headers }) {
  const n = (name: string) => Number(reply.headers.get(name) ?? NaN);
  return { limit: n('x-ratelimit-limit'), remaining: n('x-ratelimit-remaining'), reset: n('x-ratelimit-reset') };
}

function expectResetInWindow(reply: { headers: Headers }): void {
  const { reset } = limits(reply);
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
}

function expectRateLimited(reply: Reply, who: RegExp): void {
  expect(reply.status).toBe(429);
  expect(reply.body).toEqual({
    request_id: expect.any(String),
    errors: [{ error_source: 'shipbatch', error_type: 'system', error_code: 'rate_limit_exceeded', message: expect.stringMatching(who) }],
  });
  expect(limits(reply)).toMatchObject({ limit: LIMIT, remaining: 0 });
  expectResetInWindow(reply);
  expect(reply.headers.get('retry-after')).toBe(reply.headers.get('x-ratelimit-reset'));
}

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('request limits, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  /** A new tenant's client; made through the service's own TenantsService so no request is spent on it. */
  const tenant = async (name: string) => anon.withKey((await h.api.get(TenantsService).create(name)).apiKey);

  beforeAll(async () => {
    h = await start({ env: ENV });
    anon = new Client(h.baseUrl);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("puts X-RateLimit-* on every answer, success or error, counting the tenant's requests", async () => {
    const acme = await tenant('acme');
    const answers = [
      await acme.get('/addresses'), // 200
      await acme.get('/addresses/0123456789abcdef0123456789abcdef'), // 404 not_found
      await acme.get('/no-such-route'), // 404 route_not_found
      await acme.post('/addresses', '{"name": '), // 400 invalid_json
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 404, 400]);
    expect(answers.map((a) => limits(a).limit)).toEqual([LIMIT, LIMIT, LIMIT, LIMIT]);
    expect(answers.map((a) => limits(a).remaining)).toEqual([4, 3, 2, 1]);
    answers.forEach(expectResetInWindow);

    // Without a valid key (and the admin routes, whose token is no tenant's): counted by the client's address.
    const unauthorized = await anon.withKey('sb_not-a-key').get('/addresses');
    expect(unauthorized.status).toBe(401);
    expect(limits(unauthorized).limit).toBe(LIMIT);
    expect(limits(unauthorized).remaining).toBeLessThan(LIMIT);
    const admin = await anon.post('/admin/tenants', { name: 'globex' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(admin.status).toBe(201);
    expect(limits(admin).remaining).toBe(limits(unauthorized).remaining - 1);
  });

  it('answers 429 in the error shape with Retry-After past the limit, each tenant apart', async () => {
    const initech = await tenant('initech');
    const hooli = await tenant('hooli');
    for (let i = 0; i < LIMIT; i++) expect((await initech.get('/addresses')).status).toBe(200);
    const refused = await initech.get('/addresses');
    expectRateLimited(refused, new RegExp(`this tenant may make ${LIMIT} requests a minute`));
    expect((await initech.post('/addresses', { name: 'x' })).status).toBe(429); // any route, any method

    const other = await hooli.get('/addresses');
    expect(other.status).toBe(200);
    expect(limits(other).remaining).toBe(LIMIT - 1);
  });

  it('limits requests without a valid key by address, the tenants with keys apart', async () => {
    const stranger = anon.withKey('sb_not-a-key-either');
    const seen: number[] = [];
    let last: Reply | undefined;
    for (let i = 0; i <= LIMIT && last?.status !== 429; i++) {
      last = await stranger.get('/batches');
      seen.push(last.status);
    }
    expect(seen.at(-1)).toBe(429);
    expect(seen.slice(0, -1).every((status) => status === 401)).toBe(true);
    expectRateLimited(last as Reply, /this client address \(no valid API key\)/);
    expect((await anon.get('/batches')).status).toBe(429); // no key at all: the same address

    const umbrella = await tenant('umbrella');
    expect((await umbrella.get('/batches')).status).toBe(200);
  });

  it('never counts /health, /health/* and /metrics, nor marks them', async () => {
    // The address's budget is used up (the test before): these still answer.
    for (let i = 0; i < LIMIT + 2; i++) {
      for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
        const res = await fetch(`${h.baseUrl}${path}`);
        expect([path, res.status]).toEqual([path, 200]);
        expect([path, res.headers.get('x-ratelimit-limit'), res.headers.get('retry-after')]).toEqual([path, null, null]);
        await res.arrayBuffer();
      }
    }
  });
});

describe('request limits, scale-out: every API process shares the budget', () => {
  let h: Harness;
  let second: ChildApi;

  beforeAll(async () => {
    h = await startScaleOut({ env: ENV });
    second = await h.spawnApi(); // apps/api as a process of its own, on the same database, Redis and prefix
  });

  afterAll(async () => {
    await h?.close();
  });

  it("counts a tenant's requests to two API processes against one budget", async () => {
    const { apiKey } = await h.api.get(TenantsService).create('acme');
    const one = new Client(h.baseUrl, apiKey);
    const two = new Client(second.baseUrl, apiKey);
    const answers: Reply[] = [];
    for (let i = 0; i < LIMIT; i++) answers.push(await (i % 2 === 0 ? one : two).get('/addresses'));
    expect(answers.map((a) => a.status)).toEqual(Array(LIMIT).fill(200));
    expect(answers.map((a) => limits(a).remaining)).toEqual([4, 3, 2, 1, 0]);
    expectRateLimited(await two.get('/addresses'), /this tenant/);
    expectRateLimited(await one.get('/addresses'), /this tenant/);
  });
});
