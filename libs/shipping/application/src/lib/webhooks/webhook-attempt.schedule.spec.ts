import type { WebhookAttempt } from './webhook-delivery.repository';
import { scheduleAfterAttempt, type WebhookRetrySchedule } from './webhook-attempt.schedule';

const BASE = 10_000;
const WINDOW = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-12-01T12:00:00.000Z');
const ms = (d: Date | undefined) => (d ? d.getTime() - T0.getTime() : NaN);

const failed = (at: Date, over: Partial<WebhookAttempt> = {}): WebhookAttempt => ({ at, outcome: 'failed', statusCode: 500, error: 'HTTP 500', durationMs: 0, ...over });

/**
 * A delivery on a virtual clock: each attempt is made exactly when it is due and its outcome known
 * at once; the attempt times, from the first (ms after T0), until `answer` delivers it or the
 * schedule ends.
 */
function attemptTimes(answer: (n: number) => WebhookAttempt['outcome'], schedule: WebhookRetrySchedule, max = 60): number[] {
  const d = { id: 'msg_1', attempts: 0, firstAttemptAt: null as Date | null };
  const times: number[] = [];
  let now = T0;
  for (let n = 1; n <= max; n++) {
    times.push(ms(now));
    const outcome = answer(n);
    const next = scheduleAfterAttempt(d, outcome === 'succeeded' ? { at: now, outcome, statusCode: 200, durationMs: 0 } : failed(now, { outcome }), now, schedule);
    d.attempts += 1;
    d.firstAttemptAt ??= now;
    if (next.transition !== 'retry' || !next.nextAttemptAt) break;
    now = next.nextAttemptAt;
  }
  return times;
}

describe('scheduleAfterAttempt: a delivery on its own schedule', () => {
  it('a receiver failing the first three attempts delivers on the 4th: 0, 10, 30, 70 s without jitter, 0, 8, 24, 56 s with the most', () => {
    const firstThreeFail = (n: number) => (n <= 3 ? 'failed' : 'succeeded');
    expect(attemptTimes(firstThreeFail, { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => 0 })).toEqual([0, 10_000, 30_000, 70_000]);
    expect(attemptTimes(firstThreeFail, { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => 1 })).toEqual([0, 8_000, 24_000, 56_000]);
    // Relative to the base: the same shape at 200 ms (the end-to-end tests' setting).
    expect(attemptTimes(firstThreeFail, { retryBaseMs: 200, retryWindowMs: WINDOW, random: () => 0 })).toEqual([0, 200, 600, 1_400]);
  });

  it('each gap is base x 2^(n-1) minus the jitter drawn for it, until the hourly cap', () => {
    const draws = [0.5, 0, 0.25, 1, 0.75];
    let i = 0;
    const times = attemptTimes(() => 'failed', { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => draws[i++ % draws.length] }, 20);
    const gaps = times.slice(1).map((t, k) => t - times[k]);
    expect(gaps.slice(0, 5)).toEqual([9_000, 20_000, 38_000, 64_000, 136_000]);
    expect(gaps.every((g, k) => g >= Math.min(3_600_000, BASE * 2 ** k) * 0.8 && g <= Math.min(3_600_000, BASE * 2 ** k))).toBe(true);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(3_600_000);
  });

  it('a receiver that never succeeds: retried until the window since the first attempt has passed, then given up', () => {
    const times = attemptTimes(() => 'failed', { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => 0 });
    // 0, 10 s, 30 s, ... 2^k - 1 steps of 10 s up to the cap, then hourly: the last one at or past 24 h.
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(WINDOW);
    expect(times[times.length - 2]).toBeLessThan(WINDOW);
    expect(times.length).toBe(33);
  });

  it('an attempt recorded without being sent (its receiver unreachable) is scheduled like one that was sent', () => {
    const d = { id: 'msg_2', attempts: 2, firstAttemptAt: T0 };
    const now = new Date(T0.getTime() + 30_000);
    const schedule = { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => 0.5 };
    const sent = scheduleAfterAttempt(d, failed(now, { statusCode: undefined, error: 'connection refused', durationMs: 3 }), now, schedule);
    const notSent = scheduleAfterAttempt(d, failed(now, { statusCode: undefined, error: 'not sent: the receiver could not be reached (connection refused, delivery msg_1)' }), now, schedule);
    expect(ms(notSent.nextAttemptAt)).toBe(30_000 + 36_000);
    expect(notSent.nextAttemptAt).toEqual(sent.nextAttemptAt);
    expect(notSent).toMatchObject({ id: 'msg_2', transition: 'retry', disableWebhook: undefined });
  });

  it('the next attempt counts from when the outcome was known, not from when the attempt started', () => {
    const d = { id: 'msg_3', attempts: 0, firstAttemptAt: null };
    const at = T0;
    const known = new Date(T0.getTime() + 2_500);
    expect(ms(scheduleAfterAttempt(d, failed(at), known, { retryBaseMs: BASE, retryWindowMs: WINDOW, random: () => 0 }).nextAttemptAt)).toBe(12_500);
  });

  it('2xx delivers; 410 gives up and turns the webhook off; nothing comes next for either', () => {
    const d = { id: 'msg_4', attempts: 3, firstAttemptAt: T0 };
    const schedule = { retryBaseMs: BASE, retryWindowMs: WINDOW };
    expect(scheduleAfterAttempt(d, { at: T0, outcome: 'succeeded', statusCode: 204, durationMs: 1 }, T0, schedule)).toMatchObject({
      transition: 'delivered',
      nextAttemptAt: undefined,
      disableWebhook: undefined,
    });
    expect(scheduleAfterAttempt(d, { at: T0, outcome: 'gone', statusCode: 410, durationMs: 1 }, T0, schedule)).toMatchObject({
      transition: 'gave_up',
      nextAttemptAt: undefined,
      disableWebhook: 'the receiver answered 410 Gone to delivery msg_4',
    });
  });
});
