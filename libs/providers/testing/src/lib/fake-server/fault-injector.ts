import type { Fault, FaultMatch } from './fake-server.types';

interface Armed {
  fault: Fault;
  match: FaultMatch;
  left: number;
}

/** Faults armed for the next matching requests, taken in the order they were injected. */
export class FaultInjector {
  private armed: Armed[] = [];

  /** Arms a fault for the next `times` (default 1) requests that match. */
  inject(fault: Fault, match: FaultMatch = {}): void {
    const times = match.times ?? 1;
    if (!(times > 0)) throw new Error(`faults.inject: times must be positive, got ${times}`);
    this.armed.push({ fault, match, left: times });
  }

  /** Disarms every fault. */
  clear(): void {
    this.armed = [];
  }

  /** How many fault hits are still armed (Infinity when one is unbounded). */
  pending(): number {
    return this.armed.reduce((n, a) => n + a.left, 0);
  }

  /** The fault for this request, if one is armed for it (used by the server). */
  take(method: string, path: string, operationId: string | undefined): Fault | undefined {
    const hit = this.armed.find(({ match }) => {
      if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
      if (match.operationId && match.operationId !== operationId) return false;
      if (match.path !== undefined) {
        if (typeof match.path === 'string' ? match.path !== path : !match.path.test(path)) return false;
      }
      return true;
    });
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }
}
