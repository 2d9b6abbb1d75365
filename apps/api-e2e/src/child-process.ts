import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** One of our apps as a process of its own, from its TypeScript sources (through @swc-node/register). */
export interface ChildApp {
  process: ChildProcess;
  /** Everything it printed, for assertions on its log lines. */
  output(): string;
  /** SIGKILL: no drain, no shutdown hooks, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM, as an orchestrator stops a process: resolves with its exit code (null when a signal ended it, see `process.signalCode`). */
  terminate(): Promise<number | null>;
}

/** Starts `apps/<app>/src/main.ts` and resolves once its output matches `started`; rejects if it exits first. */
export async function startChildApp(app: 'api' | 'worker', env: Record<string, string>, started: RegExp): Promise<ChildApp> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'apps/api-e2e/tsconfig.child.json', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (started.test(output)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`${app} process exited (${child.exitCode ?? child.signalCode}) before it started:\n${output}`));
      }
    }, 50);
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    process: child,
    output: () => output,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
}
