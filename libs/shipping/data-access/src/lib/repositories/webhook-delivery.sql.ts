/** The statements of the webhook delivery repository that are more than a line or two. */

/** A delivery's id as the receiver sees it (`webhook-id`): `msg_` and 32 hex, the same on every retry. */
const NEW_DELIVERY_ID = `'msg_' || replace(gen_random_uuid()::text, '-', '')`;

/**
 * $1 limit. Takes up to $1 unpublished outbox events (skipping those another relay holds), makes
 * one delivery per active matching webhook of the tenant created before the event, and marks the
 * events published; counts of both.
 */
export const RELAY_SQL = `WITH ev AS (
   SELECT id, tenant_id, type, object_id, payload, created_at FROM outbox_events
   WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
 ), made AS (
   INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, event_id, event, object_id, event_payload, test, status, next_attempt_at)
   SELECT ${NEW_DELIVERY_ID}, ev.tenant_id, w.id, ev.id, ev.type, ev.object_id, ev.payload, w.is_test, 'pending', now()
   FROM ev JOIN webhooks w ON w.tenant_id = ev.tenant_id AND w.active
     AND (w.event = ev.type OR w.event = 'all') AND w.created_at <= ev.created_at
   ON CONFLICT (webhook_id, event_id) DO NOTHING
   RETURNING id
 ), published AS (
   UPDATE outbox_events o SET published_at = now() FROM ev WHERE o.id = ev.id RETURNING o.id
 )
 SELECT (SELECT count(*) FROM published) AS events, (SELECT count(*) FROM made) AS deliveries`;

/**
 * $1 limit, $2 lease in ms, $3 token. Each active webhook's due deliveries in order (an index
 * range scan each), numbered; a webhook whose receiver could not be reached offers only its
 * oldest due (a probe), and none while one of its deliveries is out. Then round by round across
 * webhooks, oldest due first within a round; locked and leased under the token. Every due
 * delivery of a webhook that is not probed is offered: no time holds one back.
 */
export const CLAIM_DUE_SQL = `WITH offered AS (
   SELECT o.id, o.webhook_id, o.next_attempt_at, o.round FROM webhooks w
   CROSS JOIN LATERAL (
     SELECT d.id, d.webhook_id, d.next_attempt_at, row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS round
     FROM webhook_deliveries d
     WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= now()
       AND (d.lease_until IS NULL OR d.lease_until < now())
     ORDER BY d.next_attempt_at, d.id
     LIMIT CASE WHEN w.consecutive_failures > 0 THEN 1 ELSE $1 END
   ) o
   WHERE w.active
     -- An unreachable webhook's probe goes alone: none while one of its deliveries is out.
     AND (w.consecutive_failures = 0 OR NOT EXISTS (
       SELECT 1 FROM webhook_deliveries l WHERE l.webhook_id = w.id AND l.status = 'pending' AND l.lease_until >= now()))
 ), picked AS (
   SELECT id FROM offered ORDER BY round, next_attempt_at, id LIMIT $1
 ), locked AS (
   SELECT d.id FROM webhook_deliveries d JOIN picked ON picked.id = d.id
   WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
   FOR UPDATE OF d SKIP LOCKED
 )
 UPDATE webhook_deliveries d SET lease_until = now() + ($2::double precision * interval '1 millisecond'), lease_token = $3
 FROM locked WHERE d.id = locked.id RETURNING d.id, d.webhook_id`;

/**
 * $1 webhook id, $2 limit. Up to $2 pending deliveries of the webhook (if active) due now and not
 * leased, oldest due first (the due index), with what their next times need. Nothing is locked:
 * recording them re-checks that they are still due and unleased (RECORD_ATTEMPTS_SQL).
 */
export const DUE_OF_SQL = `SELECT d.id, d.attempts, d.first_attempt_at FROM webhook_deliveries d
 WHERE d.webhook_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now()
   AND (d.lease_until IS NULL OR d.lease_until < now())
   AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = $1 AND w.active)
 ORDER BY d.next_attempt_at, d.id LIMIT $2`;

/**
 * Parallel arrays: $1 ids, $2 target statuses, $3 status codes, $4 errors, $5 next attempt
 * times, $6 attempt times, $7 outcomes, $8 durations, $9 if still due. Applies each transition
 * to the deliveries still pending (counting the attempt, keeping the first attempt time,
 * releasing the lease) and writes an attempt row for each of those; their ids. One marked `if
 * still due` (recorded without being sent, not leased by the round) only while it is still due
 * and no claim holds it: a claim that took it meanwhile sends it instead.
 */
export const RECORD_ATTEMPTS_SQL = `WITH v AS (
   SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::integer[], $9::boolean[])
     AS v(id, to_status, status_code, error, next_at, at, outcome, duration_ms, if_due)
 ), changed AS (
   UPDATE webhook_deliveries d SET status = v.to_status, attempts = d.attempts + 1, last_status_code = v.status_code, last_error = v.error,
     next_attempt_at = COALESCE(v.next_at, d.next_attempt_at), first_attempt_at = COALESCE(d.first_attempt_at, v.at),
     lease_until = NULL, lease_token = NULL, updated_at = now()
   FROM v WHERE d.id = v.id AND d.status = 'pending'
     AND (NOT v.if_due OR (d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())))
   RETURNING d.id
 )
 INSERT INTO webhook_attempts (delivery_id, attempted_at, outcome, status_code, error, duration_ms)
 SELECT v.id, v.at, v.outcome, v.status_code, v.error, v.duration_ms FROM v JOIN changed ON changed.id = v.id
 ORDER BY v.at, v.id
 RETURNING delivery_id`;
