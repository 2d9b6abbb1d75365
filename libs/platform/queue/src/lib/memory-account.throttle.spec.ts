import { MemoryAccountThrottle } from './memory-account.throttle';

describe('MemoryAccountThrottle', () => {
  it('answers 0 under the per-minute limit and asks to wait above it, per key', async () => {
    const throttle = new MemoryAccountThrottle();
    expect(await throttle.reserve('a', 2)).toBe(0);
    expect(await throttle.reserve('a', 2)).toBe(0);
    expect(await throttle.reserve('a', 2)).toBeGreaterThan(0);
    expect(await throttle.reserve('b', 2)).toBe(0);
  });

  it('applies only pauses when no limit is given', async () => {
    const throttle = new MemoryAccountThrottle();
    for (let i = 0; i < 100; i++) expect(await throttle.reserve('a')).toBe(0);
  });

  it('holds a paused key off, whatever its limit, and leaves other keys alone', async () => {
    const throttle = new MemoryAccountThrottle();
    await throttle.pause('a', 5000);
    expect(await throttle.reserve('a')).toBeGreaterThan(0);
    expect(await throttle.reserve('a', 1000)).toBeGreaterThan(0);
    expect(await throttle.reserve('b')).toBe(0);
  });

  it('keeps the longer of two pauses', async () => {
    const throttle = new MemoryAccountThrottle();
    await throttle.pause('a', 60_000);
    await throttle.pause('a', 1);
    expect(await throttle.reserve('a')).toBeGreaterThan(1000);
  });
});
