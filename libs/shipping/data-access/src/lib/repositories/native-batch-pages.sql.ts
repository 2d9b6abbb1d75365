/** The statements on native_batch_pages: one row a page of a purchased provider batch's list, leased by the worker collecting it. */

/** Records pages 1..$3 of list $2 (those not recorded yet). */
export const PLAN_PAGES = `INSERT INTO native_batch_pages (native_batch_id, list, page)
       SELECT $1, $2, p FROM generate_series(1, $3::integer) AS p
       ON CONFLICT (native_batch_id, list, page) DO NOTHING`;

/** A native batch's pages: done, failures, leased now, or abandoned (a lease that ran out). */
export const PAGES = `SELECT list, page, done_at IS NOT NULL AS done, failures, coalesce(lease_until > now(), false) AS leased,
                coalesce(lease_until <= now(), false) AS abandoned
         FROM native_batch_pages WHERE native_batch_id = $1 ORDER BY list, page`;

/** Leases a page not done and free (or abandoned) for $4 ms. */
export const LEASE_PAGE = `UPDATE native_batch_pages SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE native_batch_id = $1 AND list = $2 AND page = $3 AND done_at IS NULL AND (lease_until IS NULL OR lease_until < now())
       RETURNING page`;

/** Releases a page, counting a failure when $4 is 1; answers its failures. */
export const RELEASE_PAGE = `UPDATE native_batch_pages SET lease_until = NULL, failures = failures + $4::integer
         WHERE native_batch_id = $1 AND list = $2 AND page = $3 RETURNING failures`;

/** Marks a page done and answers how many others are open; the native batch row is touched too, so a batch being collected is not taken for stale. */
export const PAGE_DONE = `WITH done AS (
           UPDATE native_batch_pages SET done_at = coalesce(done_at, now()), lease_until = NULL
           WHERE native_batch_id = $1 AND list = $2 AND page = $3 RETURNING page
         ), touched AS (
           UPDATE native_batches SET updated_at = now() WHERE id = $1 RETURNING id
         )
         SELECT count(*) AS open FROM native_batch_pages p
         WHERE p.native_batch_id = $1 AND p.done_at IS NULL AND NOT (p.list = $2 AND p.page = $3)`;
