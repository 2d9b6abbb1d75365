import { MemoryAccountThrottle } from './memory-account.throttle';


describe('MemoryAccountThrottle', () => {
  const start = 1_700_000_000_000;
  let now = start;
  beforeEach(() => {
    now = start;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('spaces consecutive slots one interval apart, per key', async () => {
    const throttle = new MemoryAccountThrottle();
    expect(await throttle.schedule('a', 250, 60_000)).toBe(0);
    expect(await throttle.schedule('a', 250, 60_000)).toBe(250);
    expect(await throttle.schedule('a', 250, 60_000)).toBe(500);
    expect(await throttle.schedule('b', 250, 60_000)).toBe(0);
    now += 400;
    expect(await throttle.schedule('a', 250, 60_000)).toBe(350);
    now += 10_000;
    expect(await throttle.schedule('a', 250, 60_000)).toBe(0);
  });

  it('keeps a fractional interval exact: each wait is rounded up to its slot, the schedule is not', async () => {
    const throttle = new MemoryAccountThrottle();
    expect(await throttle.schedule('a', 303.03, 60_000)).toBe(0);
    expect(await throttle.schedule('a', 303.03, 60_000)).toBe(304);
    expect(await throttle.schedule('a', 303.03, 60_000)).toBe(607);
    for (let i = 3; i < 100; i++) await throttle.schedule('a', 303.03, 60_000);
    expect(await throttle.schedule('a', 303.03, 60_000)).toBe(30_303);
  });

  it('reserves nothing when the slot is further than maxWait: the next call gets the same slot', async () => {
    const throttle = new MemoryAccountThrottle();
    expect(await throttle.schedule('a', 1000, 1500)).toBe(0);
    expect(await throttle.schedule('a', 1000, 1500)).toBe(1000);
    expect(await throttle.schedule('a', 1000, 1500)).toBe(-2000);
    expect(await throttle.schedule('a', 1000, 1500)).toBe(-2000);
    expect(await throttle.schedule('a', 1000, 2000)).toBe(2000);
    expect(await throttle.schedule('a', 1000, 0)).toBe(-3000);
  });

  it('answers at least -1 for a refusal', async () => {
    const throttle = new MemoryAccountThrottle();
    expect(await throttle.schedule('a', 1000, -5)).toBe(-1);
    expect(await throttle.schedule('a', 1000, 60_000)).toBe(0);
  });

  it('applies only pauses with interval 0, and reserves nothing', async () => {
    const throttle = new MemoryAccountThrottle();
    for (let i = 0; i < 100; i++) expect(await throttle.schedule('a', 0, 60_000)).toBe(0);
    await throttle.pause('a', 5000);
    expect(await throttle.schedule('a', 0, 60_000)).toBe(5000);
    expect(await throttle.schedule('a', 0, 60_000)).toBe(5000);
    expect(await throttle.schedule('a', 0, 1000)).toBe(-5000);
  });

  it('pushes the schedule on pause, and a shorter pause never shortens it', async () => {
    const throttle = new MemoryAccountThrottle();
    await throttle.pause('a', 5000);
    await throttle.pause('a', 1);
    expect(await throttle.schedule('a', 1000, 60_000)).toBe(5000);
    expect(await throttle.schedule('a', 1000, 60_000)).toBe(6000);
    await throttle.pause('a', 2000);
    expect(await throttle.schedule('a', 1000, 60_000)).toBe(7000);
    await throttle.pause('a', 30_000);
    expect(await throttle.schedule('a', 1000, 60_000)).toBe(30_000);
    expect(await throttle.schedule('b', 1000, 60_000)).toBe(0);
  });
});
