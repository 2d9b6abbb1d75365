/**
 * Polls `probe` until `done` accepts its value, as a client polling the API would.
 * Fails with the last value seen when `attempts` run out (a bound, not a timed assertion).
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { attempts = 600, intervalMs = 100 }: { attempts?: number; intervalMs?: number } = {},
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not reached after ${attempts} polls; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
}
