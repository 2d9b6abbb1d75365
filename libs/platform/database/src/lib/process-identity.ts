import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Whether a process id names a running process, and which one: a pid alone is not enough,
 * since the system gives a dead process's pid to a new one sooner or later (after a reboot,
 * at once). `start` tells two processes with the same pid apart:
 *
 * - Linux: the boot id and the process's start time in clock ticks since boot
 *   (`/proc/<pid>/stat`, field 22), exact and read without starting a program;
 * - other Unix systems (macOS): the start time `ps -o lstart=` prints, to the second;
 * - elsewhere (Windows): unknown, so liveness rests on the pid alone.
 */
export interface ProcessState {
  alive: boolean;
  /** Identifies this run of the pid; undefined where the system does not tell. */
  start?: string;
}

let bootId: string | undefined;

function linuxBootId(): string {
  bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return bootId;
}

/** `/proc/<pid>/stat`: state and start time; undefined when the process does not exist (or /proc is hidden). */
function linuxStat(pid: number): { state: string; start: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  return { state: fields[0] ?? '', start: `${linuxBootId()}:${fields[19]}` };
}

/** Whether a process with this id exists (EPERM: it does, under another user). */
function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function psStart(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The state of process `pid` now. A zombie (killed, not yet reaped by its parent) is not alive. */
export function processState(pid: number): ProcessState {
  if (!Number.isInteger(pid) || pid <= 0 || !signalable(pid)) return { alive: false };
  if (process.platform === 'linux') {
    const stat = linuxStat(pid);
    if (!stat) return { alive: true }; // /proc mounted with hidepid: the pid alone
    return stat.state === 'Z' || stat.state === 'X' ? { alive: false } : { alive: true, start: stat.start };
  }
  if (process.platform === 'win32') return { alive: true };
  return { alive: true, start: psStart(pid) };
}
