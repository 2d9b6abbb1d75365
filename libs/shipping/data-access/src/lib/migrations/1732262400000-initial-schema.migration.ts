import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: tenants and keys, reusable objects, carrier accounts, batches and
 * their shipments, labels (Shippo transactions / ShipStation labels) and the outbox.
 * Ids are text (32 hex characters, as Shippo prints them). Money is integer minor units.
 */
export class InitialSchema1732262400000 implements MigrationInterface {
  name = 'InitialSchema1732262400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE addresses (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        name text, company text, street1 text, street2 text, street3 text,
        city text, state text, zip text, country text, phone text, email text,
        is_residential boolean,
        metadata text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX addresses_tenant_idx ON addresses (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE parcels (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        length text NOT NULL, width text NOT NULL, height text NOT NULL,
        distance_unit text NOT NULL,
        weight text NOT NULL,
        mass_unit text NOT NULL,
        metadata text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX parcels_tenant_idx ON parcels (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE carrier_accounts (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        provider text NOT NULL,
        carrier text NOT NULL,
        account_id text NOT NULL,
        parameters_sealed text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        test boolean NOT NULL DEFAULT false,
        metadata text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX carrier_accounts_tenant_idx ON carrier_accounts (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE batches (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        status text NOT NULL,
        default_carrier_account text NOT NULL,
        default_servicelevel_token text NOT NULL,
        label_filetype text NOT NULL,
        metadata text NOT NULL DEFAULT '',
        label_urls jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX batches_tenant_created_idx ON batches (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX batches_status_idx ON batches (status) WHERE status IN ('VALIDATING', 'PURCHASING')`);
    await q.query(`
      CREATE TABLE shipments (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        address_from_id text,
        address_to_id text,
        address_return_id text,
        parcel_ids jsonb NOT NULL DEFAULT '[]',
        object_purpose text NOT NULL DEFAULT 'PURCHASE',
        shipment_date timestamptz,
        metadata text NOT NULL DEFAULT '',
        external_shipment_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX shipments_tenant_external_idx ON shipments (tenant_id, external_shipment_id)
       WHERE external_shipment_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE batch_shipments (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        batch_id text NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        position bigint NOT NULL,
        status text NOT NULL,
        purchase_state text NOT NULL DEFAULT 'NONE',
        carrier_account text,
        servicelevel_token text,
        metadata text NOT NULL DEFAULT '',
        input jsonb NOT NULL,
        messages jsonb NOT NULL DEFAULT '[]',
        shipment_id text,
        effective_carrier_account text,
        purchase_command jsonb,
        transaction_id text,
        attempts integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0,
        lookup_required boolean NOT NULL DEFAULT false,
        queue_token integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        queued_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX batch_shipments_position_idx ON batch_shipments (batch_id, position)`);
    await q.query(`CREATE INDEX batch_shipments_status_idx ON batch_shipments (batch_id, status, position)`);
    await q.query(`CREATE INDEX batch_shipments_purchase_idx ON batch_shipments (batch_id, purchase_state)`);
    await q.query(
      `CREATE INDEX batch_shipments_open_idx ON batch_shipments (purchase_state, queued_at)
       WHERE purchase_state IN ('QUEUED', 'PURCHASING')`,
    );
    await q.query(`
      CREATE TABLE labels (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        batch_id text,
        batch_shipment_id text UNIQUE,
        shipment_id text,
        carrier_account_id text NOT NULL,
        provider text NOT NULL,
        provider_label_id text NOT NULL,
        reference text NOT NULL,
        status text NOT NULL,
        tracking_number text NOT NULL,
        carrier text NOT NULL,
        service_code text NOT NULL,
        cost_minor bigint NOT NULL,
        currency text NOT NULL,
        label_file_type text NOT NULL,
        file_key text,
        file_url text,
        warehouse_id text,
        external_shipment_id text,
        is_international boolean NOT NULL DEFAULT false,
        is_return_label boolean NOT NULL DEFAULT false,
        ship_date timestamptz,
        voided_at timestamptz,
        metadata text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX labels_tenant_created_idx ON labels (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX labels_tenant_batch_idx ON labels (tenant_id, batch_id, created_at)`);
    await q.query(`CREATE INDEX labels_tenant_tracking_idx ON labels (tenant_id, tracking_number)`);
    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        type text NOT NULL,
        object_id text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_events',
      'labels',
      'batch_shipments',
      'shipments',
      'batches',
      'carrier_accounts',
      'parcels',
      'addresses',
      'api_keys',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
