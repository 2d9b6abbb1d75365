/**
 * What the bench scripts share: where PostgreSQL and Redis are, starting and stopping the
 * compiled apps, a throwaway database and Redis prefix per run, and a small HTTP client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

export const PG_ADMIN = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'bench-admin';
/** The workspace root, from the compiled script (dist/out-tsc/tools/bench) or from its source. */
function workspaceRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@shipbatch/source') return dir;
  }
  throw new Error(`no Shipbatch workspace above ${from}`);
}
const root = workspaceRoot(__dirname);
const run = join(root, 'tools/scripts/run.js');

/** `node tools/scripts/run.js <entry>` runs a compiled entry point (relative to dist/out-tsc). */
export const RUN_JS = run;

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

let started = 0;

/** Starts a compiled entry point (e.g. apps/api/src/main.js); the bench dies if it fails. */
export function start(entry: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  // BENCH_LOG_DIR keeps each process's log (stdout) in a file of its own, to read after a run.
  const logDir = process.env['BENCH_LOG_DIR'];
  const out = logDir ? openSync(join(logDir, `${basename(dirname(dirname(entry)))}-${Date.now()}-${++started}.log`), 'a') : 'ignore';
  const child = spawn(process.execPath, [...nodeArgs, run, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  if (typeof out === 'number') closeSync(out);
  child.on('exit', (code, signal) => {
    // SIGKILL is a bench's own doing (bench-rolling-restart); a SIGTERMed app exits 0.
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') {
      console.error(`${entry} exited with ${code ?? signal}`);
      process.exit(1);
    }
  });
  return child;
}

export function stop(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (p.exitCode !== null || p.signalCode !== null) return ok();
    p.once('exit', () => ok());
    p.kill('SIGTERM');
  });
}

export async function http(base: string, method: string, path: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key) headers['Authorization'] = key.startsWith('Bearer ') ? key : `ShippoToken ${key}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A database and a Redis key prefix of the run's own, and the scale-out environment that
 * points the apps at them (with a fresh encryption key and data directory); `drop` removes
 * the database and the keys.
 */
export async function throwawayStores(
  label: string,
): Promise<{ url: string; env: Record<string, string>; drop: () => Promise<void> }> {
  const suffix = randomBytes(4).toString('hex');
  const name = `shipbatch_bench_${label}_${suffix}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const prefix = `shipbatch-bench-${label}-${suffix}`;
  const dataDir = mkdtempSync(join(tmpdir(), `shipbatch-bench-${label}-`));
  const drop = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const c = new Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  };
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_TOKEN,
    DATA_DIR: dataDir,
    // The benches measure throughput, and poll the API hard: no request limit unless a bench sets one.
    API_RATE_LIMIT_PER_MINUTE: '0',
  };
  return { url: url.toString(), env, drop };
}

/** Polls `probe` until `done` accepts its value (errors count as not yet); gives up after `limitMs`. */
export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, everyMs = 100, limitMs = 1_800_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      const v = await probe();
      if (done(v)) return v;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `n` batch shipments from one warehouse to `n` customers (`<customer> <i>`), one 2 lb parcel each. */
export function shipments(n: number, customer = 'Customer') {
  return Array.from({ length: n }, (_, i) => ({
    shipment: {
      address_from: { name: 'Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
      address_to: { name: `${customer} ${i}`, street1: `${i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
      parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
      metadata: `order ${i}`,
    },
  }));
}

/** s3rver (@20minutes/s3rver's CLI) on a free port, its objects in a temp folder: the env FILE_STORAGE=s3 needs. */
export async function startS3Server(bucket: string): Promise<{ process: ChildProcess; env: Record<string, string>; directory: string }> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'shipbatch-bench-s3-'));
  const child = spawn(process.execPath, ['-e', "require('@20minutes/s3rver/lib/cli.js').parseAsync(process.argv.slice(1), { from: 'user' })", '--', '-d', directory, '-a', '127.0.0.1', '-p', String(port), '-s', '--no-vhost-buckets', '--configure-bucket', bucket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  const env = {
    FILE_STORAGE: 's3',
    S3_BUCKET: bucket,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_FORCE_PATH_STYLE: '1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  return { process: child, env, directory };
}
