import { FaultInjector } from './fault-injector';

const DOWN = { kind: 'status', status: 503 } as const;
const LOST = { kind: 'lost_answer' } as const;

/** The kinds of fault (or '-') the next `n` GET /transactions requests get. */
function draws(faults: FaultInjector, n: number): string[] {
  return Array.from({ length: n }, () => {
    const f = faults.take('GET', '/transactions', 'ListTransactions');
    return f ? (f.kind === 'status' ? String(f.status) : f.kind) : '-';
  });
}

describe('FaultInjector.injectRandom', () => {
  const seeded = (seed: number) => {
    const faults = new FaultInjector();
    faults.injectRandom(
      [
        { fault: DOWN, probability: 0.25 },
        { fault: LOST, probability: 0.2 },
      ],
      { seed, match: { method: 'GET' } },
    );
    return faults;
  };

  it('hits the same requests with the same seed, and others with another seed', () => {
    expect(draws(seeded(7), 50)).toEqual(draws(seeded(7), 50));
    expect(draws(seeded(7), 50)).not.toEqual(draws(seeded(8), 50));
  });

  it('hits about the share asked for of each fault', () => {
    const hits = draws(seeded(19), 4000);
    const share = (kind: string) => hits.filter((h) => h === kind).length / hits.length;
    expect(share('503')).toBeGreaterThan(0.22);
    expect(share('503')).toBeLessThan(0.28);
    expect(share('lost_answer')).toBeGreaterThan(0.17);
    expect(share('lost_answer')).toBeLessThan(0.23);
  });

  it('spares requests that do not match, takes armed faults first, and is disarmed by clear()', () => {
    const faults = seeded(3);
    for (let i = 0; i < 100; i++) expect(faults.take('POST', '/transactions', 'CreateTransaction')).toBeUndefined();
    faults.inject({ kind: 'reset' }, { method: 'GET', times: 2 });
    expect(draws(faults, 2)).toEqual(['reset', 'reset']);
    faults.clear();
    expect(draws(faults, 100).every((d) => d === '-')).toBe(true);
  });

  it('refuses shares that add up to more than 1', () => {
    expect(() => new FaultInjector().injectRandom([{ fault: DOWN, probability: 0.7 }, { fault: LOST, probability: 0.4 }], { seed: 1 })).toThrow(/at most 1/);
  });
});
