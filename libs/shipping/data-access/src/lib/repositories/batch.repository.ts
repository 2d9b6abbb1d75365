import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import {
  type Batch,
  type BatchCounts,
  BATCH_SHIPMENT_STATUS_TRANSITIONS,
  BATCH_TRANSITIONS,
  type BatchShipmentStatus,
  type BatchStep,
  fromStates,
  IllegalTransitionError,
  LABELS_PER_FILE,
  type ObjectResultsFilter,
  PURCHASE_STATE_TRANSITIONS,
  type PurchaseState,
  toState,
} from '@shipbatch/shipping/domain';
import type {
  BatchRepository,
  BatchShipmentView,
  LockedBatchScope,
  NewBatch,
  NewBatchShipment,
  Page,
} from '@shipbatch/shipping/application';
import { objectResultsCondition } from './object-results.sql';
import { type BatchRow, type BatchShipmentRow, COUNTS_SQL, toBatch, toCounts, toShipmentView } from './row-mappers';
import { applyBatchStep, sqlState } from './state.sql';

/**
 * Queuing for purchase, from the domain's tables. all_valid: the VALID shipments take purchase
 * transition `queued` (NONE -> QUEUED), their status stays. retry_failed: the failed ones take
 * `retry_failed` of both machines (FAILED -> QUEUED, TRANSACTION_FAILED -> VALID).
 */
const QUEUE: Record<
  'all_valid' | 'retry_failed',
  { statuses: readonly BatchShipmentStatus[]; statusTo: BatchShipmentStatus | null; purchaseFrom: readonly PurchaseState[]; purchaseTo: PurchaseState }
> = {
  all_valid: {
    statuses: ['VALID'],
    statusTo: null,
    purchaseFrom: fromStates(PURCHASE_STATE_TRANSITIONS, 'queued'),
    purchaseTo: toState(PURCHASE_STATE_TRANSITIONS, 'queued'),
  },
  retry_failed: {
    statuses: fromStates(BATCH_SHIPMENT_STATUS_TRANSITIONS, 'retry_failed'),
    statusTo: toState(BATCH_SHIPMENT_STATUS_TRANSITIONS, 'retry_failed'),
    purchaseFrom: fromStates(PURCHASE_STATE_TRANSITIONS, 'retry_failed'),
    purchaseTo: toState(PURCHASE_STATE_TRANSITIONS, 'retry_failed'),
  },
};

/**
 * Inserts shipments set-based: one statement per 5,000 rows, the rows passed as one JSON
 * document (a row-per-parameter INSERT of 10,000 shipments would pass PostgreSQL's limit of
 * 65,535 bind parameters).
 */
async function insertShipments(
  m: EntityManager,
  batch: { id: string; tenantId: string },
  shipments: NewBatchShipment[],
  firstPosition: number,
): Promise<void> {
  const CHUNK = 5000;
  for (let start = 0; start < shipments.length; start += CHUNK) {
    const chunk = shipments.slice(start, start + CHUNK).map((s) => ({ id: s.id, input: s.input }));
    await m.query(
      `INSERT INTO batch_shipments (id, tenant_id, batch_id, position, status, carrier_account, servicelevel_token, metadata, input)
       SELECT e->>'id', $2, $3, $4::bigint + t.ord - 1, $5,
              e->'input'->>'carrier_account', e->'input'->>'servicelevel_token',
              coalesce(e->'input'->>'metadata', ''), e->'input'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, ord)`,
      [JSON.stringify(chunk), batch.tenantId, batch.id, firstPosition + start, BATCH_SHIPMENT_STATUS_TRANSITIONS.initial],
    );
  }
}

