import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newObjectId } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  FrozenPurchase,
  NativeBatchListName,
  NativeBatchPageRow,
  NativeBatchRecord,
  NativeBatchRepository,
  NativeCandidate,
  NativeShipment,
} from '@shipbatch/shipping/application';
import {
  BATCH_SHIPMENT_STATUS_TRANSITIONS as STATUS,
  finalStates,
  fromStates,
  NATIVE_BATCH_TRANSITIONS as NATIVE,
  type NativeBatchState,
  PURCHASE_STATE_TRANSITIONS as PURCHASE,
  type ShipmentMessage,
  stepBetween,
  toState,
  transition,
} from '@shipbatch/shipping/domain';
import { LEASE_PAGE, PAGE_DONE, PAGES, PLAN_PAGES, RELEASE_PAGE } from './native-batch-pages.sql';
import {
  NATIVE_BATCH_COLUMNS as ROW_COLUMNS,
  type NativeBatchPageSqlRow,
  type NativeBatchRow as Row,
  toNativeBatchPageRow,
  toNativeBatchRecord as toRecord,
} from './native-batch.rows';
import { sqlState, sqlStates } from './state.sql';

/**
 * The native batch's writes, each one of the domain's named transitions (NATIVE_BATCH_TRANSITIONS
 * for the row, PURCHASE_STATE_TRANSITIONS for its shipments) applied as a conditional update,
 * so a stale worker's write cannot land.
 */
const T = {
  /** handOver: the row starts in the machine's initial state; its shipments take `handed_to_native` (QUEUED -> NATIVE). */
  handOver: {
    initial: NATIVE.initial,
    from: fromStates(PURCHASE, 'handed_to_native'),
    to: toState(PURCHASE, 'handed_to_native'),
  },
  /** handOver found no shipment to take: the row it wrote takes `failed` (CREATING -> FAILED). */
  abandoned: transition(NATIVE, 'failed', NATIVE.initial),
  /** requestPurchase: `purchase_requested` (VALIDATED -> PURCHASE_REQUESTED). */
  purchaseRequested: { from: fromStates(NATIVE, 'purchase_requested'), to: toState(NATIVE, 'purchase_requested') },
  /** recordCreated: `created` (CREATING -> CREATED). */
  created: { from: fromStates(NATIVE, 'created'), to: toState(NATIVE, 'created') },
  /** giveBack: `native_given_back` (NATIVE -> QUEUED). */
  giveBack: { from: fromStates(PURCHASE, 'native_given_back'), to: toState(PURCHASE, 'native_given_back') },
  /** fail: `native_failed` (NATIVE -> FAILED), with the status `purchase_failed` leads to (TRANSACTION_FAILED). */
  fail: {
    from: fromStates(PURCHASE, 'native_failed'),
    to: toState(PURCHASE, 'native_failed'),
    statusTo: toState(STATUS, 'purchase_failed'),
  },
} as const;

/** Read conditions: shipments that can be handed over (QUEUED), shipments held (NATIVE), rows finished (COLLECTED, FAILED). */
const HAND_OVER_FROM = sqlStates(T.handOver.from);
const HELD = sqlState(T.handOver.to);
const FINISHED = sqlStates(finalStates(NATIVE));

