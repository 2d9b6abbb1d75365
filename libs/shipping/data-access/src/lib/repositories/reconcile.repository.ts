import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type { QueuedPurchase, ReconcileRepository } from '@shipbatch/shipping/application';
import { BATCH_TRANSITIONS, fromStates, OPEN_PURCHASE_STATES, PURCHASE_STATE_TRANSITIONS } from '@shipbatch/shipping/domain';
import { sqlStates } from './state.sql';

/** Batches whose validation is still to finish. */
const VALIDATING = sqlStates(fromStates(BATCH_TRANSITIONS, 'validation_finished_valid', 'validation_finished_invalid'));
/** Batches whose purchase is still to finish (`purchase_finished`), and the domain's open purchase states. */
const PURCHASING = sqlStates(fromStates(BATCH_TRANSITIONS, 'purchase_finished'));
const OPEN = sqlStates(OPEN_PURCHASE_STATES);
/** Shipments a worker can claim: waiting in the queue, or held under a lease that may have run out. */
const CLAIMABLE_QUEUED = sqlStates(fromStates(PURCHASE_STATE_TRANSITIONS, 'claimed'));
const CLAIMABLE_TAKEN_OVER = sqlStates(fromStates(PURCHASE_STATE_TRANSITIONS, 'lease_taken_over'));

const RECONCILE_LOCK = 727_274_002;

@Injectable()
export class TypeormReconcileRepository implements ReconcileRepository {
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One reconciler at a time: in-process in embedded mode, a PostgreSQL advisory lock in scale-out. */
  async exclusively(work: () => Promise<void>): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    try {
      if (this.config.mode === 'embedded') {
        await work();
        return true;
      }
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RECONCILE_LOCK]);
        if (!locked) return false;
        try {
          await work();
        } finally {
          await runner.query(`SELECT pg_advisory_unlock($1)`, [RECONCILE_LOCK]);
        }
        return true;
      } finally {
        await runner.release();
      }
    } finally {
      this.running = false;
    }
  }

  async validationsToRing(staleMs: number): Promise<string[]> {
    // Marks the ring with a lease that has already ended (claimable at once, but "touched").
    const rows = normalizeRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE batches SET validation_lease_until = now()
         WHERE status IN ${VALIDATING}
           AND updated_at <= now() - make_interval(secs => $1::double precision / 1000)
           AND (validation_lease_until IS NULL
                OR validation_lease_until <= now() - make_interval(secs => $1::double precision / 1000))
         RETURNING id`,
        [staleMs],
      ),
    );
    return rows.map((r) => r.id);
  }

  async batchesPurchasingWithNothingOpen(): Promise<string[]> {
    const rows = await this.dataSource.query(
      `SELECT b.id FROM batches b WHERE b.status IN ${PURCHASING} AND NOT EXISTS (
         SELECT 1 FROM batch_shipments s WHERE s.batch_id = b.id AND s.purchase_state IN ${OPEN})`,
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async stalePurchases(staleMs: number, limit: number): Promise<QueuedPurchase[]> {
    const rows = await this.dataSource.query(
      `SELECT id, tenant_id, effective_carrier_account, queue_token FROM batch_shipments
       WHERE (purchase_state IN ${CLAIMABLE_QUEUED} AND queued_at <= now() - make_interval(secs => $1::double precision / 1000))
          OR (purchase_state IN ${CLAIMABLE_TAKEN_OVER} AND lease_until < now())
       ORDER BY queued_at LIMIT $2`,
      [staleMs, limit],
    );
    return rows.map((r: { id: string; tenant_id: string; effective_carrier_account: string; queue_token: number }) => ({
      id: r.id,
      tenantId: r.tenant_id,
      carrierAccountId: r.effective_carrier_account,
      queueToken: Number(r.queue_token),
    }));
  }
}
