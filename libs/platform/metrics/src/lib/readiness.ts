import type { QueueInspector, ShutdownState } from '@shipbatch/platform/queue';
import type { DataSource } from 'typeorm';

/** One dependency's answer: `ok`, or what went wrong. */
export type CheckResult = 'ok' | string;

export interface ReadinessReport {
  ready: boolean;
  /** `database`, `migrations`, in scale-out `redis`, and `shutdown` once SIGTERM came. */
  checks: Record<string, CheckResult>;
}

/** A check that has not answered by then failed: a probe must answer even when a dependency hangs. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Whether this process can do its work: the database answers (PGlite or PostgreSQL), every
 * migration this build carries is applied, and in scale-out Redis answers. The checks run side
 * by side, each bounded by READINESS_TIMEOUT_MS. From SIGTERM on (ShutdownState `stopping`) the
 * process is not ready whatever they say: it drains, and takes nothing new.
 */
export class Readiness {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: QueueInspector,
    private readonly usesRedis: boolean,
    private readonly timeoutMs = READINESS_TIMEOUT_MS,
    private readonly shutdown?: Pick<ShutdownState, 'stopping'>,
  ) {}

  async check(): Promise<ReadinessReport> {
    const checks: Array<[string, () => Promise<void>]> = [
      ['database', () => this.database()],
      ['migrations', () => this.migrations()],
      ...(this.usesRedis ? [['redis', () => this.queue.ping()] as [string, () => Promise<void>]] : []),
    ];
    const results: Array<readonly [string, CheckResult]> = await Promise.all(checks.map(async ([name, run]) => [name, await this.bounded(run)] as const));
    if (this.shutdown?.stopping) results.push(['shutdown', 'shutting down (SIGTERM): finishing what is in flight']);
    return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
  }

  private async database(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('not connected');
    await this.dataSource.query('SELECT 1');
  }

  /** Every migration of this build is recorded in the migrations table (one query, no write). */
  private async migrations(): Promise<void> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const rows: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM "${table.replace(/"/g, '""')}"`);
    const applied = new Set(rows.map((r) => r.name));
    const pending = this.dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
    if (pending.length > 0) throw new Error(`${pending.length} pending (${pending.slice(0, 3).join(', ')})`);
  }

  private async bounded(run: () => Promise<void>): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([run(), timeout]);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
