/**
 * A counting semaphore whose waiters are served by group in turns: when a permit is freed, it
 * goes to the first waiter of the next group in the round, not to the longest waiter overall.
 * A group with one waiter behind another group's hundred waits for one turn, not a hundred.
 */
export class FairGate {
  private free: number;
  /** Waiters by group; the Map's order is the round (a group served goes to its end). */
  private readonly lines = new Map<string, Array<() => void>>();

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** Waiters not yet served, all groups together. */
  get waiting(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.length;
    return n;
  }

  acquire(group: string): Promise<void> {
    if (this.free > 0 && this.lines.size === 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const line = this.lines.get(group);
      if (line) line.push(resolve);
      else this.lines.set(group, [resolve]);
    });
  }

  release(): void {
    const next = this.lines.entries().next();
    if (next.done) {
      this.free++;
      return;
    }
    const [group, line] = next.value;
    const resolve = line.shift() as () => void;
    this.lines.delete(group);
    if (line.length > 0) this.lines.set(group, line);
    resolve();
  }
}
