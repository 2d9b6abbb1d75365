import type { SqlClient } from '@shipbatch/providers/core';

/**
 * Waits, when the database clock is in the last `marginSeconds` of a minute, until the next
 * minute begins, so that a test of a per-minute rate window does not straddle two windows.
 * A wait, not a timing assertion.
 */
export async function awayFromMinuteEdge(sql: SqlClient, marginSeconds = 10): Promise<void> {
  const [row] = await sql.query<{ ms: number | string }>(`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms`);
  const intoMinute = Number(row.ms) % 60_000;
  if (intoMinute > 60_000 - marginSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
  }
}
