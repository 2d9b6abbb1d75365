import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One validation of a batch at a time: `batches.validation_lease_until` is a lease a validator
 * takes with a conditional UPDATE before it asks any provider, renews while it works and gives
 * back when it is done (set to the time it let go, which the reconciler reads as the batch's
 * last validation activity). NULL: never validated yet.
 */
export class ValidationLease1764979200000 implements MigrationInterface {
  name = 'ValidationLease1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches ADD COLUMN validation_lease_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches DROP COLUMN validation_lease_until`);
  }
}
