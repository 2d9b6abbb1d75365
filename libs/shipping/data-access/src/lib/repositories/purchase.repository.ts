import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newObjectId } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ClaimedPurchase,
  FrozenPurchase,
  PurchasedItem,
  PurchaseRepository,
} from '@shipbatch/shipping/application';
import type { ShipmentMessage } from '@shipbatch/shipping/domain';

/** A shipment is claimable when queued, or when a worker's lease on it has run out (it crashed). */
const CLAIMABLE = `(purchase_state = 'QUEUED' OR (purchase_state = 'PURCHASING' AND lease_until < now()))`;

interface ClaimRow {
  id: string;
  tenant_id: string;
  batch_id: string;
  shipment_id: string | null;
  purchase_command: FrozenPurchase;
  lookup_required: boolean;
  failures: number;
  queue_token: number;
  position: string;
}

@Injectable()
export class TypeormPurchaseRepository implements PurchaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claimMany(batchShipmentIds: string[], leaseMs: number): Promise<ClaimedPurchase[]> {
    if (batchShipmentIds.length === 0) return [];
    // SET sees the old row: an attempt found mid-PURCHASING may have reached the provider.
    const rows = normalizeRows<ClaimRow>(
      await this.dataSource.query(
        `UPDATE batch_shipments
         SET lookup_required = (purchase_state = 'PURCHASING' OR lookup_required),
             purchase_state = 'PURCHASING',
             lease_until = now() + make_interval(secs => $2::double precision / 1000),
             attempts = attempts + 1,
             updated_at = now()
         WHERE id = ANY($1::text[]) AND ${CLAIMABLE}
         RETURNING id, tenant_id, batch_id, shipment_id, purchase_command, lookup_required, failures, queue_token, position`,
        [batchShipmentIds, leaseMs],
      ),
    );
    return rows
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        batchId: r.batch_id,
        shipmentId: r.shipment_id,
        purchase: r.purchase_command,
        lookupRequired: r.lookup_required,
        failures: Number(r.failures),
        queueToken: Number(r.queue_token),
      }));
  }

  async recordPurchasedMany(items: PurchasedItem[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map(({ claim, label, file }) => ({
      id: newObjectId(),
      tenant_id: claim.tenantId,
      batch_id: claim.batchId,
      batch_shipment_id: claim.id,
      shipment_id: claim.shipmentId,
      carrier_account_id: claim.purchase.carrierAccountId,
      provider_label_id: label.providerLabelId,
      tracking_number: label.trackingNumber,
      carrier: label.carrier,
      service_code: label.serviceLevelToken,
      cost_minor: label.cost.amountMinor,
      currency: label.cost.currency.toLowerCase(),
      label_file_type: claim.purchase.command.labelFileType,
      file_key: file?.key || null,
      file_url: file?.url ?? null,
      warehouse_id: claim.purchase.warehouseId,
      external_shipment_id: claim.purchase.externalShipmentId,
      is_international: claim.purchase.isInternational,
      ship_date: claim.purchase.command.shipment.shipmentDate ?? null,
    }));
    // One statement, so one atomic step: the labels, the shipments' new state and the events.
    // A label already recorded (a second worker after a lease ran out) is kept, and its
    // shipment pointed at it.
    await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           id text, tenant_id text, batch_id text, batch_shipment_id text, shipment_id text, carrier_account_id text,
           provider_label_id text, tracking_number text, carrier text, service_code text, cost_minor bigint,
           currency text, label_file_type text, file_key text, file_url text, warehouse_id text,
           external_shipment_id text, is_international boolean, ship_date timestamptz)
       ), label AS (
         INSERT INTO labels (id, tenant_id, batch_id, batch_shipment_id, shipment_id, carrier_account_id, provider,
           provider_label_id, reference, status, tracking_number, carrier, service_code, cost_minor, currency,
           label_file_type, file_key, file_url, warehouse_id, external_shipment_id, is_international, ship_date, metadata)
         SELECT i.id, i.tenant_id, i.batch_id, i.batch_shipment_id, i.shipment_id, i.carrier_account_id, ca.provider,
           i.provider_label_id, i.batch_shipment_id, 'completed', i.tracking_number, i.carrier, i.service_code,
           i.cost_minor, i.currency, i.label_file_type, i.file_key, i.file_url, i.warehouse_id,
           i.external_shipment_id, i.is_international, i.ship_date, bs.metadata
         FROM input i
         JOIN carrier_accounts ca ON ca.id = i.carrier_account_id
         JOIN batch_shipments bs ON bs.id = i.batch_shipment_id
         ON CONFLICT (batch_shipment_id) DO NOTHING
         RETURNING id, tenant_id, batch_shipment_id
       ), shipment AS (
         UPDATE batch_shipments b
         SET purchase_state = 'PURCHASED', status = 'VALID', transaction_id = COALESCE(label.id, l.id), messages = '[]',
             lookup_required = false, lease_until = NULL, updated_at = now()
         FROM input i
         LEFT JOIN label ON label.batch_shipment_id = i.batch_shipment_id
         LEFT JOIN labels l ON l.batch_shipment_id = i.batch_shipment_id
         WHERE b.id = i.batch_shipment_id AND COALESCE(label.id, l.id) IS NOT NULL
       )
       INSERT INTO outbox_events (tenant_id, type, object_id, payload)
       SELECT tenant_id, 'transaction_created', id, '{}' FROM label`,
      [JSON.stringify(rows)],
    );
  }

  async requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number> {
    const rows = normalizeRows<{ queue_token: number }>(
      await this.dataSource.query(
        `UPDATE batch_shipments
         SET purchase_state = 'QUEUED', failures = failures + $2, lookup_required = $3,
             queue_token = queue_token + 1, queued_at = now(), lease_until = NULL, updated_at = now()
         WHERE id = $1 AND purchase_state = 'PURCHASING'
         RETURNING queue_token`,
        [claim.id, opts.countFailure ? 1 : 0, opts.lookupRequired],
      ),
    );
    return rows[0] ? Number(rows[0].queue_token) : claim.queueToken;
  }

  async recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE batch_shipments
       SET purchase_state = 'FAILED', status = 'TRANSACTION_FAILED', messages = jsonb_build_array($2::jsonb),
           failures = failures + 1, lookup_required = $3, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND purchase_state = 'PURCHASING'`,
      [claim.id, JSON.stringify(message), lookupRequired],
    );
  }
}
