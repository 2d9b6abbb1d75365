/** Runs at most `n` of the tasks given to it at once, the others in the order given. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(n: number): Limit {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot straight to the next waiting one.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
