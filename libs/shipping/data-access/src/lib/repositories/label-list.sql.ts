import { type CountBucket, type LabelFilter, type LabelListQuery, labelStatusForRefunds, type ReadPlan } from '@shipbatch/shipping/domain';

const DAY_MS = 86_400_000;

/** Positional parameters collected while SQL text is built. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Start of the UTC day holding `d`. */
export function utcDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function sortColumn(query: Pick<LabelListQuery, 'sortBy'>): 'created_at' | 'updated_at' | 'voided_at' {
  return query.sortBy === 'modified_at' ? 'updated_at' : query.sortBy === 'voided_at' ? 'voided_at' : 'created_at';
}

/** `ORDER BY` of the sort column: labels never voided (null voided_at) count as the oldest. */
function ordered(column: string, dir: 'ASC' | 'DESC', sortBy: LabelListQuery['sortBy']): string {
  if (sortBy !== 'voided_at') return `${column} ${dir}`;
  return `${column} ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}`;
}

/**
 * Whether the total and a deep page are read from the labels themselves rather than the
 * rollups: for a narrow filter, or a sort the rollups keep no day buckets for (voided_at).
 */
export function countsDirectly(query: Pick<LabelListQuery, 'filter' | 'sortBy'>): boolean {
  return isNarrow(query.filter) || query.sortBy === 'voided_at';
}

/**
 * Whether the filter is narrow by nature (one batch, one tracking number): then counting the
 * matching labels directly is cheap, and the rollup (which has neither column) cannot help.
 */
export function isNarrow(filter: LabelFilter): boolean {
  return (
    filter.batchId !== undefined ||
    filter.trackingNumber !== undefined ||
    filter.shipmentId !== undefined ||
    filter.rateId !== undefined ||
    (filter.refundStatuses !== undefined && labelStatusForRefunds(filter.refundStatuses) === null)
  );
}

/** Conditions both the labels and the rollups can answer: status, and the status a refund filter means. */
function statusConditions(alias: 'l' | 'c', f: LabelFilter, p: Params): string[] {
  const c: string[] = [];
  if (f.status !== undefined) c.push(`${alias}.status = ${p.add(f.status)}`);
  if (f.refundStatuses !== undefined) {
    const status = labelStatusForRefunds(f.refundStatuses);
    c.push(status === null ? 'false' : `${alias}.status = ${p.add(status)}`);
  }
  return c;
}

/** Conditions on `labels l` for the filter, created_at bounds included. */
export function labelConditions(tenantId: string, f: LabelFilter, p: Params): string[] {
  const c = [`l.tenant_id = ${p.add(tenantId)}`, ...statusConditions('l', f, p)];
  if (f.shipmentId !== undefined) c.push(`l.shipment_id = ${p.add(f.shipmentId)}`);
  // Labels are bought without a rate: no label has a rate id.
  if (f.rateId !== undefined) c.push('false');
  if (f.carrierAccountId !== undefined) c.push(`l.carrier_account_id = ${p.add(f.carrierAccountId)}`);
  if (f.serviceCode !== undefined) c.push(`l.service_code = ${p.add(f.serviceCode)}`);
  if (f.trackingNumber !== undefined) c.push(`l.tracking_number = ${p.add(f.trackingNumber)}`);
  if (f.batchId !== undefined) c.push(`l.batch_id = ${p.add(f.batchId)}`);
  if (f.warehouseId !== undefined) c.push(`l.warehouse_id = ${p.add(f.warehouseId)}`);
  if (f.createdAtStart) c.push(`l.created_at >= ${p.add(f.createdAtStart)}`);
  if (f.createdAtEnd) c.push(`l.created_at <= ${p.add(f.createdAtEnd)}`);
  return c;
}

/**
 * The rollup to sum: `label_day_counts` (a few hundred rows a tenant-year) unless a filter
 * needs the carrier account, service or warehouse that only `label_counts` keeps.
 */