@Injectable()
export class TypeormNativeBatchRepository implements NativeBatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  async queuedShares(batchId: string): Promise<Array<{ carrierAccountId: string; count: number }>> {
    const rows = normalizeRows<{ account: string; n: number }>(
      await this.dataSource.query(
        `SELECT effective_carrier_account AS account, count(*) AS n FROM batch_shipments
         WHERE batch_id = $1 AND purchase_state IN ${HAND_OVER_FROM} AND attempts = 0 AND effective_carrier_account IS NOT NULL
         GROUP BY effective_carrier_account`,
        [batchId],
      ),
    );
    return rows.map((r) => ({ carrierAccountId: r.account, count: Number(r.n) }));
  }

  async candidates(batchId: string, carrierAccountId: string): Promise<NativeCandidate[]> {
    const rows = normalizeRows<{ id: string; purchase_command: FrozenPurchase | string }>(
      await this.dataSource.query(
        `SELECT id, purchase_command FROM batch_shipments
         WHERE batch_id = $1 AND effective_carrier_account = $2 AND purchase_state IN ${HAND_OVER_FROM} AND attempts = 0
           AND purchase_command IS NOT NULL
         ORDER BY position`,
        [batchId, carrierAccountId],
      ),
    );
    return rows.map((r) => ({ id: r.id, purchase: typeof r.purchase_command === 'string' ? (JSON.parse(r.purchase_command) as FrozenPurchase) : r.purchase_command }));
  }

  async handOver(input: { tenantId: string; batchId: string; carrierAccountId: string; labelFileType: string; shipmentIds: string[] }) {
    const id = newObjectId();
    // One statement: the native batch row and the hand-over of every shipment still QUEUED.
    const rows = normalizeRows<{ id: string }>(
      await this.dataSource.query(
        `WITH nb AS (
           INSERT INTO native_batches (id, tenant_id, batch_id, carrier_account_id, label_file_type, state)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
         )
         UPDATE batch_shipments s SET purchase_state = $8, native_batch_id = (SELECT id FROM nb),
                lease_until = NULL, updated_at = now()
         WHERE s.batch_id = $3 AND s.effective_carrier_account = $4 AND s.purchase_state = ANY($7::text[]) AND s.attempts = 0
           AND s.id = ANY($9::text[])
         RETURNING s.id`,
        [id, input.tenantId, input.batchId, input.carrierAccountId, input.labelFileType, T.handOver.initial, T.handOver.from, T.handOver.to, input.shipmentIds],
      ),
    );
    if (rows.length === 0) {
      await this.dataSource.query(
        `UPDATE native_batches SET state = $2, updated_at = now() WHERE id = $1 AND state = $3`,
        [id, T.abandoned.to, T.handOver.initial],
      );
      return null;
    }
    return { id, shipmentIds: rows.map((r) => r.id) };
  }

  async lease(id: string, ms: number): Promise<NativeBatchRecord | null> {
    const rows = normalizeRows<Row>(
      await this.dataSource.query(
        `UPDATE native_batches SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
         WHERE id = $1 AND (lease_until IS NULL OR lease_until < now())
         RETURNING ${ROW_COLUMNS}`,
        [id, ms],
      ),
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async find(id: string): Promise<NativeBatchRecord | null> {
    const rows = normalizeRows<Row>(await this.dataSource.query(`SELECT ${ROW_COLUMNS} FROM native_batches WHERE id = $1`, [id]));
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async release(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE native_batches SET lease_until = NULL WHERE id = $1`, [id]);
  }

  async shipments(id: string, ids?: string[]): Promise<NativeShipment[]> {
    const rows = normalizeRows<{
      id: string;
      tenant_id: string;
      batch_id: string;
      shipment_id: string | null;
      purchase_command: FrozenPurchase;
      failures: number;
      queue_token: number;
      attempts: number;
      native_shipment_id: string | null;
    }>(
      await this.dataSource.query(
        `SELECT id, tenant_id, batch_id, shipment_id, purchase_command, failures, queue_token, attempts, native_shipment_id FROM batch_shipments
         WHERE native_batch_id = $1 AND purchase_state = ${HELD} ${ids ? 'AND id = ANY($2::text[])' : ''} ORDER BY position`,
        ids ? [id, ids] : [id],
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      batchId: r.batch_id,
      shipmentId: r.shipment_id,
      purchase: r.purchase_command,
      lookupRequired: false,
      failures: Number(r.failures),
      queueToken: Number(r.queue_token),
      attempt: Number(r.attempts),
      nativeShipmentId: r.native_shipment_id,
    }));
  }

  async recordPrepared(id: string, made: Array<{ shipmentId: string; nativeShipmentId: string }>): Promise<void> {
    if (made.length === 0) return;
    await this.dataSource.query(
      `UPDATE batch_shipments s SET native_shipment_id = m.native, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS m(id text, native text)
       WHERE s.id = m.id AND s.native_batch_id = $1 AND s.purchase_state = ${HELD}`,
      [id, JSON.stringify(made.map((m) => ({ id: m.shipmentId, native: m.nativeShipmentId })))],
    );
  }

  async recordCreateSent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE native_batches SET create_sent_at = now(), updated_at = now() WHERE id = $1 AND state = ANY($2::text[]) AND provider_batch_id IS NULL`,
      [id, T.created.from],
    );
  }

  async requestPurchase(id: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE native_batches SET state = $2, polls = 0, purchase_requested_at = now(), purchase_answered_at = NULL, updated_at = now()
       WHERE id = $1 AND state = ANY($3::text[]) RETURNING id`,
      [id, T.purchaseRequested.to, T.purchaseRequested.from],
    );
    return normalizeRows(rows).length > 0;
  }

  async recordPurchaseAnswered(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE native_batches SET purchase_answered_at = now(), updated_at = now() WHERE id = $1 AND state = $2`, [
      id,
      T.purchaseRequested.to,
    ]);
  }

  async recordCreated(id: string, providerBatchId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE native_batches SET provider_batch_id = $2, state = $3, polls = 0, updated_at = now()
       WHERE id = $1 AND state = ANY($4::text[]) AND provider_batch_id IS NULL RETURNING id`,
      [id, providerBatchId, T.created.to, T.created.from],
    );
    return normalizeRows(rows).length > 0;
  }

  async move(id: string, from: NativeBatchState, to: NativeBatchState): Promise<boolean> {
    // A move the machine does not name throws here (IllegalTransitionError), before any SQL; the
    // update is conditional on the state the caller read, not on every state the transition allows.
    const step = stepBetween(NATIVE, from, to);
    const rows = await this.dataSource.query(
      `UPDATE native_batches SET state = $3, polls = 0, updated_at = now() WHERE id = $1 AND state = $2 RETURNING id`,
      [id, from, step.to],
    );
    return normalizeRows(rows).length > 0;
  }

  async count(id: string, what: 'polls' | 'failures'): Promise<void> {
    const column = what === 'polls' ? 'polls' : 'failures';
    await this.dataSource.query(`UPDATE native_batches SET ${column} = ${column} + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  async giveBack(id: string, shipmentIds: string[], lookupRequired: boolean): Promise<Array<{ id: string; queueToken: number }>> {
    if (shipmentIds.length === 0) return [];
    const rows = normalizeRows<{ id: string; queue_token: number }>(
      await this.dataSource.query(
        `UPDATE batch_shipments SET purchase_state = $5, lookup_required = lookup_required OR $3,
                queue_token = queue_token + 1, queued_at = now(), updated_at = now()
         WHERE native_batch_id = $1 AND id = ANY($2::text[]) AND purchase_state = ANY($4::text[])
         RETURNING id, queue_token`,
        [id, shipmentIds, lookupRequired, T.giveBack.from, T.giveBack.to],
      ),
    );
    return rows.map((r) => ({ id: r.id, queueToken: Number(r.queue_token) }));
  }

  async fail(id: string, failures: Array<{ shipmentId: string; messages: ShipmentMessage[] }>): Promise<void> {
    if (failures.length === 0) return;
    await this.dataSource.query(
      `UPDATE batch_shipments s
       SET purchase_state = $4, status = $5, messages = f.messages, failures = s.failures + 1,
           lease_until = NULL, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS f(id text, messages jsonb)
       WHERE s.id = f.id AND s.native_batch_id = $1 AND s.purchase_state = ANY($3::text[])`,
      [id, JSON.stringify(failures.map((f) => ({ id: f.shipmentId, messages: f.messages }))), T.fail.from, T.fail.to, T.fail.statusTo],
    );
  }

  async stale(staleMs: number): Promise<string[]> {
    const rows = normalizeRows<{ id: string }>(
      await this.dataSource.query(
        `SELECT id FROM native_batches WHERE state NOT IN ${FINISHED}
         AND updated_at <= now() - make_interval(secs => $1::double precision / 1000)
         AND (lease_until IS NULL OR lease_until < now())`,
        [staleMs],
      ),
    );
    return rows.map((r) => r.id);
  }

  async planPages(id: string, list: NativeBatchListName, pages: number): Promise<void> {
    await this.dataSource.query(
      PLAN_PAGES,
      [id, list, pages],
    );
  }

  async pages(id: string): Promise<NativeBatchPageRow[]> {
    return normalizeRows<NativeBatchPageSqlRow>(await this.dataSource.query(PAGES, [id])).map(toNativeBatchPageRow);
  }

  async leasePage(id: string, list: NativeBatchListName, page: number, ms: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      LEASE_PAGE,
      [id, list, page, ms],
    );
    return normalizeRows(rows).length > 0;
  }

  async releasePage(id: string, list: NativeBatchListName, page: number, failed: boolean): Promise<number> {
    const rows = normalizeRows<{ failures: number }>(
      await this.dataSource.query(
        RELEASE_PAGE,
        [id, list, page, failed ? 1 : 0],
      ),
    );
    return rows[0] ? Number(rows[0].failures) : 0;
  }

  async pageDone(id: string, list: NativeBatchListName, page: number): Promise<number> {
    const rows = normalizeRows<{ open: number }>(
      await this.dataSource.query(
        PAGE_DONE,
        [id, list, page],
      ),
    );
    return Number(rows[0]?.open ?? 0);
  }
}
