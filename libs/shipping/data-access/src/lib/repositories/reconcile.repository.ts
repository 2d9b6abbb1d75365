import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import type { QueuedPurchase, ReconcileRepository } from '@shipbatch/shipping/application';

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

  async batchesValidating(staleMs: number): Promise<string[]> {
    const rows = await this.dataSource.query(
      `SELECT id FROM batches WHERE status = 'VALIDATING'
       AND updated_at <= now() - make_interval(secs => $1::double precision / 1000)`,
      [staleMs],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async batchesPurchasingWithNothingOpen(): Promise<string[]> {
    const rows = await this.dataSource.query(
      `SELECT b.id FROM batches b WHERE b.status = 'PURCHASING' AND NOT EXISTS (
         SELECT 1 FROM batch_shipments s WHERE s.batch_id = b.id AND s.purchase_state IN ('QUEUED', 'PURCHASING'))`,
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async stalePurchases(staleMs: number, limit: number): Promise<QueuedPurchase[]> {
    const rows = await this.dataSource.query(
      `SELECT id, effective_carrier_account, queue_token FROM batch_shipments
       WHERE (purchase_state = 'QUEUED' AND queued_at <= now() - make_interval(secs => $1::double precision / 1000))
          OR (purchase_state = 'PURCHASING' AND lease_until < now())
       ORDER BY queued_at LIMIT $2`,
      [staleMs, limit],
    );
    return rows.map((r: { id: string; effective_carrier_account: string; queue_token: number }) => ({
      id: r.id,
      carrierAccountId: r.effective_carrier_account,
      queueToken: Number(r.queue_token),
    }));
  }
}