@Injectable()
export class TypeormBatchRepository implements BatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(batch: NewBatch, shipments: NewBatchShipment[]): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO batches (id, tenant_id, status, default_carrier_account, default_servicelevel_token, label_filetype, metadata)
         VALUES ($1, $2, $7, $3, $4, $5, $6)`,
        [
          batch.id,
          batch.tenantId,
          batch.defaultCarrierAccount,
          batch.defaultServicelevelToken,
          batch.labelFiletype,
          batch.metadata,
          BATCH_TRANSITIONS.initial,
        ],
      );
      await insertShipments(m, batch, shipments, 1);
    });
  }

  async findById(tenantId: string, id: string): Promise<Batch | null> {
    const rows: BatchRow[] = await this.dataSource.query(`SELECT * FROM batches WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  async openPurchases(tenantId: string, atMost: number): Promise<number> {
    // The tenant's purchasing batches are few (batches_status_idx); each one's open shipments by batch_shipments_purchase_idx.
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM batches b JOIN batch_shipments s ON s.batch_id = b.id
         WHERE b.status = 'PURCHASING' AND b.tenant_id = $1 AND s.purchase_state IN ('QUEUED', 'PURCHASING')
         LIMIT $2) open`,
      [tenantId, atMost + 1],
    );
    return rows[0]?.n ?? 0;
  }

  async list(tenantId: string, offset: number, limit: number): Promise<Page<Batch>> {
    const [rows, total] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM batches WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3`,
        [tenantId, offset, limit],
      ) as Promise<BatchRow[]>,
      this.dataSource.query(`SELECT count(*) AS n FROM batches WHERE tenant_id = $1`, [tenantId]),
    ]);
    return { items: rows.map(toBatch), total: Number(total[0].n) };
  }

  async counts(batchId: string): Promise<BatchCounts> {
    return toCounts(await this.dataSource.query(COUNTS_SQL, [batchId]));
  }

  async listShipments(
    batchId: string,
    filter: ObjectResultsFilter | undefined,
    offset: number,
    limit: number,
  ): Promise<Page<BatchShipmentView>> {
    const where = `batch_id = $1 AND status <> ${sqlState(BATCH_SHIPMENT_STATUS_TRANSITIONS.initial)} AND ${objectResultsCondition(filter)}`;
    const [rows, total] = await Promise.all([
      this.dataSource.query(
        `SELECT id, status, purchase_state, shipment_id, transaction_id, carrier_account, servicelevel_token, metadata, messages
         FROM batch_shipments WHERE ${where} ORDER BY position OFFSET $2 LIMIT $3`,
        [batchId, offset, limit],
      ) as Promise<BatchShipmentRow[]>,
      this.dataSource.query(`SELECT count(*) AS n FROM batch_shipments WHERE ${where}`, [batchId]),
    ]);
    return { items: rows.map(toShipmentView), total: Number(total[0].n) };
  }

  withLockedBatch<T>(tenantId: string, id: string, work: (scope: LockedBatchScope) => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (m) => {
      const rows: BatchRow[] = await m.query(`SELECT * FROM batches WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
        tenantId,
        id,
      ]);
      if (!rows[0]) return null;
      return work(new LockedScope(m, toBatch(rows[0])));
    });
  }
}

class LockedScope implements LockedBatchScope {
  constructor(
    private readonly m: EntityManager,
    readonly batch: Batch,
  ) {}

  async counts(): Promise<BatchCounts> {
    return toCounts(await this.m.query(COUNTS_SQL, [this.batch.id]));
  }

  async appendShipments(shipments: NewBatchShipment[]): Promise<void> {
    const [{ last }] = await this.m.query(
      `SELECT coalesce(max(position), 0) AS last FROM batch_shipments WHERE batch_id = $1`,
      [this.batch.id],
    );
    await insertShipments(this.m, this.batch, shipments, Number(last) + 1);
  }

  async unknownShipmentIds(ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.m.query(
      `SELECT u.id FROM unnest($1::text[]) AS u(id)
       WHERE NOT EXISTS (SELECT 1 FROM batch_shipments b WHERE b.batch_id = $2 AND b.id = u.id)`,
      [ids, this.batch.id],
    );
    return rows.map((r) => r.id);
  }

  async removeShipments(ids: string[]): Promise<void> {
    await this.m.query(`DELETE FROM batch_shipments WHERE batch_id = $1 AND id = ANY($2::text[])`, [this.batch.id, ids]);
  }

  async apply(step: BatchStep): Promise<void> {
    if (await applyBatchStep(this.m, this.batch.id, step)) return;
    // The row is locked, so this means the step was made for a status the batch no longer has.
    const [row] = await this.m.query(`SELECT status FROM batches WHERE id = $1`, [this.batch.id]);
    throw new IllegalTransitionError(BATCH_TRANSITIONS.subject, step.name, row?.status ?? 'gone', step.from);
  }

  async queueForPurchase(which: 'all_valid' | 'retry_failed'): Promise<Array<{ id: string; queueToken: number }>> {
    // The first purchase fixes each shipment's merged label file: floor(rank / 100) by batch
    // order (rank, not position: removed shipments leave gaps). A retry keeps the chunk.
    const q = QUEUE[which];
    const chunk = which === 'all_valid' ? `(row_number() OVER (ORDER BY position) - 1) / ${LABELS_PER_FILE}` : 'NULL::integer';
    const rows = normalizeRows<{ id: string; queue_token: number; position: string }>(
      await this.m.query(
        `UPDATE batch_shipments s
         SET status = coalesce($5::text, s.status), messages = '[]', purchase_state = $4, failures = 0,
             queue_token = s.queue_token + 1, queued_at = now(), lease_until = NULL, updated_at = now(),
             file_chunk = coalesce(s.file_chunk, q.chunk)
         FROM (SELECT id, ${chunk} AS chunk FROM batch_shipments
               WHERE batch_id = $1 AND status = ANY($2::text[]) AND purchase_state = ANY($3::text[])) q
         WHERE s.id = q.id
         RETURNING s.id, s.queue_token, s.position`,
        [this.batch.id, q.statuses, q.purchaseFrom, q.purchaseTo, q.statusTo],
      ),
    );
    return rows
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({ id: r.id, queueToken: Number(r.queue_token) }));
  }
}
