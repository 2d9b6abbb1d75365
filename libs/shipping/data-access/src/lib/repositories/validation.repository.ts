import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  BatchDefaults,
  PendingShipment,
  StoredAddress,
  StoredParcel,
  ValidatedShipment,
  ValidationRepository,
} from '@shipbatch/shipping/application';
import {
  BATCH_SHIPMENT_STATUS_TRANSITIONS,
  BATCH_TRANSITIONS,
  fromStates,
  transition,
} from '@shipbatch/shipping/domain';
import { type BatchRow, COUNTS_SQL, toBatch, toCounts } from './row-mappers';
import { applyBatchStep, sqlState, sqlStates } from './state.sql';

/** Validation writes a shipment's outcome only while it is PENDING (transition `validated`). */
const VALIDATED_FROM = fromStates(BATCH_SHIPMENT_STATUS_TRANSITIONS, 'validated');
/** Batches whose validation can finish. */
const FINISHING_FROM = fromStates(BATCH_TRANSITIONS, 'validation_finished_valid', 'validation_finished_invalid');
const VALIDATING = sqlStates(FINISHING_FROM);

const ADDRESS_COLUMNS =
  'id, name, company, street1, street2, street3, city, state, zip, country, phone, email, is_residential, metadata';

@Injectable()
export class TypeormValidationRepository implements ValidationRepository {
  constructor(private readonly dataSource: DataSource) {}

  // The validation lease: single statements on `batches.validation_lease_until`, whose value
  // (as text) is the holder's token; no transaction is held while a provider is asked.

  async claimValidation(batchId: string, leaseMs: number): Promise<string | null> {
    return this.leaseToken(
      `UPDATE batches SET validation_lease_until = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = $1 AND status IN ${VALIDATING}
         AND (validation_lease_until IS NULL OR validation_lease_until <= now())
       RETURNING validation_lease_until::text AS token`,
      [batchId, leaseMs],
    );
  }

  async renewValidation(batchId: string, token: string, leaseMs: number): Promise<string | null> {
    return this.leaseToken(
      `UPDATE batches SET validation_lease_until = now() + make_interval(secs => $3::double precision / 1000)
       WHERE id = $1 AND validation_lease_until = $2::timestamptz
       RETURNING validation_lease_until::text AS token`,
      [batchId, token, leaseMs],
    );
  }

