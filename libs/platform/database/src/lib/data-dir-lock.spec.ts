import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, lockDataDir, readDataDirHolder } from './data-dir-lock';

import { DataDirLockedError } from './data-dir-lock.errors';

import { processState } from './process-identity';

import { tempDir } from '@shipbatch/platform/testing';

/** A process of its own that takes the lock of `dir` (this module, from its TypeScript source) and waits. */
interface Holder {
  child: ChildProcess;
  /** `locked` or the refusal's message, once the child has tried. */
  outcome: Promise<string>;
  kill(): Promise<void>;
}

const LOCK_MODULE = join(__dirname, 'data-dir-lock.ts');
const CHILD_SOURCE = `
const { lockDataDir } = require(process.argv[1]);
lockDataDir(process.argv[2]).then(
  () => console.log('locked'),
  (error) => console.log('refused: ' + error.message),
);
process.stdin.resume(); // until the test ends it
`;

function startHolder(dir: string): Holder {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', CHILD_SOURCE, LOCK_MODULE, dir], {
    env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../tsconfig.json') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const outcome = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before trying: ${out}`)));
  });
  return {
    child,
    outcome,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the DATA_DIR lock (one process per embedded data directory)', () => {
  const holders: Holder[] = [];
  const newDir = () => tempDir('shipbatch-lock-');
  const holder = (dir: string) => {
    const h = startHolder(dir);
    holders.push(h);
    return h;
  };

  afterEach(async () => {
    await Promise.all(holders.splice(0).map((h) => h.kill()));
  });

  it('names its holder in DATA_DIR/service.json, readable by the owner only, and removes it when released', async () => {
    const dir = newDir();
    const lock = await lockDataDir(dir, 'npm start');
    const file = join(dir, LOCK_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start', port: null, token: null });
    expect(readDataDirHolder(dir)).toMatchObject({ pid: process.pid, nonce: lock.holder.nonce });
    lock.publish({ port: 3000, token: 'secret' });
    expect(readDataDirHolder(dir)).toMatchObject({ pid: process.pid, port: 3000, token: 'secret' });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    expect(readDataDirHolder(dir)).toBeUndefined();
    (await lockDataDir(dir)).release();
  });

  it('refuses a second hold in the same process', async () => {
    const dir = newDir();
    const lock = await lockDataDir(dir, 'npm start');
    try {
      const refusal = lockDataDir(dir);
      await expect(refusal).rejects.toThrow(DataDirLockedError);
      await expect(refusal).rejects.toThrow(`DATA_DIR ${dir} is in use by process ${process.pid} (this one) (npm start, started `);
    } finally {
      lock.release();
    }
  });

  it('refuses while another process holds it, naming that process, and is taken over at once when it is killed', async () => {
    const dir = newDir();
    const first = holder(dir);
    expect(await first.outcome).toBe('locked');
    const pid = first.child.pid;

    const second = holder(dir);
    expect(await second.outcome).toMatch(
      new RegExp(`^refused: DATA_DIR ${dir} is in use by process ${pid} \\(.*, started \\d{4}-\\d\\d-\\d\\dT[^,]+, not listening\\)`),
    );
    await expect(lockDataDir(dir)).rejects.toThrow(`is in use by process ${pid} `);

    // SIGKILL: no exit handler runs, the file stays, and names a process that is gone.
    await first.kill();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(readDataDirHolder(dir)).toBeUndefined();
    const lock = await lockDataDir(dir);
    expect(readDataDirHolder(dir)).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('releases the lock when its process exits without closing the database', async () => {
    const dir = newDir();
    const h = holder(dir);
    expect(await h.outcome).toBe('locked');
    h.child.stdin?.end(); // nothing keeps it running: it exits normally, as after process.exit
    await new Promise((resolve) => h.child.once('exit', resolve));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a file whose pid now runs another process, and one written before the lock existed', async () => {
    const dir = newDir();
    const file = join(dir, LOCK_FILE);
    // Our parent runs, but did not start when this record says: the pid was given to it later.
    expect(processState(process.ppid)).toMatchObject({ alive: true, start: expect.any(String) });
    writeFileSync(file, JSON.stringify({ pid: process.ppid, processStart: 'another-boot:1', nonce: 'old', startedAt: '', command: 'x', port: 1, token: 't' }));
    expect(readDataDirHolder(dir)).toBeUndefined();
    (await lockDataDir(dir)).release();
    // An older service.json (no nonce) with a live pid: the older service never held a lock.
    writeFileSync(file, JSON.stringify({ pid: process.ppid, port: 1, token: 't', startedAt: '' }));
    (await lockDataDir(dir)).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives a stale lock to exactly one of several processes racing for it', async () => {
    const dir = newDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, nonce: 'dead', startedAt: '', command: 'x', port: null, token: null }));
    const racers = [holder(dir), holder(dir), holder(dir), holder(dir)];
    const outcomes = await Promise.all(racers.map((r) => r.outcome));
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    const winner = racers[outcomes.indexOf('locked')].child.pid;
    for (const o of outcomes.filter((x) => x !== 'locked')) expect(o).toContain(`is in use by process ${winner} `);
    expect(readDataDirHolder(dir)).toMatchObject({ pid: winner });
    // Nothing left beside the lock (no file moved aside, no temporary file).
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });
});
