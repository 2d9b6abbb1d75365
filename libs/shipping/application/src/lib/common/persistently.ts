/**
 * Runs `work` until it succeeds or `deadline` (epoch ms) passes, waiting 250 ms after the first
 * failure and doubling up to 2 s: for the writes that settle work already done (labels bought,
 * shipments handed back), which must not be lost to a database connection that drops for a few
 * seconds (a PostgreSQL restart). Each write it repeats is safe to repeat. After the deadline it
 * throws the last error; `onFailure` hears every failure before a wait.
 */
export async function persistently<T>(work: () => Promise<T>, deadline: number, onFailure?: (error: unknown) => void): Promise<T> {
  for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 2_000)) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() + waitMs > deadline) throw error;
      onFailure?.(error);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
