import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  FundingEventRecord,
  FundingReason,
  FundingRepository,
  FundingStatus,
  QueuedDemand,
} from '@shipbatch/shipping/application';
import { fromStates, PURCHASE_STATE_TRANSITIONS, toState } from '@shipbatch/shipping/domain';
import { readDemand } from './funding-demand.sql';
import { sqlState, sqlStates } from './state.sql';

/** Shipments whose purchase has started and waits for a worker (purchase transition `queued`). */
const QUEUED = sqlState(toState(PURCHASE_STATE_TRANSITIONS, 'queued'));
/**
 * Shipments a single purchase is still to buy: waiting to be claimed, or claimed and being
 * bought (the states transitions `claimed` and `purchased` start from). Also the condition of
 * the partial index batch_shipments_open_idx.
 */
const TO_BUY = sqlStates(fromStates(PURCHASE_STATE_TRANSITIONS, 'claimed', 'purchased'));

interface EventRow {
  id: string;
  tenant_id: string;
  carrier_account_id: string;
  amount_minor: string | number;
  currency: string;
  balance_before_minor: string | number | null;
  balance_after_minor: string | number | null;
  reason: FundingReason;
  status: FundingStatus;
  message: string;
  created_at: Date | string;
}

const orNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * The funding lock and funding_events, in plain single statements: the lock is a lease on
 * `carrier_accounts.funding_lock_until`, taken by a conditional UPDATE and released by another
 * (or by the statement that records the event), so no connection or transaction is held while
 * the provider is called. The same on PostgreSQL and PGlite.
 */
@Injectable()
export class TypeormFundingRepository implements FundingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async tryLock(carrierAccountId: string, leaseMs: number): Promise<string | null> {
    const rows = normalizeRows<{ token: string }>(
      await this.dataSource.query(
        `UPDATE carrier_accounts
         SET funding_lock_until = now() + make_interval(secs => $2::double precision / 1000)
         WHERE id = $1 AND (funding_lock_until IS NULL OR funding_lock_until < now())
         RETURNING funding_lock_until::text AS token`,
        [carrierAccountId, leaseMs],
      ),
    );
    return rows[0]?.token ?? null;
  }

  async topUpInProgress(carrierAccountId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(funding_lock_until > now(), false) AS held FROM carrier_accounts WHERE id = $1`,
      [carrierAccountId],
    );
    return row?.held === true;
  }

  async release(carrierAccountId: string, token: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE carrier_accounts SET funding_lock_until = NULL WHERE id = $1 AND funding_lock_until = $2::timestamptz`,
      [carrierAccountId, token],
    );
  }

  async recordAndRelease(e: FundingEventRecord, token: string): Promise<void> {
    // One statement, so one transaction: the event is never recorded without the release, nor
    // the release without the event. A holding whose lease ran out records but releases nothing.
    await this.dataSource.query(
      `WITH released AS (
         UPDATE carrier_accounts SET funding_lock_until = NULL
         WHERE id = $3 AND funding_lock_until = $11::timestamptz
         RETURNING id
       )
       INSERT INTO funding_events
         (id, tenant_id, carrier_account_id, amount_minor, currency, balance_before_minor, balance_after_minor, reason, status, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.id,
        e.tenantId,
        e.carrierAccountId,
        e.amountMinor,
        e.currency,
        e.balanceBeforeMinor,
        e.balanceAfterMinor,
        e.reason,
        e.status,
        e.message,
        token,
      ],
    );
  }

  async toppedUpToday(carrierAccountId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(sum(amount_minor), 0)::bigint AS total FROM funding_events
       WHERE carrier_account_id = $1 AND status = 'succeeded'
         AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [carrierAccountId],
    );
    return Number(row.total);
  }

  async toppedUpRecently(carrierAccountId: string, withinMs: number): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (
         SELECT 1 FROM funding_events
         WHERE carrier_account_id = $1 AND status = 'succeeded'
           AND created_at > now() - make_interval(secs => $2::double precision / 1000)
       ) AS recent`,
      [carrierAccountId, withinMs],
    );
    return row.recent === true;
  }

  async listEvents(
    tenantId: string,
    carrierAccountId: string,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: FundingEventRecord[] }> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM funding_events WHERE tenant_id = $1 AND carrier_account_id = $2`,
      [tenantId, carrierAccountId],
    );
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT * FROM funding_events WHERE tenant_id = $1 AND carrier_account_id = $2
       ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
      [tenantId, carrierAccountId, limit, offset],
    );
    return {
      total: Number(total),
      items: rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        carrierAccountId: r.carrier_account_id,
        amountMinor: Number(r.amount_minor),
        currency: r.currency,
        balanceBeforeMinor: orNull(r.balance_before_minor),
        balanceAfterMinor: orNull(r.balance_after_minor),
        reason: r.reason,
        status: r.status,
        message: r.message,
        createdAt: new Date(r.created_at),
      })),
    };
  }

  async lastPrices(carrierAccountId: string, serviceLevelTokens: string[]): Promise<Map<string, number>> {
    if (serviceLevelTokens.length === 0) return new Map();
    const rows: Array<{ service_code: string; cost_minor: string | number }> = await this.dataSource.query(
      `SELECT DISTINCT ON (service_code) service_code, cost_minor FROM labels
       WHERE carrier_account_id = $1 AND service_code = ANY($2::text[])
       ORDER BY service_code, created_at DESC`,
      [carrierAccountId, [...new Set(serviceLevelTokens)]],
    );
    return new Map(rows.map((r) => [r.service_code, Number(r.cost_minor)]));
  }

  async queuedDemand(tenantId: string, batchId: string, maxShapes: number): Promise<QueuedDemand[]> {
    return readDemand(this.dataSource, `batch_id = $1 AND tenant_id = $2 AND purchase_state = ${QUEUED}`, [batchId, tenantId], maxShapes);
  }

  async openDemand(tenantId: string, carrierAccountId: string, maxShapes: number): Promise<QueuedDemand[]> {
    // Open purchases only (the partial index batch_shipments_open_idx), of every batch of the tenant.
    return readDemand(
      this.dataSource,
      `purchase_state IN ${TO_BUY} AND tenant_id = $1 AND purchase_command->>'carrierAccountId' = $2`,
      [tenantId, carrierAccountId],
      maxShapes,
    );
  }
}
