import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freeTcpPort } from './free-port';
import { tempDir } from './temp-dir';

const run = promisify(execFile);

/** A PostgreSQL cluster of the caller's own, which it may stop and restart at will (fault tests). */
export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  adminUrl: string;
  /** Makes a database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast`: every connection is cut, as when the server restarts. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again, on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good (immediate) and forgets it; the folder goes with the caller's tempDir. */
  close(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (`/usr/lib/postgresql/<major>/bin`), or PG_BIN_DIR. */
export function postgresBinDir(): string {
  const fromEnv = process.env['PG_BIN_DIR'];
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server binaries under ${root}/<major>/bin: install postgresql or set PG_BIN_DIR`);
  return join(root, newest, 'bin');
}

/**
 * initdb in a new folder (tempDir() by default, or `dir`), then starts the cluster on a free port
 * of 127.0.0.1 with trust authentication for user `postgres`, no Unix socket and no fsync (its data
 * is thrown away). initdb refuses to run as root: as root, the cluster runs as the `postgres` user.
 * Never touches the machine's own PostgreSQL.
 */
export async function startPrivatePostgres(dir = tempDir('shipbatch-pg-')): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  if (asRoot) chownSync(dir, ...postgresIds());
  const exec = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freeTcpPort();
  const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=200`;
  const log = join(dir, 'postgres.log');
  let running = false;
  const start = async () => {
    await exec('pg_ctl', ['start', '-w', '-D', data, '-l', log, '-o', options]);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    if (!running) return;
    await exec('pg_ctl', ['stop', '-w', '-D', data, '-m', mode]);
    running = false;
  };
  // A test process that dies leaves no server behind (best effort: `exit` handlers are synchronous).
  const onExit = () => {
    if (!running) return;
    try {
      execFileSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), [
        ...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
        'stop', '-D', data, '-m', 'immediate',
      ]);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  await start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop: () => stop('fast'),
    start,
    async close() {
      await stop('immediate');
      process.removeListener('exit', onExit);
    },
  };
}

function postgresIds(): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres user to run the private cluster as');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
