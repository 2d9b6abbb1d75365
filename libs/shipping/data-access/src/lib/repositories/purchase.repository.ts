import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newObjectId } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ClaimedPurchase,
  FrozenPurchase,
  HandedBackPurchase,
  PurchasedItem,
  PurchaseRepository,
} from '@shipbatch/shipping/application';
import {
  BATCH_SHIPMENT_STATUS_TRANSITIONS as STATUS,
  fromStates,
  PURCHASE_STATE_TRANSITIONS as PURCHASE,
  type ShipmentMessage,
  toState,
} from '@shipbatch/shipping/domain';

/**
 * The purchase protocol's writes, each one of the domain's named transitions applied as a
 * conditional update (`purchase_state = ANY(<from>)`), so a stale worker's write cannot land.
 */
const T = {
  /** claimMany: `claimed` (QUEUED -> PURCHASING) or `lease_taken_over` (PURCHASING, lease run out). */
  claim: {
    queued: fromStates(PURCHASE, 'claimed'),
    takenOver: fromStates(PURCHASE, 'lease_taken_over'),
    to: toState(PURCHASE, 'claimed'),
  },
  /**
   * recordPurchasedMany: `purchased`, `native_purchased`, or `purchased_late` (a label paid for
   * after another worker gave the shipment back or failed it is kept); status `label_recorded`.
   */
  record: {
    from: fromStates(PURCHASE, 'purchased', 'native_purchased', 'purchased_late'),
    to: toState(PURCHASE, 'purchased'),
    statusFrom: fromStates(STATUS, 'label_recorded'),
    statusTo: toState(STATUS, 'label_recorded'),
  },
  /** requeue: `requeued` (PURCHASING -> QUEUED). */
  requeue: { from: fromStates(PURCHASE, 'requeued'), to: toState(PURCHASE, 'requeued') },
  /** handBack: `handed_back` (PURCHASING -> QUEUED), a claim never sent, at shutdown. */
  handBack: { from: fromStates(PURCHASE, 'handed_back'), to: toState(PURCHASE, 'handed_back') },
  /** recordFailed: `failed` (PURCHASING -> FAILED) and status `purchase_failed` (VALID -> TRANSACTION_FAILED). */
  fail: {
    from: fromStates(PURCHASE, 'failed'),
    to: toState(PURCHASE, 'failed'),
    statusFrom: fromStates(STATUS, 'purchase_failed'),
    statusTo: toState(STATUS, 'purchase_failed'),
  },
} as const;
if (T.claim.to !== toState(PURCHASE, 'lease_taken_over')) throw new Error('claimed and lease_taken_over must lead to one state');

interface ClaimRow {
  id: string;
  tenant_id: string;
  batch_id: string;
  shipment_id: string | null;
  purchase_command: FrozenPurchase;
  lookup_required: boolean;
  failures: number;
  queue_token: number;
  attempts: number;
  position: string;
}

@Injectable()
export class TypeormPurchaseRepository implements PurchaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claimMany(batchShipmentIds: string[], leaseMs: number): Promise<ClaimedPurchase[]> {
    if (batchShipmentIds.length === 0) return [];
    // One statement. Claimable: queued, or held by a worker whose lease ran out (it crashed).
    // SET sees the old row: an attempt taken over mid-PURCHASING may have reached the provider.
    const rows = normalizeRows<ClaimRow>(
      await this.dataSource.query(
        `UPDATE batch_shipments
         SET lookup_required = (purchase_state = ANY($4::text[]) OR lookup_required),
             purchase_state = $5,
             lease_until = now() + make_interval(secs => $2::double precision / 1000),
             attempts = attempts + 1,
             updated_at = now()
         WHERE id = ANY($1::text[])
           AND (purchase_state = ANY($3::text[]) OR (purchase_state = ANY($4::text[]) AND lease_until < now()))
         RETURNING id, tenant_id, batch_id, shipment_id, purchase_command, lookup_required, failures, queue_token, attempts, position`,
        [batchShipmentIds, leaseMs, T.claim.queued, T.claim.takenOver, T.claim.to],
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
        attempt: Number(r.attempts),
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
    // shipment pointed at it (a shipment already PURCHASED is left as it is).
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
         SET purchase_state = $3, status = $5, transaction_id = COALESCE(label.id, l.id), messages = '[]',
             lookup_required = false, lease_until = NULL, updated_at = now()
         FROM input i
         LEFT JOIN label ON label.batch_shipment_id = i.batch_shipment_id
         LEFT JOIN labels l ON l.batch_shipment_id = i.batch_shipment_id
         WHERE b.id = i.batch_shipment_id AND COALESCE(label.id, l.id) IS NOT NULL
           AND b.purchase_state = ANY($2::text[]) AND b.status = ANY($4::text[])
       )
       INSERT INTO outbox_events (tenant_id, type, object_id, payload)
       SELECT tenant_id, 'transaction_created', id, '{}' FROM label`,
      [JSON.stringify(rows), T.record.from, T.record.to, T.record.statusFrom, T.record.statusTo],
    );
  }

  async requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number> {
    const rows = normalizeRows<{ queue_token: number }>(
      await this.dataSource.query(
        `UPDATE batch_shipments
         SET purchase_state = $5, failures = failures + $2, lookup_required = $3,
             queue_token = queue_token + 1, queued_at = now(), lease_until = NULL, updated_at = now()
         WHERE id = $1 AND purchase_state = ANY($4::text[])
         RETURNING queue_token`,
        [claim.id, opts.countFailure ? 1 : 0, opts.lookupRequired, T.requeue.from, T.requeue.to],
      ),
    );
    return rows[0] ? Number(rows[0].queue_token) : claim.queueToken;
  }

  async handBack(claims: ClaimedPurchase[]): Promise<HandedBackPurchase[]> {
    if (claims.length === 0) return [];
    // One statement. Only claims still held: PURCHASING under this claim's attempt, its lease
    // not run out (once it has, another worker may have taken it over, with attempts + 1).
    const rows = normalizeRows<{ id: string; queue_token: number }>(
      await this.dataSource.query(
        `UPDATE batch_shipments b
         SET purchase_state = $4, queue_token = b.queue_token + 1, queued_at = now(), lease_until = NULL, updated_at = now()
         FROM unnest($1::text[], $2::int[]) AS held(id, attempt)
         WHERE b.id = held.id AND b.attempts = held.attempt
           AND b.purchase_state = ANY($3::text[]) AND b.lease_until > now()
         RETURNING b.id, b.queue_token`,
        [claims.map((c) => c.id), claims.map((c) => c.attempt), T.handBack.from, T.handBack.to],
      ),
    );
    return rows.map((r) => ({ id: r.id, queueToken: Number(r.queue_token) }));
  }

  async recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE batch_shipments
       SET purchase_state = $5, status = $7, messages = jsonb_build_array($2::jsonb),
           failures = failures + 1, lookup_required = $3, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND purchase_state = ANY($4::text[]) AND status = ANY($6::text[])`,
      [claim.id, JSON.stringify(message), lookupRequired, T.fail.from, T.fail.to, T.fail.statusFrom, T.fail.statusTo],
    );
  }
}
