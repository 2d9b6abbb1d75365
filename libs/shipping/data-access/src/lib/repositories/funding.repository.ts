import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  FrozenPurchase,
  FundingEventRecord,
  FundingReason,
  FundingRepository,
  FundingStatus,
  QueuedDemand,
} from '@shipbatch/shipping/application';

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
    // A shape is what a rate depends on: both places (country, postal code, state, city; the
    // recipient's residential flag) and the parcels. One pass groups the batch's QUEUED
    // shipments by account, service and shape; only the `maxShapes` most common shapes of each
    // account and service carry their first shipment's frozen command.
    const rows: Array<{ account: string; service: string; total: number | string; n: number | string; purchase_command: FrozenPurchase | string }> =
      await this.dataSource.query(
        `WITH queued AS (
           SELECT purchase_command->>'carrierAccountId' AS account,
                  purchase_command->'command'->>'serviceLevelToken' AS service,
                  jsonb_build_array(
                    s->'addressFrom'->'country', s->'addressFrom'->'zip', s->'addressFrom'->'state', s->'addressFrom'->'city',
                    s->'addressTo'->'country', s->'addressTo'->'zip', s->'addressTo'->'state', s->'addressTo'->'city',
                    s->'addressTo'->'isResidential', s->'parcels'
                  ) AS shape,
                  position
           FROM batch_shipments, LATERAL (SELECT purchase_command->'command'->'shipment' AS s) x
           WHERE batch_id = $1 AND tenant_id = $2 AND purchase_state = 'QUEUED' AND purchase_command IS NOT NULL
         ), shapes AS (
           SELECT account, service, count(*)::int AS n, min(position) AS first
           FROM queued
           WHERE account IS NOT NULL AND service IS NOT NULL
           GROUP BY account, service, shape
         ), ranked AS (
           SELECT account, service, n, first,
                  row_number() OVER (PARTITION BY account, service ORDER BY n DESC, first) AS rank,
                  sum(n) OVER (PARTITION BY account, service) AS total,
                  min(first) OVER (PARTITION BY account, service) AS service_first
           FROM shapes
         )
         SELECT r.account, r.service, r.total, r.n, b.purchase_command
         FROM ranked r
         JOIN batch_shipments b ON b.batch_id = $1 AND b.position = r.first
         WHERE r.rank <= $3
         ORDER BY r.service_first, r.rank`,
        [batchId, tenantId, Math.max(1, Math.floor(maxShapes))],
      );
    const demand: QueuedDemand[] = [];
    for (const r of rows) {
      let last = demand.at(-1);
      if (!last || last.carrierAccountId !== r.account || last.serviceLevelToken !== r.service) {
        last = { carrierAccountId: r.account, serviceLevelToken: r.service, count: Number(r.total), shapes: [] };
        demand.push(last);
      }
      const sample = typeof r.purchase_command === 'string' ? (JSON.parse(r.purchase_command) as FrozenPurchase) : r.purchase_command;
      last.shapes.push({ count: Number(r.n), sample });
    }
    return demand;
  }
}
