import { RETRY_WINDOW_MS, retryDelayMs, shouldGiveUp } from './webhook-retry';

const HOUR = 60 * 60 * 1000;

/** Deterministic uniform numbers in [0, 1) (a small LCG), so a "random" schedule is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Plays a delivery that never succeeds against a virtual clock: no sleeping. */
function simulate(random: () => number, options: { baseMs?: number; maxMs?: number } = {}) {
  const first = new Date(0);
  const attemptsAt: number[] = [0];
  const delays: number[] = [];
  let now = 0;
  let attempt = 1;
  // After each failed attempt: give up, or wait and try again.
  while (!shouldGiveUp(first, new Date(now))) {
    const delay = retryDelayMs(attempt, { ...options, random });
    delays.push(delay);
    now += delay;
    attempt += 1;
    attemptsAt.push(now);
    if (attempt > 10_000) throw new Error('never gives up');
  }
  return { attemptsAt, delays, attempts: attempt };
}

describe('retryDelayMs', () => {
  const none = () => 0; // no jitter taken off: the nominal delay
  const most = () => 0.999999; // nearly all of the 20 % taken off

  it('doubles from baseMs per attempt and is capped at maxMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, { random: none }))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    expect(retryDelayMs(9, { random: none })).toBe(2_560_000);
    expect(retryDelayMs(10, { random: none })).toBe(3_600_000);
    expect(retryDelayMs(50, { random: none })).toBe(3_600_000);
    expect(retryDelayMs(5_000, { random: none })).toBe(3_600_000);
    expect(retryDelayMs(3, { baseMs: 1_000, maxMs: 5_000, random: none })).toBe(4_000);
    expect(retryDelayMs(4, { baseMs: 1_000, maxMs: 5_000, random: none })).toBe(5_000);
  });

  it('is monotone in the attempt number for a fixed jitter draw', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const delays = Array.from({ length: 40 }, (_, i) => retryDelayMs(i + 1, { random: () => r }));
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    }
  });

  it('jitter stays within [0.8, 1] × the nominal delay, and never exceeds maxMs', () => {
    const random = seeded(42);
    for (let attempt = 1; attempt <= 30; attempt++) {
      const nominal = Math.min(3_600_000, 10_000 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = retryDelayMs(attempt, { random });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
        expect(delay).toBeLessThanOrEqual(nominal);
        expect(delay).toBeLessThanOrEqual(3_600_000);
      }
    }
    expect(retryDelayMs(1, { random: most })).toBe(8_000);
    expect(retryDelayMs(1, { random: none })).toBe(10_000);
  });

  it('actually varies with the random draw (spreads receivers out)', () => {
    const random = seeded(7);
    const draws = new Set(Array.from({ length: 50 }, () => retryDelayMs(12, { random })));
    expect(draws.size).toBeGreaterThan(40);
  });

  it('uses Math.random by default and stays in bounds', () => {
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(2);
      expect(delay).toBeGreaterThanOrEqual(16_000);
      expect(delay).toBeLessThanOrEqual(20_000);
    }
  });

  it('clamps a misbehaving random source into bounds', () => {
    expect(retryDelayMs(1, { random: () => -5 })).toBe(10_000);
    expect(retryDelayMs(1, { random: () => 7 })).toBe(8_000);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects attempt %p', (attempt) => {
    expect(() => retryDelayMs(attempt)).toThrow(RangeError);
  });

  it('rejects nonsensical options', () => {
    expect(() => retryDelayMs(1, { baseMs: 0 })).toThrow(RangeError);
    expect(() => retryDelayMs(1, { baseMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => retryDelayMs(1, { jitter: 1 })).toThrow(RangeError);
  });
});

describe('shouldGiveUp', () => {
  const first = new Date('2024-05-01T00:00:00Z');

  it('is false inside the 24-hour window and true from its end', () => {
    expect(RETRY_WINDOW_MS).toBe(24 * HOUR);
    expect(shouldGiveUp(first, first)).toBe(false);
    expect(shouldGiveUp(first, new Date(first.getTime() + 24 * HOUR - 1))).toBe(false);
    expect(shouldGiveUp(first, new Date(first.getTime() + 24 * HOUR))).toBe(true);
    expect(shouldGiveUp(first, new Date(first.getTime() + 30 * HOUR))).toBe(true);
  });

  it('takes another window', () => {
    expect(shouldGiveUp(first, new Date(first.getTime() + HOUR), HOUR)).toBe(true);
    expect(shouldGiveUp(first, new Date(first.getTime() + HOUR - 1), HOUR)).toBe(false);
  });
});

describe('the default schedule', () => {
  it.each([
    ['the shortest delays (all jitter taken off)', () => 0.999999],
    ['the longest delays (no jitter)', () => 0],
    ['seeded random jitter', seeded(1)],
    ['other seeded random jitter', seeded(20240501)],
  ])('keeps retrying for at least 24 h, with %s', (_name, random) => {
    const { attemptsAt, delays, attempts } = simulate(random);
    const total = delays.reduce((sum, d) => sum + d, 0);
    const last = attemptsAt[attemptsAt.length - 1];
    const beforeLast = attemptsAt[attemptsAt.length - 2];
    // The delays add up to the whole window: the last attempt is made 24 h or more after the
    // first, and the one before it was still inside the window.
    expect(total).toBe(last);
    expect(last).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    expect(beforeLast).toBeLessThan(RETRY_WINDOW_MS);
    // ...and not far beyond it: gives up within one maximal delay after the window.
    expect(last).toBeLessThan(RETRY_WINDOW_MS + 3_600_000);
    // A sensible number of attempts: tens, not thousands.
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(45);
    // Early retries are quick: the first five all happen within the first ten minutes.
    expect(attemptsAt[4]).toBeLessThan(10 * 60 * 1000);
  });
});