  async releaseValidation(batchId: string, token: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE batches SET validation_lease_until = now() WHERE id = $1 AND validation_lease_until = $2::timestamptz`,
      [batchId, token],
    );
  }

  private async leaseToken(sql: string, params: unknown[]): Promise<string | null> {
    return normalizeRows<{ token: string }>(await this.dataSource.query(sql, params))[0]?.token ?? null;
  }

  async batchDefaults(batchId: string): Promise<BatchDefaults | null> {
    const rows = await this.dataSource.query(
      `SELECT tenant_id, default_carrier_account, default_servicelevel_token, label_filetype FROM batches WHERE id = $1`,
      [batchId],
    );
    if (!rows[0]) return null;
    return {
      tenantId: rows[0].tenant_id,
      defaultCarrierAccount: rows[0].default_carrier_account,
      defaultServicelevelToken: rows[0].default_servicelevel_token,
      labelFiletype: rows[0].label_filetype,
    };
  }

  async pendingShipments(batchId: string, limit: number): Promise<PendingShipment[]> {
    const rows = await this.dataSource.query(
      `SELECT id, tenant_id, batch_id, position, input FROM batch_shipments
       WHERE batch_id = $1 AND status = ${sqlState(BATCH_SHIPMENT_STATUS_TRANSITIONS.initial)} ORDER BY position LIMIT $2`,
      [batchId, limit],
    );
    return rows.map((r: { id: string; tenant_id: string; batch_id: string; position: string; input: PendingShipment['input'] }) => ({
      id: r.id,
      tenantId: r.tenant_id,
      batchId: r.batch_id,
      position: Number(r.position),
      input: r.input,
    }));
  }

  async findAddresses(tenantId: string, ids: string[]): Promise<StoredAddress[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query(
      `SELECT ${ADDRESS_COLUMNS} FROM addresses WHERE tenant_id = $1 AND id = ANY($2::text[])`,
      [tenantId, ids],
    );
    return rows.map((r: Record<string, unknown>) => withoutNulls(r) as unknown as StoredAddress);
  }

  async findParcels(tenantId: string, ids: string[]): Promise<StoredParcel[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, length, width, height, distance_unit, weight, mass_unit, metadata
       FROM parcels WHERE tenant_id = $1 AND id = ANY($2::text[])`,
      [tenantId, ids],
    );
  }

  async usedExternalIds(tenantId: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query(
      `SELECT external_shipment_id FROM shipments WHERE tenant_id = $1 AND external_shipment_id = ANY($2::text[])`,
      [tenantId, ids],
    );
    return rows.map((r: { external_shipment_id: string }) => r.external_shipment_id);
  }

  async saveChunk(tenantId: string, batchId: string, results: ValidatedShipment[]): Promise<number> {
    // Each outcome is a target of `validated` (throws before anything is written otherwise).
    for (const r of results) transition(BATCH_SHIPMENT_STATUS_TRANSITIONS, 'validated', BATCH_SHIPMENT_STATUS_TRANSITIONS.initial, r.outcome.status);
    return this.dataSource.transaction(async (m) => {
      const outcomes = results.map((r) => ({
        id: r.outcome.id,
        status: r.outcome.status,
        messages: r.outcome.messages,
        shipment_id: r.outcome.shipmentId,
        effective_carrier_account: r.outcome.effectiveCarrierAccount,
        purchase_command: r.outcome.purchase,
      }));
      const applied = normalizeRows<{ id: string }>(
        await m.query(
          `UPDATE batch_shipments b
           SET status = u.status, messages = u.messages, shipment_id = u.shipment_id,
               effective_carrier_account = u.effective_carrier_account, purchase_command = u.purchase_command,
               updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS u(id text, status text, messages jsonb, shipment_id text,
                                                   effective_carrier_account text, purchase_command jsonb)
           WHERE b.id = u.id AND b.batch_id = $2 AND b.status = ANY($3::text[])
           RETURNING b.id`,
          [JSON.stringify(outcomes), batchId, VALIDATED_FROM],
        ),
      );
      const ids = new Set(applied.map((r) => r.id));
      const mine = results.filter((r) => ids.has(r.outcome.id));
      const addresses = mine.flatMap((r) => r.addresses);
      const parcels = mine.flatMap((r) => r.parcels);
      if (addresses.length > 0) {
        await m.query(
          `INSERT INTO addresses (tenant_id, ${ADDRESS_COLUMNS})
           SELECT $2, ${ADDRESS_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS a(id text, name text, company text,
             street1 text, street2 text, street3 text, city text, state text, zip text, country text, phone text,
             email text, is_residential boolean, metadata text)`,
          [JSON.stringify(addresses.map((a) => ({ ...a, metadata: a.metadata ?? '' }))), tenantId],
        );
      }
      if (parcels.length > 0) {
        await m.query(
          `INSERT INTO parcels (tenant_id, id, length, width, height, distance_unit, weight, mass_unit, metadata)
           SELECT $2, id, length, width, height, distance_unit, weight, mass_unit, coalesce(metadata, '')
           FROM jsonb_to_recordset($1::jsonb) AS p(id text, length text, width text, height text,
             distance_unit text, weight text, mass_unit text, metadata text)`,
          [JSON.stringify(parcels), tenantId],
        );
      }
      if (mine.length > 0) {
        await m.query(
          `INSERT INTO shipments (id, tenant_id, address_from_id, address_to_id, address_return_id, parcel_ids,
                                  object_purpose, shipment_date, metadata, external_shipment_id, extra)
           SELECT id, "tenantId", "addressFromId", "addressToId", "addressReturnId", "parcelIds",
                  "objectPurpose", "shipmentDate", "metadata", "externalShipmentId", coalesce("extra", '{}')
           FROM jsonb_to_recordset($1::jsonb) AS s(id text, "tenantId" text, "addressFromId" text, "addressToId" text,
             "addressReturnId" text, "parcelIds" jsonb, "objectPurpose" text, "shipmentDate" timestamptz,
             "metadata" text, "externalShipmentId" text, "extra" jsonb)`,
          [JSON.stringify(mine.map((r) => r.shipment))],
        );
      }
      await m.query(`UPDATE batches SET updated_at = now() WHERE id = $1`, [batchId]);
      return mine.length;
    });
  }

  finishValidation(batchId: string): Promise<'VALID' | 'INVALID' | null> {
    return this.dataSource.transaction(async (m) => {
      const [row]: BatchRow[] = await m.query(`SELECT * FROM batches WHERE id = $1 AND status = ANY($2::text[]) FOR UPDATE`, [
        batchId,
        FINISHING_FROM,
      ]);
      if (!row) return null;
      // The domain decides from the rows; the step is applied with its batch_created event.
      const step = toBatch(row).finishValidation(toCounts(await m.query(COUNTS_SQL, [batchId])));
      if (!step || !(await applyBatchStep(m, batchId, step))) return null;
      return step.to as 'VALID' | 'INVALID';
    });
  }
}

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
}
