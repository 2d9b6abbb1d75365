import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ChunkContents,
  FinishedPurchase,
  LabelFilesRepository,
  SettledChunk,
} from '@shipbatch/shipping/application';
import {
  BATCH_TRANSITION_EVENTS,
  BATCH_TRANSITIONS,
  fromStates,
  OPEN_PURCHASE_STATES,
  PURCHASE_STATE_TRANSITIONS,
  toState,
} from '@shipbatch/shipping/domain';
import { sqlState, sqlStates } from '../repositories/state.sql';

/** The domain's rule: a shipment in one of OPEN_PURCHASE_STATES keeps its chunk (and batch) open. */
const OPEN = `purchase_state IN ${sqlStates(OPEN_PURCHASE_STATES)}`;
const BOUGHT = sqlState(toState(PURCHASE_STATE_TRANSITIONS, 'purchased'));
/** The batch's transition `purchase_finished` (PURCHASING -> PURCHASED) and its event. */
const FINISH = {
  from: fromStates(BATCH_TRANSITIONS, 'purchase_finished'),
  to: toState(BATCH_TRANSITIONS, 'purchase_finished'),
  event: BATCH_TRANSITION_EVENTS.purchase_finished,
};
/** Fingerprint of a chunk's bought labels, over its batch_shipments rows (see labelsFingerprint). */
const fingerprintOf = (s = 'batch_shipments') =>
  `md5(coalesce(string_agg(${s}.transaction_id, ',' ORDER BY ${s}.position) FILTER (WHERE ${s}.purchase_state = ${BOUGHT}), ''))`;
const FINGERPRINT = fingerprintOf();

