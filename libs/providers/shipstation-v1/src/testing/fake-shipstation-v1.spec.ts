import { randomUUID } from 'node:crypto';
import { expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStationV1, startFakeShipStationV1 } from './fake-shipstation-v1';
import { FixedWindowRateLimiter } from './fake-shipstation-v1.limits';

// The fake ShipStation v1 itself: Basic authentication, the fixed window and its headers, orders
// idempotent by orderKey, a shipped order closed, labels listed without data.

let fake: FakeShipStationV1;
const KEY = 'fake-key';
const SECRET = 'fake-secret';
const basic = (key = KEY, secret = SECRET) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

beforeAll(async () => {
  fake = await startFakeShipStationV1({ rateLimit: 5, accounts: [{ apiKey: KEY, apiSecret: SECRET }] });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake, { answers: true });

const call = (path: string, init: { method?: string; body?: unknown; auth?: string } = {}) =>
  fetch(`${fake.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: init.auth ?? basic(), 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

const address = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' };

describe('FixedWindowRateLimiter', () => {
  it('admits `limit` requests per key in each aligned window, takes no slot for a refusal, and says where the caller stands', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000);
    const t = 120_000 + 15_000;
    expect(limiter.admit('k', t).headers).toEqual({ 'X-Rate-Limit-Limit': '2', 'X-Rate-Limit-Remaining': '1', 'X-Rate-Limit-Reset': '45' });
    expect(limiter.admit('k', t + 1).admitted).toBe(true);
    expect(limiter.admit('k', t + 2)).toMatchObject({ admitted: false, headers: { 'X-Rate-Limit-Remaining': '0' } });
    expect(limiter.admit('other', t + 3).admitted).toBe(true);
    expect(limiter.admit('k', 180_000).admitted).toBe(true);
  });
});

describe('the fake ShipStation v1', () => {
  it("refuses a wrong secret with ShipStation's 401", async () => {
    const res = await call('/carriers/getcarrier?carrierCode=stamps_com', { auth: basic(KEY, 'wrong') });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ Message: 'Authorization has been denied for this request.' });
  });

  it('answers the X-Rate-Limit headers and a 429 past the window', async () => {
    const apiKey = `k-${randomUUID()}`;
    fake.addAccount({ apiKey, apiSecret: 's' });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call('/carriers/getcarrier?carrierCode=stamps_com', { auth: basic(apiKey, 's') });
      seen.push(`${res.status}:${res.headers.get('x-rate-limit-remaining')}`);
      if (i === 5) expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(0);
    }
    // A window may turn over during the loop; then the count starts again.
    expect(seen.filter((s) => s.startsWith('429')).length).toBeLessThanOrEqual(1);
    expect(seen.every((s) => /^(200:[0-4]|429:0)$/.test(s))).toBe(true);
    expect(fake.stats(apiKey).peakPerWindow).toBeLessThanOrEqual(6);
  });

  it('keeps one order per orderKey, closes it once shipped, and lists its label without data', async () => {
    const apiKey = `k-${randomUUID()}`;
    fake.addAccount({ apiKey, apiSecret: 's' });
    const auth = basic(apiKey, 's');
    const order = { orderNumber: 'ref-1', orderKey: 'ref-1', orderDate: '2026-12-07T08:00:00.0000000', orderStatus: 'awaiting_shipment', billTo: address, shipTo: address };
    const first = (await (await call('/orders/createorder', { method: 'POST', body: order, auth })).json()) as { orderId: number };
    const again = (await (await call('/orders/createorder', { method: 'POST', body: order, auth })).json()) as { orderId: number };
    expect(again.orderId).toBe(first.orderId);
    expect(fake.ordersFor('ref-1')).toBe(1);
    const label = await call('/orders/createlabelfororder', {
      method: 'POST',
      auth,
      body: { orderId: first.orderId, carrierCode: 'stamps_com', serviceCode: 'usps_priority_mail', packageCode: 'package', confirmation: 'none', shipDate: '2026-12-07', weight: { value: 2, units: 'pounds' }, testLabel: false },
    });
    expect(label.status).toBe(200);
    const bought = (await label.json()) as { shipmentId: number; trackingNumber: string; labelData: string };
    expect(Buffer.from(bought.labelData, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const closed = await call('/orders/createorder', { method: 'POST', body: order, auth });
    expect(closed.status).toBe(400);
    expect(((await closed.json()) as { ExceptionMessage: string }).ExceptionMessage).toMatch(/shipped and cannot be updated/);
    const listed = await (await call('/shipments?orderNumber=ref-1', { auth })).json();
    expect(listed).toMatchObject({ total: 1, shipments: [{ shipmentId: bought.shipmentId, trackingNumber: bought.trackingNumber, labelData: null }] });
  });
});
