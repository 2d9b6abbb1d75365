import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import { type CountBucket, type LabelListQuery, pageWindow, readPlan, seekBucket } from '@shipbatch/shipping/domain';
import type { LabelPage, LabelRecord, LabelRepository, Page, PageRequest } from '@shipbatch/shipping/application';
import { countsDirectly, directCountSql, histogramSql, LABEL_COLUMNS, pageSql, pageWithTotalSql, toBuckets } from './label-list.sql';

/** Deep pages seek into the rollup's day buckets once they would skip more index entries than this. */
const SEEK_MIN_OFFSET = 2_000;

interface LabelRow {
  id: string;
  tenant_id: string;
  batch_id: string | null;
  batch_shipment_id: string | null;
  shipment_id: string | null;
  carrier_account_id: string;
  provider: string;
  provider_label_id: string;
  status: string;
  tracking_number: string;
  carrier: string;
  service_code: string;
  cost_minor: string | number;
  currency: string;
  label_file_type: string;
  file_key: string | null;
  file_url: string | null;
  warehouse_id: string | null;
  external_shipment_id: string | null;
  is_international: boolean;
  is_return_label: boolean;
  ship_date: Date | null;
  voided_at: Date | null;
  metadata: string;
  created_at: Date;
  updated_at: Date;
}

function toLabel(r: LabelRow): LabelRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    batchId: r.batch_id,
    batchShipmentId: r.batch_shipment_id,
    shipmentId: r.shipment_id,
    carrierAccountId: r.carrier_account_id,
    provider: r.provider,
    providerLabelId: r.provider_label_id,
    status: r.status as LabelRecord['status'],
    trackingNumber: r.tracking_number,
    carrier: r.carrier,
    serviceCode: r.service_code,
    costMinor: Number(r.cost_minor),
    currency: r.currency,
    labelFileType: r.label_file_type,
    fileKey: r.file_key,
    fileUrl: r.file_url,
    warehouseId: r.warehouse_id,
    externalShipmentId: r.external_shipment_id,
    isInternational: r.is_international,
    isReturnLabel: r.is_return_label,
    shipDate: r.ship_date ? new Date(r.ship_date) : null,
    voidedAt: r.voided_at ? new Date(r.voided_at) : null,
    metadata: r.metadata,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/**
 * Labels (ShipStation's view of a purchase). Listing reads `label_counts` (a rollup kept by
 * a trigger, see the LabelListing migration) for exact totals and day buckets, then one page
 * through the index of the sort column, from whichever end of it is nearer.
 */
@Injectable()
export class TypeormLabelRepository implements LabelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(tenantId: string, id: string): Promise<LabelRecord | null> {
    const rows: LabelRow[] = await this.dataSource.query(
      `SELECT ${LABEL_COLUMNS} FROM labels l WHERE l.tenant_id = $1 AND l.id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toLabel(rows[0]) : null;
  }

  async findManyByIds(tenantId: string, ids: readonly string[]): Promise<LabelRecord[]> {
    if (ids.length === 0) return [];
    const rows: LabelRow[] = normalizeRows(
      await this.dataSource.query(`SELECT ${LABEL_COLUMNS} FROM labels l WHERE l.tenant_id = $1 AND l.id = ANY($2::text[])`, [tenantId, [...ids]]),
    );
    return rows.map(toLabel);
  }

  async findByExternalShipmentId(tenantId: string, externalShipmentId: string): Promise<LabelRecord | null> {
    const rows: LabelRow[] = await this.dataSource.query(
      `SELECT ${LABEL_COLUMNS} FROM labels l WHERE l.tenant_id = $1 AND l.external_shipment_id = $2
       ORDER BY l.created_at DESC, l.id DESC LIMIT 1`,
      [tenantId, externalShipmentId],
    );
    return rows[0] ? toLabel(rows[0]) : null;
  }

  async list(tenantId: string, query: LabelListQuery): Promise<LabelPage> {
    const fromStart = (query.page - 1) * query.pageSize;
    if (fromStart < SEEK_MIN_OFFSET) {
      // A first page in its own direction: the total and the page in one statement.
      const plan = { fromEnd: query.sortDir === 'desc', offset: fromStart, limit: query.pageSize };
      const one = pageWithTotalSql(tenantId, query, plan);
      const rows: Array<LabelRow & { total_count: string | number }> = await this.dataSource.query(one.sql, one.params);
      return { total: Number(rows[0]?.total_count ?? 0), labels: rows.filter((r) => r.id !== null).map(toLabel) };
    }
    // A deep page: the day buckets first, then the page from the nearer end, seeking into the
    // bucket where it starts. One snapshot for both, so that total, pages and rows agree.
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      let total: number;
      let buckets: CountBucket[] = [];
      if (countsDirectly(query)) {
        const count = directCountSql(tenantId, query.filter);
        total = Number((await m.query(count.sql, count.params))[0].n);
      } else {
        const histogram = histogramSql(tenantId, query);
        buckets = toBuckets(await m.query(histogram.sql, histogram.params));
        total = buckets.reduce((sum, b) => sum + b.count, 0);
      }
      const window = pageWindow(total, query.page, query.pageSize, query.sortDir);
      if (window.limit === 0) return { labels: [], total };
      const plan = readPlan(total, window);
      const page = pageSql(tenantId, query, plan, seekBucket(buckets, plan, SEEK_MIN_OFFSET));
      const rows: LabelRow[] = await m.query(page.sql, page.params);
      return { labels: rows.map(toLabel), total };
    });
  }

  async listNewestFirst(tenantId: string, page: PageRequest & { status?: LabelRecord['status'] }): Promise<Page<LabelRecord>> {
    const where = page.status ? `l.tenant_id = $1 AND l.status = $2` : `l.tenant_id = $1`;
    const params: unknown[] = page.status ? [tenantId, page.status] : [tenantId];
    const [rows, counted] = await Promise.all([
      this.dataSource.query(
        `SELECT ${LABEL_COLUMNS} FROM labels l WHERE ${where}
         ORDER BY l.created_at DESC, l.id DESC OFFSET ${Number(page.offset)} LIMIT ${Number(page.limit)}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*) AS n FROM labels l WHERE ${where}`, params),
    ]);
    return { items: normalizeRows<LabelRow>(rows).map(toLabel), total: Number(normalizeRows<{ n: string }>(counted)[0]?.n ?? 0) };
  }

  async markVoided(tenantId: string, id: string): Promise<LabelRecord | null> {
    const rows = normalizeRows<LabelRow>(
      await this.dataSource.query(
        `WITH voided AS (
           UPDATE labels l SET status = 'voided', voided_at = date_trunc('milliseconds', now()),
             updated_at = date_trunc('milliseconds', now())
           WHERE l.tenant_id = $1 AND l.id = $2 AND l.voided_at IS NULL
           RETURNING ${LABEL_COLUMNS}
         ), event AS (
           INSERT INTO outbox_events (tenant_id, type, object_id, payload)
           SELECT tenant_id, 'transaction_updated', id, '{}' FROM voided
         )
         SELECT * FROM voided`,
        [tenantId, id],
      ),
    );
    return rows[0] ? toLabel(rows[0]) : null;
  }
}
