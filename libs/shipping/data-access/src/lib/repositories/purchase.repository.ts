import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newObjectId } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type { PurchasedLabel } from '@shipbatch/providers/core';
import type {
  ClaimedPurchase,
  FrozenPurchase,
  PurchaseRepository,
  StoredLabelFile,
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
}

@Injectable()
export class TypeormPurchaseRepository implements PurchaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claim(batchShipmentId: string, leaseMs: number): Promise<ClaimedPurchase | null> {
    // SET sees the old row: an attempt found mid-PURCHASING may have reached the provider.
    const rows = normalizeRows<ClaimRow>(
      await this.dataSource.query(
        `UPDATE batch_shipments
         SET lookup_required = (purchase_state = 'PURCHASING' OR lookup_required),
             purchase_state = 'PURCHASING',
             lease_until = now() + make_interval(secs => $2::double precision / 1000),
             attempts = attempts + 1,
             updated_at = now()
         WHERE id = $1 AND ${CLAIMABLE}
         RETURNING id, tenant_id, batch_id, shipment_id, purchase_command, lookup_required, failures, queue_token`,
        [batchShipmentId, leaseMs],
      ),
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      batchId: r.batch_id,
      shipmentId: r.shipment_id,
      purchase: r.purchase_command,
      lookupRequired: r.lookup_required,
      failures: Number(r.failures),
      queueToken: Number(r.queue_token),
    };
  }

  async recordPurchased(claim: ClaimedPurchase, label: PurchasedLabel, file: StoredLabelFile | null): Promise<void> {
    const p = claim.purchase;
    // One statement, so one atomic step: the label, the shipment's new state and the event.
    const rows = await this.dataSource.query(
      `WITH label AS (
         INSERT INTO labels (id, tenant_id, batch_id, batch_shipment_id, shipment_id, carrier_account_id, provider,
           provider_label_id, reference, status, tracking_number, carrier, service_code, cost_minor, currency,
           label_file_type, file_key, file_url, warehouse_id, external_shipment_id, is_international, ship_date, metadata)
         SELECT $1, $2, $3, $4, $5, $6, (SELECT provider FROM carrier_accounts WHERE id = $6),
           $7, $4, 'completed', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
           (SELECT metadata FROM batch_shipments WHERE id = $4)
         ON CONFLICT (batch_shipment_id) DO NOTHING
         RETURNING id
       ), shipment AS (
         UPDATE batch_shipments
         SET purchase_state = 'PURCHASED', status = 'VALID', transaction_id = label.id, messages = '[]',
             lookup_required = false, lease_until = NULL, updated_at = now()
         FROM label WHERE batch_shipments.id = $4
       ), event AS (
         INSERT INTO outbox_events (tenant_id, type, object_id, payload)
         SELECT $2, 'transaction_created', label.id, '{}' FROM label
       )
       SELECT id FROM label`,
      [
        newObjectId(),
        claim.tenantId,
        claim.batchId,
        claim.id,
        claim.shipmentId,
        p.carrierAccountId,
        label.providerLabelId,
        label.trackingNumber,
        label.carrier,
        label.serviceLevelToken,
        label.cost.amountMinor,
        label.cost.currency.toLowerCase(),
        p.command.labelFileType,
        file?.key || null,
        file?.url ?? null,
        p.warehouseId,
        p.externalShipmentId,
        p.isInternational,
        p.command.shipment.shipmentDate ?? null,
      ],
    );
    if (rows.length === 0) {
      // The label was already recorded (a second worker after a lease ran out): point at it.
      await this.dataSource.query(
        `UPDATE batch_shipments b
         SET purchase_state = 'PURCHASED', status = 'VALID', transaction_id = l.id, messages = '[]',
             lookup_required = false, lease_until = NULL, updated_at = now()
         FROM labels l WHERE l.batch_shipment_id = b.id AND b.id = $1`,
        [claim.id],
      );
    }
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
