import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded database: PostgreSQL compiled to WASM (PGlite), kept in `<dataDir>/pglite`,
 * served on a loopback port by pglite-socket so that the service talks to it through the
 * same `pg` driver and TypeORM code as to a real PostgreSQL. PGlite is single-connection,
 * so the pool in front of it must have exactly one connection.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async start(dataDir?: string): Promise<EmbeddedPostgres> {
    let location: string | undefined;
    if (dataDir) {
      location = join(dataDir, 'pglite');
      mkdirSync(location, { recursive: true });
    }
    const db = await PGlite.create(location ? { dataDir: location } : {});
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const conn = server.getServerConn();
    return new EmbeddedPostgres(db, server, `postgres://postgres@${conn}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