function rollupTable(f: LabelFilter): string {
  const detailed = f.carrierAccountId !== undefined || f.serviceCode !== undefined || f.warehouseId !== undefined;
  return detailed ? 'label_counts' : 'label_day_counts';
}

/** Conditions on the rollup `c` for the dimensions it keeps (no created_at bounds). */
function rollupConditions(tenantId: string, f: LabelFilter, p: Params): string[] {
  const c = [`c.tenant_id = ${p.add(tenantId)}`, ...statusConditions('c', f, p)];
  if (f.carrierAccountId !== undefined) c.push(`c.carrier_account_id = ${p.add(f.carrierAccountId)}`);
  if (f.serviceCode !== undefined) c.push(`c.service_code = ${p.add(f.serviceCode)}`);
  if (f.warehouseId !== undefined) c.push(`c.warehouse_id = ${p.add(f.warehouseId)}`);
  return c;
}

export function directCountSql(tenantId: string, filter: LabelFilter): { sql: string; params: unknown[] } {
  const p = new Params();
  return { sql: `SELECT count(*) AS n FROM labels l WHERE ${labelConditions(tenantId, filter, p).join(' AND ')}`, params: p.values };
}

/**
 * Rows `(d, n)`: how many matching labels fall on each UTC day `d` of the sort column, exact
 * once summed per day: whole days of the created_at range come from a rollup (see
 * `rollupTable`); the (at most two) days cut by created_at_start / created_at_end are
 * counted from the labels themselves.
 */
function dayCountsSql(tenantId: string, query: LabelListQuery, p: Params): string {
  const f = query.filter;
  const bucketColumn = query.sortBy === 'modified_at' ? 'modified_day' : 'created_day';
  const labelBucket = `((l.${sortColumn(query)} AT TIME ZONE 'UTC')::date)`;
  const start = f.createdAtStart;
  const end = f.createdAtEnd;

  const whole = rollupConditions(tenantId, f, p);
  if (start) whole.push(`c.created_day > ${p.add(isoDay(start))}::date`);
  if (end) whole.push(`c.created_day < ${p.add(isoDay(end))}::date`);
  const parts = [`SELECT c.${bucketColumn} AS d, c.n FROM ${rollupTable(f)} c WHERE ${whole.join(' AND ')}`];

  const dims = { ...f, createdAtStart: undefined, createdAtEnd: undefined };
  const edge = (bounds: string[]) =>
    parts.push(
      `SELECT ${labelBucket} AS d, 1 AS n FROM labels l WHERE ${[...labelConditions(tenantId, dims, p), ...bounds].join(' AND ')}`,
    );
  if (start) {
    const bounds = [`l.created_at >= ${p.add(start)}`, `l.created_at < ${p.add(new Date(utcDay(start).getTime() + DAY_MS))}`];
    if (end) bounds.push(`l.created_at <= ${p.add(end)}`);
    edge(bounds);
  }
  if (end && !(start && utcDay(start).getTime() === utcDay(end).getTime())) {
    const bounds = [`l.created_at >= ${p.add(utcDay(end))}`, `l.created_at <= ${p.add(end)}`];
    if (start) bounds.push(`l.created_at >= ${p.add(start)}`);
    edge(bounds);
  }
  return parts.join(' UNION ALL ');
}

/** The exact number of matching labels, as SQL answering one row `n`. */
function totalSql(tenantId: string, query: LabelListQuery, p: Params): string {
  if (countsDirectly(query)) {
    return `SELECT count(*) AS n FROM labels l WHERE ${labelConditions(tenantId, query.filter, p).join(' AND ')}`;
  }
  return `SELECT coalesce(sum(x.n), 0) AS n FROM (${dayCountsSql(tenantId, query, p)}) x`;
}

/** Matching labels per UTC day of the sort column, oldest first (for seeking deep pages). */
export function histogramSql(tenantId: string, query: LabelListQuery): { sql: string; params: unknown[] } {
  const p = new Params();
  const sql = `SELECT to_char(d, 'YYYY-MM-DD') AS d, sum(n) AS n FROM (${dayCountsSql(tenantId, query, p)}) x
               GROUP BY d HAVING sum(n) > 0 ORDER BY d`;
  return { sql, params: p.values };
}

