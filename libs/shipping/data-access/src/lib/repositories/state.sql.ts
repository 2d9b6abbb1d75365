import type { EntityManager } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import { BATCH_TRANSITION_EVENTS, type BatchStep } from '@shipbatch/shipping/domain';

/**
 * States in SQL come from the domain's tables (`@shipbatch/shipping/domain`, batch.machines):
 * writes pass a transition's `from` list and target as parameters (`WHERE status =
 * ANY($from)`); fixed read conditions inline a domain constant through these helpers, which
 * accept only state names (upper case and underscores), so nothing else can be spliced in.
 */
export function sqlState(state: string): string {
  if (!/^[A-Z][A-Z_]*$/.test(state)) throw new Error(`not a state name: ${JSON.stringify(state)}`);
  return `'${state}'`;
}

/** `('A', 'B')`, for `column IN ${sqlStates(list)}`. */
export function sqlStates(states: readonly string[]): string {
  if (states.length === 0) throw new Error('an empty state list');
  return `(${states.map(sqlState).join(', ')})`;
}

/**
 * Applies a batch step as one conditional statement: `status = step.to` only while the row is
 * in one of `step.from`, with the outbox event the domain names for the transition
 * (BATCH_TRANSITION_EVENTS) written by the same statement. False when the row's status did not
 * allow the step (nothing is written then): two callers racing on one step cannot both win.
 */
export async function applyBatchStep(m: Pick<EntityManager, 'query'>, batchId: string, step: BatchStep): Promise<boolean> {
  const event = BATCH_TRANSITION_EVENTS[step.name] ?? null;
  const payload = event === 'batch_created' ? { status: step.to } : {};
  const rows = normalizeRows<{ tenant_id: string }>(
    await m.query(
      `WITH done AS (
         UPDATE batches SET status = $2, updated_at = now()
         WHERE id = $1 AND status = ANY($3::text[])
         RETURNING tenant_id
       ), event AS (
         INSERT INTO outbox_events (tenant_id, type, object_id, payload)
         SELECT tenant_id, $4::text, $1, $5::jsonb FROM done WHERE $4::text IS NOT NULL
       )
       SELECT tenant_id FROM done`,
      [batchId, step.to, step.from, event, JSON.stringify(payload)],
    ),
  );
  return rows.length > 0;
}
