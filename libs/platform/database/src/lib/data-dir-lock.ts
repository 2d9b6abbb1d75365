import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DataDirHolder } from './data-dir-holder';

import { DataDirLockedError } from './data-dir-lock.errors';

import { processState } from './process-identity';


/**
 * One process per embedded data directory. PGlite is a whole PostgreSQL in one process with no
 * locking of its own across processes: two processes on one DATA_DIR each keep their own view of
 * the files and overwrite each other's pages. So whatever opens DATA_DIR's database (the service,
 * `npm run demo-key`, a test) holds this lock first, before it copies or migrates anything.
 *
 * The lock is the file `DATA_DIR/service.json`, naming its holder: pid, what identifies that run
 * of the pid (process-identity.ts), when it started, its command and, once it listens, its port
 * and the token of its local routes (see the auth library's LocalControl). It is created
 * atomically (written aside, then hard-linked to its name: the link fails when the file exists),
 * and it is **held while its holder process runs**, judged at every attempt, not by a timeout:
 *
 * - a holder that is gone (killed with SIGKILL, crashed) leaves the file behind, and the next
 *   process sees that the pid is not running, or runs another process (a different start time),
 *   and takes the lock over at once;
 * - a holder that runs is never taken over, however long it has been quiet.
 *
 * Why not the alternatives: an OS lock (flock) would be the simplest, but Node has none and the
 * native addons that add it need install scripts or prebuilt binaries; a lock refreshed on a timer
 * (proper-lockfile) blocks the next start for its whole stale period after a crash, and breaks a
 * live holder whose event loop stalls past it. Taking over a stale file renames it aside and checks
 * it is the one judged stale before deleting it (a newer holder's file moved by mistake is put
 * back), and the process that took over checks 50 ms later that its own file is still the one in
 * place, so processes racing for one stale lock end with one holder. The pid is only meaningful
 * on this machine: DATA_DIR on a volume shared between machines (or containers with their own pid
 * namespaces) is not protected.
 */
export const LOCK_FILE = 'service.json';

/** Locks this process holds, by nonce, released when it exits (process.exit, an uncaught error). */
const held = new Map<string, DataDirLock>();
const releaseAll = () => {
  for (const lock of [...held.values()]) lock.release();
};

function parseHolder(text: string): DataDirHolder | undefined {
  try {
    const r = JSON.parse(text) as Partial<DataDirHolder>;
    // A service.json written before the lock existed has no nonce: nothing holds it.
    if (typeof r.pid !== 'number' || typeof r.nonce !== 'string') return undefined;
    return {
      pid: r.pid,
      ...(typeof r.processStart === 'string' ? { processStart: r.processStart } : {}),
      nonce: r.nonce,
      startedAt: String(r.startedAt ?? ''),
      command: String(r.command ?? ''),
      port: typeof r.port === 'number' ? r.port : null,
      token: typeof r.token === 'string' ? r.token : null,
    };
  } catch {
    return undefined;
  }
}

/** Whether the recorded holder is still the process holding the lock. */
function holds(holder: DataDirHolder): boolean {
  if (held.has(holder.nonce)) return true;
  // Our own pid, but not one of our locks: a process before us had this pid (a restarted container).
  if (holder.pid === process.pid) return false;
  const now = processState(holder.pid);
  if (!now.alive) return false;
  return holder.processStart === undefined || now.start === undefined || now.start === holder.processStart;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The process holding `dataDir` now, or undefined when none does (no file, or its holder is gone). */
export function readDataDirHolder(dataDir: string): DataDirHolder | undefined {
  const text = readText(join(dataDir, LOCK_FILE));
  const holder = text === undefined ? undefined : parseHolder(text);
  return holder && holds(holder) ? holder : undefined;
}

function writeAside(file: string, holder: DataDirHolder): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder) + '\n', { mode: 0o600 });
  return tmp;
}

/** Creates `file` holding `holder`, whole, unless it exists: false then. */
function createExclusive(file: string, holder: DataDirHolder): boolean {
  const tmp = writeAside(file, holder);
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Removes a stale lock file, only if it still holds `staleText`: renamed aside first (one process
 * wins the rename), then compared; a file that changed in between (a new holder) is put back.
 */
function removeStale(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another process removed it
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, file);
  } catch {
    /* a newer holder's file exists again: leave it */
  } finally {
    unlinkSync(aside);
  }
}

/** This process's hold on a data directory (`lockDataDir`). */
export class DataDirLock {
  private released = false;

  constructor(
    readonly dataDir: string,
    private current: DataDirHolder,
  ) {}

  get holder(): DataDirHolder {
    return this.current;
  }

  /** Adds what a command on this machine needs to reach the holder (its port, its token). */
  publish(fields: Partial<Pick<DataDirHolder, 'port' | 'token'>>): void {
    if (this.released) return;
    const file = join(this.dataDir, LOCK_FILE);
    const next = { ...this.current, ...fields };
    const tmp = writeAside(file, next);
    try {
      renameSync(tmp, file); // atomic: a reader sees the old record or the new one, and the lock stays held
    } catch (error) {
      unlinkSync(tmp);
      throw error;
    }
    this.current = next;
  }

  /** Gives the data directory up (idempotent). Synchronous, so it also runs on process exit. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.current.nonce);
    if (held.size === 0) process.removeListener('exit', releaseAll);
    const file = join(this.dataDir, LOCK_FILE);
    try {
      if (parseHolder(readFileSync(file, 'utf8'))?.nonce === this.current.nonce) unlinkSync(file);
    } catch {
      /* already gone */
    }
  }
}

/** How the holder is named to whoever finds the directory held: its script and arguments. */
function commandLine(): string {
  const [script, ...args] = process.argv.slice(1);
  return [script ? relative(process.cwd(), script) || script : process.title, ...args].join(' ');
}

/** How long a process that took a stale lock over waits before checking that it still holds it. */
const SETTLE_MS = 50;

/**
 * Takes `dataDir` for this process, creating the directory if needed; throws DataDirLockedError,
 * naming the holder, when a running process holds it (this one too: a second open in one process
 * is as harmful as in two).
 */
export async function lockDataDir(dataDir: string, command: string = commandLine()): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const start = processState(process.pid).start;
  const mine: DataDirHolder = {
    pid: process.pid,
    ...(start === undefined ? {} : { processStart: start }),
    nonce: randomBytes(16).toString('hex'),
    startedAt: new Date().toISOString(),
    command,
    port: null,
    token: null,
  };
  // Each round either takes the lock, finds it held, or removes a stale file: more than a few
  // rounds are only needed when several processes race for the same directory.
  let tookOver = false;
  for (let round = 0; round < 10; round++) {
    if (createExclusive(file, mine)) {
      if (tookOver) {
        // Racing takers of one stale file: one of them may have moved this new file aside for a
        // moment (removeStale) while a third process created its own. Whoever's file is there
        // once that settles holds the lock.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const now = readText(file);
        if (now === undefined || parseHolder(now)?.nonce !== mine.nonce) continue;
      }
      const lock = new DataDirLock(dataDir, mine);
      if (held.size === 0) process.on('exit', releaseAll);
      held.set(mine.nonce, lock);
      return lock;
    }
    const text = readText(file);
    if (text === undefined) continue; // removed since
    const holder = parseHolder(text);
    if (holder && holds(holder)) throw new DataDirLockedError(dataDir, holder);
    removeStale(file, text);
    tookOver = true;
  }
  throw new Error(`could not lock DATA_DIR ${dataDir}: ${file} kept changing`);
}
