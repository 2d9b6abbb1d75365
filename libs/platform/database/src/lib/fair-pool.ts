import * as pg from 'pg';
import { currentWorkGroup } from '@shipbatch/platform/config';
import { FairGate } from './fair-gate';

type ConnectCallback = (error: Error | undefined, client?: pg.PoolClient, done?: (release?: Error | boolean) => void) => void;

/**
 * node-postgres' Pool with checkouts served by work group in turns (FairGate in front of the
 * pool's own FIFO): a query of a tenant's job waits for about one checkout of each other tenant
 * with work waiting, not for every checkout queued before it. The embedded database has one
 * connection, so without this one tenant's thousands of purchase jobs put every other tenant's
 * queries at the back of a single line. The group is the queue job's (`runInWorkGroup`);
 * HTTP requests share the group `''`.
 */
export class FairPool extends pg.Pool {
  private readonly gate: FairGate;

  constructor(options?: pg.PoolConfig) {
    super(options);
    this.gate = new FairGate(options?.max ?? 10);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const checkout = this.checkout();
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error),
    );
  }

  private async checkout(): Promise<pg.PoolClient> {
    await this.gate.acquire(currentWorkGroup());
    let client: pg.PoolClient;
    try {
      client = await super.connect();
    } catch (error) {
      this.gate.release();
      throw error;
    }
    // pg-pool gives each checkout its own release; the permit goes back with it, once.
    const release = client.release.bind(client);
    let released = false;
    client.release = (error?: Error | boolean) => {
      if (!released) {
        released = true;
        this.gate.release();
      }
      return release(error);
    };
    return client;
  }
}

/** The `pg` module with FairPool as its Pool: TypeORM's postgres driver takes it as `driver`. */
export function fairPgDriver(): typeof pg {
  return { ...pg, Pool: FairPool } as typeof pg;
}