@Injectable()
export class TypeormLabelFilesRepository implements LabelFilesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async settledChunks(batchId: string, batchShipmentIds: string[]): Promise<SettledChunk[]> {
    const rows = normalizeRows<{ chunk: number; fingerprint: string; tenant_id: string; labels: string | number }>(
      await this.dataSource.query(
        `SELECT c.chunk, (SELECT tenant_id FROM batches WHERE id = $1) AS tenant_id,
                (SELECT ${FINGERPRINT} FROM batch_shipments WHERE batch_id = $1 AND file_chunk = c.chunk) AS fingerprint,
                (SELECT count(*) FROM batch_shipments WHERE batch_id = $1 AND file_chunk = c.chunk AND purchase_state = ${BOUGHT}) AS labels
         FROM (SELECT DISTINCT file_chunk AS chunk FROM batch_shipments
               WHERE batch_id = $1 AND id = ANY($2::text[]) AND file_chunk IS NOT NULL) c
         WHERE NOT EXISTS (SELECT 1 FROM batch_shipments o WHERE o.batch_id = $1 AND o.file_chunk = c.chunk AND o.${OPEN})`,
        [batchId, batchShipmentIds],
      ),
    );
    return rows.map((r) => ({ batchId, tenantId: r.tenant_id, chunk: Number(r.chunk), fingerprint: r.fingerprint, labels: Number(r.labels) }));
  }

  async chunkContents(batchId: string, chunk: number): Promise<ChunkContents | null> {
    const [head] = normalizeRows<{
      tenant_id: string;
      label_filetype: string;
      open: boolean;
      fingerprint: string | null;
      file_key: string | null;
      recorded: boolean;
    }>(
      await this.dataSource.query(
        `SELECT b.tenant_id, b.label_filetype,
                EXISTS (SELECT 1 FROM batch_shipments o WHERE o.batch_id = $1 AND o.file_chunk = $2 AND o.${OPEN}) AS open,
                f.fingerprint, f.file_key, f.batch_id IS NOT NULL AS recorded
         FROM batches b LEFT JOIN batch_label_files f ON f.batch_id = b.id AND f.chunk = $2
         WHERE b.id = $1`,
        [batchId, chunk],
      ),
    );
    if (!head) return null;
    const labels = normalizeRows<{ label_id: string; batch_shipment_id: string; file_key: string | null; tracking_number: string }>(
      await this.dataSource.query(
        `SELECT l.id AS label_id, s.id AS batch_shipment_id, l.file_key, l.tracking_number
         FROM batch_shipments s JOIN labels l ON l.id = s.transaction_id
         WHERE s.batch_id = $1 AND s.file_chunk = $2 AND s.purchase_state = ${BOUGHT}
         ORDER BY s.position`,
        [batchId, chunk],
      ),
    );
    return {
      tenantId: head.tenant_id,
      labelFiletype: head.label_filetype,
      open: head.open,
      labels: labels.map((l) => ({
        labelId: l.label_id,
        batchShipmentId: l.batch_shipment_id,
        fileKey: l.file_key,
        trackingNumber: l.tracking_number,
      })),
      recorded: head.recorded ? { fingerprint: head.fingerprint ?? '', fileKey: head.file_key } : null,
    };
  }

  async recordChunkFile(
    batchId: string,
    chunk: number,
    fingerprint: string,
    fileKey: string | null,
    labelCount: number,
  ): Promise<{ recorded: boolean; replacedKey: string | null }> {
    // One statement: recorded only while the chunk is settled and still holds these labels.
    const rows = normalizeRows<{ replaced: string | null }>(
      await this.dataSource.query(
        `WITH current AS (
           SELECT ${FINGERPRINT} AS fingerprint, count(*) FILTER (WHERE ${OPEN}) AS open
           FROM batch_shipments WHERE batch_id = $1 AND file_chunk = $2
         ), previous AS (
           SELECT file_key FROM batch_label_files WHERE batch_id = $1 AND chunk = $2
         )
         INSERT INTO batch_label_files (batch_id, chunk, fingerprint, file_key, label_count)
         SELECT $1, $2, $3, $4, $5 FROM current WHERE current.fingerprint = $3 AND current.open = 0
         ON CONFLICT (batch_id, chunk) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, file_key = EXCLUDED.file_key,
               label_count = EXCLUDED.label_count, updated_at = now()
         RETURNING (SELECT file_key FROM previous) AS replaced`,
        [batchId, chunk, fingerprint, fileKey, labelCount],
      ),
    );
    if (rows.length === 0) return { recorded: false, replacedKey: null };
    const replaced = rows[0].replaced;
    return { recorded: true, replacedKey: replaced && replaced !== fileKey ? replaced : null };
  }

  async hasOpenShipments(batchId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM batch_shipments WHERE batch_id = $1 AND ${OPEN}) AS open`,
      [batchId],
    );
    return Boolean(row.open);
  }

  async finishPurchase(batchId: string): Promise<FinishedPurchase | null> {
    // One statement, so one atomic step: the status, the file list and the event. It applies
    // the domain's `purchase_finished` (WHERE status = ANY(its from), SET its to, its event)
    // under the domain's rule (nothing in OPEN_PURCHASE_STATES) plus a current merged file for
    // every chunk. Concurrent callers serialize on the batch row; the later one finds it no
    // longer in `from`.
    const rows = normalizeRows<{ tenant_id: string; new_keys: string[]; old_keys: string[] }>(
      await this.dataSource.query(
        `WITH chunks AS (
           SELECT file_chunk AS chunk, ${FINGERPRINT} AS fingerprint
           FROM batch_shipments WHERE batch_id = $1 AND file_chunk IS NOT NULL GROUP BY file_chunk
         ), ready AS (
           SELECT NOT EXISTS (SELECT 1 FROM batch_shipments WHERE batch_id = $1 AND ${OPEN})
              AND NOT EXISTS (
                SELECT 1 FROM chunks c LEFT JOIN batch_label_files f
                  ON f.batch_id = $1 AND f.chunk = c.chunk AND f.fingerprint = c.fingerprint
                WHERE f.batch_id IS NULL) AS ok
         ), files AS (
           SELECT coalesce(jsonb_agg(f.file_key ORDER BY f.chunk) FILTER (WHERE f.file_key IS NOT NULL), '[]'::jsonb) AS keys
           FROM chunks c JOIN batch_label_files f ON f.batch_id = $1 AND f.chunk = c.chunk AND f.fingerprint = c.fingerprint
         ), previous AS (
           SELECT label_file_keys AS keys FROM batches WHERE id = $1
         ), done AS (
           UPDATE batches SET status = $3, label_file_keys = (SELECT keys FROM files), updated_at = now()
           WHERE id = $1 AND status = ANY($2::text[]) AND (SELECT ok FROM ready)
           RETURNING tenant_id, label_file_keys
         ), event AS (
           INSERT INTO outbox_events (tenant_id, type, object_id, payload)
           SELECT tenant_id, $4::text, $1, jsonb_build_object('status', $3::text) FROM done
         )
         SELECT done.tenant_id, done.label_file_keys AS new_keys, (SELECT keys FROM previous) AS old_keys FROM done`,
        [batchId, FINISH.from, FINISH.to, FINISH.event],
      ),
    );
    const row = rows[0];
    if (!row) return null;
    const current = new Set(row.new_keys ?? []);
    return { tenantId: row.tenant_id, staleKeys: (row.old_keys ?? []).filter((k) => !current.has(k)) };
  }

  async chunksNeedingMerge(limit: number): Promise<SettledChunk[]> {
    const rows = normalizeRows<{ batch_id: string; tenant_id: string; chunk: number; fingerprint: string; labels: string | number }>(
      await this.dataSource.query(
        `SELECT c.batch_id, c.tenant_id, c.chunk, c.fingerprint, c.labels FROM (
           SELECT s.batch_id, b.tenant_id, s.file_chunk AS chunk, ${fingerprintOf('s')} AS fingerprint,
                  count(*) FILTER (WHERE s.purchase_state = ${BOUGHT}) AS labels
           FROM batch_shipments s JOIN batches b ON b.id = s.batch_id
           WHERE b.status = ANY($2::text[]) AND s.file_chunk IS NOT NULL
           GROUP BY s.batch_id, b.tenant_id, s.file_chunk
           HAVING count(*) FILTER (WHERE s.${OPEN}) = 0
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM batch_label_files f
                           WHERE f.batch_id = c.batch_id AND f.chunk = c.chunk AND f.fingerprint = c.fingerprint)
         ORDER BY c.batch_id, c.chunk LIMIT $1`,
        [limit, FINISH.from],
      ),
    );
    return rows.map((r) => ({ batchId: r.batch_id, tenantId: r.tenant_id, chunk: Number(r.chunk), fingerprint: r.fingerprint, labels: Number(r.labels) }));
  }
}
