import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shipment keeps its `extra` (signature confirmation, insurance, references... in Shippo's
 * vocabulary) as sent, and presents it back. The batch shipment's `input` and its frozen
 * `purchase_command` already carry it as JSON; shipments made before this have none (`{}`).
 */
export class ShipmentExtra1765238400000 implements MigrationInterface {
  name = 'ShipmentExtra1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipments ADD COLUMN extra jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipments DROP COLUMN extra`);
  }
}
