import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DEFAULT_EMBEDDED_SETTINGS, type EmbeddedSettings } from '@shipbatch/platform/config';
import { type DataDirLock, lockDataDir } from './data-dir-lock';

import { copyTemplate, embeddedTemplateDir, ensureTemplate, isDataDir } from './embedded-template';


/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own start parameters.
 * PGlite runs PostgreSQL's single-user backend in one WASM linear memory, which grows and
 * never shrinks, and PostgreSQL touches its whole shared memory at start: with the stock
 * `shared_buffers` (128MB) the WASM memory is 151 MB resident before the first query and
 * 185 MB through a 10,000-shipment batch. 64MB (`EMBEDDED_SHARED_BUFFERS`) keeps most of a
 * batch's pages in the pool (16MB saved another 45 MB but cost about 30 % more CPU in the
 * bench: pages re-read through PGlite's file system calls); see the README for the figures.
 */
export function embeddedPostgresSettings(settings: EmbeddedSettings = DEFAULT_EMBEDDED_SETTINGS): Record<string, string> {
  return {
    shared_buffers: settings.sharedBuffers,
    // One backend: the lock table and process arrays sized for 100 connections are dead weight.
    max_connections: '4',
    // Sorts and hashes of the batch queries fit; anything larger spills to temporary files.
    work_mem: '4MB',
    // Index builds (migrations) and VACUUM: allocated when used, kept by the WASM memory after.
    maintenance_work_mem: '16MB',
    temp_buffers: '1MB',
  };
}

/** PGlite's default start parameters (PGlite.defaultStartParams in 0.5), which `startParams` replaces. */
const PGLITE_START_PARAMS = [
  '--single',
  '-F',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'io_method=sync',
  '-c',
  'max_parallel_maintenance_workers=0',
];

function settingParams(settings: EmbeddedSettings): string[] {
  return Object.entries(embeddedPostgresSettings(settings)).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** PGlite options of the embedded database (`dataDir` undefined: in memory). */
export function embeddedPgliteOptions(dataDir?: string, settings: EmbeddedSettings = DEFAULT_EMBEDDED_SETTINGS): PGliteOptions {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  return {
    ...(dataDir ? { dataDir } : {}),
    startParams: [...(Array.isArray(defaults) ? defaults : PGLITE_START_PARAMS), ...settingParams(settings)],
  };
}

/**
 * initdb in a short-lived child process. PGlite's initdb runs a second PGlite instance, the
 * initdb WASM program and a full copy of the second instance's memory in the process that opens
 * the database (about 650-760 MB resident at its peak); the garbage is only freed by a major GC
 * that a small JS heap may not see for minutes. In a child process all of it is gone when the
 * child exits. The child's backend starts with the embedded settings (a smaller peak); the
 * directory itself keeps PGlite's stock postgresql.conf, so it suits any settings.
 */
const INITDB_CHILD_SOURCE = `
const [pglitePath, dir, options] = process.argv.slice(1);
const { PGlite } = require(pglitePath);
PGlite.create({ ...JSON.parse(options), dataDir: dir })
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { console.error(error && error.stack || error); process.exit(1); });
`;

function initdbInChild(target: string): Promise<void> {
  const { startParams } = embeddedPgliteOptions(undefined, DEFAULT_EMBEDDED_SETTINGS);
  const pglitePath = require.resolve('@electric-sql/pglite');
  return new Promise<void>((resolve, reject) => {
    let stderr = '';
    const child = spawn(process.execPath, ['-e', INITDB_CHILD_SOURCE, pglitePath, target, JSON.stringify({ startParams })], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`initdb of ${target} failed (${code ?? signal}): ${stderr.trim()}`)),
    );
  });
}

/**
 * Makes the data directory template of the installed PGlite if it is missing (`npm start` and
 * `npm run build` call this after compiling); its path, or undefined where it cannot be written.
 */
export function prepareEmbeddedTemplate(templateDir: string = embeddedTemplateDir()): Promise<string | undefined> {
  return ensureTemplate(initdbInChild, templateDir);
}

async function initDataDir(location: string, templateDir: string): Promise<void> {
  // A directory PGlite would resume (it checks PG_VERSION) is complete: it only gets its name
  // once it is whole (the rename below), so a crash never leaves a half-built one.
  if (isDataDir(location)) return;
  const staging = `${location}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(location), { recursive: true });
  const template = await prepareEmbeddedTemplate(templateDir);
  if (template) copyTemplate(template, staging);
  else await initdbInChild(staging);
  // An empty directory left by an older start (mkdir before PGlite) is replaced.
  if (existsSync(location)) rmSync(location, { recursive: true, force: true });
  renameSync(staging, location);
}

/**
 * How much V8 lets the JS heap grow past what a full GC left alive, in percent
 * (`EMBEDDED_HEAP_GROWING_PERCENT`; 0 leaves V8's own heuristic). In embedded mode
 * one process holds the API, the workers and the database; V8's default on a machine with
 * gigabytes free is to let the old generation reach up to 4x the live size before the next
 * full GC (in the 10,000-shipment bench: 80-115 MB alive, 210 MB of old space). A soft bound:
 * the heap still grows to whatever is alive, never an out-of-memory limit.
 */
function boundHeapGrowth(percent: number): void {
  // Read by V8 at every full GC, so it takes effect at run time (unlike --max-old-space-size).
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * The embedded database: PostgreSQL compiled to WASM (PGlite), kept in `<dataDir>/pglite`,
 * served on a loopback port by pglite-socket so that the service talks to it through the
 * same `pg` driver and TypeORM code as to a real PostgreSQL. PGlite is single-connection,
 * so the pool in front of it must have exactly one connection. One process at a time may
 * open a data directory: `start` holds DATA_DIR's lock (data-dir-lock.ts) until `stop`.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    /** This process's hold on the data directory; undefined in memory. */
    readonly lock: DataDirLock | undefined,
  ) {}

  /**
   * `dataDir` undefined keeps the database in memory (tests). A new data directory is a copy of
   * the template in `templateDir` (made there first if missing; see embedded-template.ts).
   * Throws DataDirLockedError, before touching anything, when another process holds `dataDir`.
   */
  static async start(
    dataDir?: string,
    settings: EmbeddedSettings = DEFAULT_EMBEDDED_SETTINGS,
    templateDir: string = embeddedTemplateDir(),
  ): Promise<EmbeddedPostgres> {
    const lock = dataDir ? await lockDataDir(dataDir) : undefined;
    try {
      boundHeapGrowth(settings.heapGrowingPercent);
      let location: string | undefined;
      if (dataDir) {
        location = join(dataDir, 'pglite');
        await initDataDir(location, templateDir);
      }
      const db = await PGlite.create(embeddedPgliteOptions(location, settings));
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
      await server.start();
      const conn = server.getServerConn();
      return new EmbeddedPostgres(db, server, `postgres://postgres@${conn}/postgres`, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}
