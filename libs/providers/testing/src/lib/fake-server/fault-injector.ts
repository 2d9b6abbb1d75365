import type { Fault, FaultMatch } from './fake-server.types';

interface Armed {
  fault: Fault;
  match: FaultMatch;
  left: number;
}

/** A fault and the share of matching requests it hits (0 to 1). */
export interface RandomFault {
  fault: Fault;
  probability: number;
}

interface Random {
  faults: RandomFault[];
  match: FaultMatch;
  next: () => number;
}

/**
 * Faults armed for the next matching requests, taken in the order they were injected; and
 * faults that hit a share of matching requests at random, from a seeded generator.
 */
export class FaultInjector {
  private armed: Armed[] = [];
  private random: Random[] = [];

  /** Arms a fault for the next `times` (default 1) requests that match. */
  inject(fault: Fault, match: FaultMatch = {}): void {
    const times = match.times ?? 1;
    if (!(times > 0)) throw new Error(`faults.inject: times must be positive, got ${times}`);
    this.armed.push({ fault, match, left: times });
  }

  /**
   * From now on, each request matching `match` (its `times` is ignored) draws one number from a
   * generator seeded with `seed` and gets the first of `faults` whose share that number falls
   * into, or none: `[{ 503, 0.25 }, { lost_answer, 0.2 }]` hits a quarter of the requests with a
   * 503 and a fifth with a lost answer. The same seed and the same sequence of requests hit the
   * same faults, so a test stays reproducible. Faults armed with `inject` are taken first.
   */
  injectRandom(faults: RandomFault[], options: { seed: number; match?: FaultMatch }): void {
    const total = faults.reduce((sum, f) => sum + f.probability, 0);
    if (faults.some((f) => !(f.probability >= 0)) || total > 1) {
      throw new Error(`faults.injectRandom: probabilities must be at least 0 and add up to at most 1, got ${total}`);
    }
    this.random.push({ faults, match: { ...options.match, times: undefined }, next: mulberry32(options.seed) });
  }

  /** Disarms every fault, random ones included. */
  clear(): void {
    this.armed = [];
    this.random = [];
  }

  /** How many fault hits are still armed (Infinity when one is unbounded). */
  pending(): number {
    return this.armed.reduce((n, a) => n + a.left, 0);
  }

  /** The fault for this request, if one is armed for it (used by the server). */
  take(method: string, path: string, operationId: string | undefined): Fault | undefined {
    const matches = (match: FaultMatch): boolean => {
      if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
      if (match.operationId && match.operationId !== operationId) return false;
      if (match.path !== undefined) {
        if (typeof match.path === 'string' ? match.path !== path : !match.path.test(path)) return false;
      }
      return true;
    };
    const hit = this.armed.find(({ match }) => matches(match));
    if (hit) {
      hit.left -= 1;
      if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
      return hit.fault;
    }
    for (const rule of this.random) {
      if (!matches(rule.match)) continue;
      let draw = rule.next();
      for (const { fault, probability } of rule.faults) {
        if (draw < probability) return fault;
        draw -= probability;
      }
    }
    return undefined;
  }
}

/** A small seeded generator of numbers in [0, 1) (mulberry32): reproducible, not for secrets. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
