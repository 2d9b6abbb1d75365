import type { DataSource } from 'typeorm';
import type { FrozenPurchase, QueuedDemand } from '@shipbatch/shipping/application';

interface DemandRow {
  account: string;
  service: string;
  total: number | string;
  n: number | string;
  purchase_command: FrozenPurchase | string;
}

/**
 * The shipments matching `where` (a condition on batch_shipments over parameters $1 and $2)
 * grouped by carrier account, service level and shape, each account and service with its
 * `maxShapes` ($3) most common shapes. A shape is what a rate depends on: both places (country,
 * postal code, state, city; the recipient's residential flag) and the parcels. One pass groups
 * the shipments; only the chosen shapes carry their first shipment's frozen command (by
 * position, then id).
 */
export async function readDemand(
  dataSource: DataSource,
  where: string,
  params: [unknown, unknown],
  maxShapes: number,
): Promise<QueuedDemand[]> {
  const rows: DemandRow[] = await dataSource.query(
    `WITH queued AS (
       SELECT id,
              purchase_command->>'carrierAccountId' AS account,
              purchase_command->'command'->>'serviceLevelToken' AS service,
              jsonb_build_array(
                s->'addressFrom'->'country', s->'addressFrom'->'zip', s->'addressFrom'->'state', s->'addressFrom'->'city',
                s->'addressTo'->'country', s->'addressTo'->'zip', s->'addressTo'->'state', s->'addressTo'->'city',
                s->'addressTo'->'isResidential', s->'parcels'
              ) AS shape,
              position
       FROM batch_shipments, LATERAL (SELECT purchase_command->'command'->'shipment' AS s) x
       WHERE ${where} AND purchase_command IS NOT NULL
     ), shapes AS (
       SELECT account, service, count(*)::int AS n, min(position) AS first,
              (array_agg(id ORDER BY position, id))[1] AS first_id
       FROM queued
       WHERE account IS NOT NULL AND service IS NOT NULL
       GROUP BY account, service, shape
     ), ranked AS (
       SELECT account, service, n, first_id,
              row_number() OVER (PARTITION BY account, service ORDER BY n DESC, first, first_id) AS rank,
              sum(n) OVER (PARTITION BY account, service) AS total,
              min(first) OVER (PARTITION BY account, service) AS service_first
       FROM shapes
     )
     SELECT r.account, r.service, r.total, r.n, b.purchase_command
     FROM ranked r
     JOIN batch_shipments b ON b.id = r.first_id
     WHERE r.rank <= $3
     ORDER BY r.service_first, r.account, r.service, r.rank`,
    [...params, Math.max(1, Math.floor(maxShapes))],
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