export function toBuckets(rows: Array<{ d: string; n: string | number }>): CountBucket[] {
  return rows.map((r) => {
    const start = new Date(`${r.d}T00:00:00.000Z`);
    return { start, end: new Date(start.getTime() + DAY_MS), count: Number(r.n) };
  });
}

/** The ids and sort keys of one page, read in the plan's direction through the sort column's index. */
function pageIdsSql(
  tenantId: string,
  query: LabelListQuery,
  plan: ReadPlan,
  seek: { bound: Date; offset: number } | null,
  p: Params,
): string {
  const col = sortColumn(query);
  const conditions = labelConditions(tenantId, query.filter, p);
  if (seek) conditions.push(plan.fromEnd ? `l.${col} < ${p.add(seek.bound)}` : `l.${col} >= ${p.add(seek.bound)}`);
  const dir = plan.fromEnd ? 'DESC' : 'ASC';
  return `SELECT l.id, l.${col} AS k FROM labels l WHERE ${conditions.join(' AND ')}
      ORDER BY ${ordered(`l.${col}`, dir, query.sortBy)}, l.id ${dir} OFFSET ${p.add(seek ? seek.offset : plan.offset)} LIMIT ${p.add(plan.limit)}`;
}

/**
 * One page of labels, listed oldest to newest (ties by id). The inner query reads only index
 * columns (id and the sort column) in the direction of the plan, then the page's rows are
 * fetched by id: skipping rows costs index entries, never table rows.
 */
export function pageSql(
  tenantId: string,
  query: LabelListQuery,
  plan: ReadPlan,
  seek: { bound: Date; offset: number } | null,
): { sql: string; params: unknown[] } {
  const p = new Params();
  const sql = `SELECT ${LIST_COLUMNS} FROM (${pageIdsSql(tenantId, query, plan, seek, p)}) page
    JOIN labels l ON l.id = page.id ORDER BY ${ordered('page.k', 'ASC', query.sortBy)}, page.id ASC`;
  return { sql, params: p.values };
}

/**
 * The first pages in either direction need no total to be found (desc page p is the p-th
 * slice from the newest end), so the total and the page come in one statement: one round
 * trip, one snapshot. Answers one row per label plus `total_count` on every row, or a single
 * row with a null id when the page is empty.
 */
export function pageWithTotalSql(tenantId: string, query: LabelListQuery, plan: ReadPlan): { sql: string; params: unknown[] } {
  const p = new Params();
  const total = totalSql(tenantId, query, p);
  const ids = pageIdsSql(tenantId, query, plan, null, p);
  const sql = `WITH total AS (${total}), page AS (${ids})
    SELECT total.n AS total_count, ${LIST_COLUMNS}
    FROM total LEFT JOIN (page JOIN labels l ON l.id = page.id) ON true
    ORDER BY ${ordered('page.k', 'ASC', query.sortBy)}, page.id ASC`;
  return { sql, params: p.values };
}

export const LABEL_COLUMNS = `l.id, l.tenant_id, l.batch_id, l.batch_shipment_id, l.shipment_id, l.carrier_account_id,
  l.provider, l.provider_label_id, l.status, l.tracking_number, l.carrier, l.service_code, l.cost_minor, l.currency,
  l.label_file_type, l.file_key, l.file_url, l.warehouse_id, l.external_shipment_id, l.is_international,
  l.is_return_label, l.ship_date, l.voided_at, l.metadata, l.created_at, l.updated_at`;

/**
 * What a list needs: the stored URL only when there is no file key to sign a fresh one from
 * (it is the longest column, and a page of 500 carries it 500 times).
 */
const LIST_COLUMNS = LABEL_COLUMNS.replace('l.file_url', 'CASE WHEN l.file_key IS NULL THEN l.file_url END AS file_url');
