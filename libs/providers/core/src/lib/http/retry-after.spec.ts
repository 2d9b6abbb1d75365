import { DEFAULT_RETRY_AFTER_MS, parseRetryAfterMs } from './retry-after';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date, a past one as 0', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });

  it.each([[undefined], [''], ['soon'], ['-5'], ['12abc'], ['12:00:30']])('assumes 10 s for %p', (value) => {
    expect(parseRetryAfterMs(value, now)).toBe(DEFAULT_RETRY_AFTER_MS);
    expect(DEFAULT_RETRY_AFTER_MS).toBe(10_000);
  });
});
