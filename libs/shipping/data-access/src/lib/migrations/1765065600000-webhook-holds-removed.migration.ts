import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook's `held_until` goes: no time holds a delivery past its own schedule any more. A
 * webhook whose receiver cannot be reached (`consecutive_failures` > 0: rounds in a row that got
 * no answer) is probed with one delivery a round, and a probe that gets no answer records the
 * webhook's other due deliveries as not sent, each on its own backoff; the due time of each
 * delivery is the only timer.
 */
export class WebhookHoldsRemoved1765065600000 implements MigrationInterface {
  name = 'WebhookHoldsRemoved1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks DROP COLUMN held_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks ADD COLUMN held_until timestamptz`);
  }
}
