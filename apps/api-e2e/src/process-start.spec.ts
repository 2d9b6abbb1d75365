import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '@shipbatch/platform/testing';
import { freePort } from './free-port';

const ROOT = join(__dirname, '../../..');
const LISTENING = /Shipbatch API \(embedded\) listening on/;
const DEMO_KEY = /demo API key: (sb_\S+)/;

/** apps/api as its own process (from its TypeScript sources, as `npm start` runs it compiled). */
interface ApiProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with `listening` once it listens, or `exited <code>` if it ends first. */
  outcome: Promise<string>;
  kill(): Promise<void>;
}

function startApi(env: Record<string, string>): ApiProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'apps/api-e2e/tsconfig.child.json', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const outcome = new Promise<string>((resolve) => {
    const seen = (d: Buffer) => {
      output += d.toString();
      if (LISTENING.test(output)) resolve('listening');
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    void exited.then((code) => resolve(`exited ${code}`));
  });
  return {
    child,
    output: () => output,
    outcome,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}


/** Waits until `check` holds, for the demo key printed just after the service listens. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('starting the service (apps/api as a process of its own, embedded)', () => {
  const started: ApiProcess[] = [];
  const servers: Server[] = [];
  const api = (env: Record<string, string>) => {
    const p = startApi(env);
    started.push(p);
    return p;
  };
  const dataDir = () => tempDir('shipbatch-start-');

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.kill()));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('refuses a second process on the same DATA_DIR, naming the first, and starts again at once after the first is killed', async () => {
    const DATA_DIR = dataDir();
    const firstPort = await freePort();
    const first = api({ DATA_DIR, PORT: String(firstPort) });
    expect(await first.outcome).toBe('listening');
    await until(() => DEMO_KEY.test(first.output()), 'the demo key');
    const demoKey = first.output().match(DEMO_KEY)?.[1];

    const second = api({ DATA_DIR, PORT: String(await freePort()) });
    expect(await second.outcome).toBe('exited 1');
    const refusal = second.output();
    expect(refusal).toMatch(
      new RegExp(`Shipbatch API did not start: DATA_DIR ${DATA_DIR} is in use by process ${first.child.pid} \\(.*main\\.ts, started [^,]+, listening on port ${firstPort}\\)`),
    );
    // Said once, as a JSON line, without the first's token; it touched nothing (no migration ran, no
    // key was made); the first still holds the directory and answers.
    expect(refusal.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(refusal)).toMatchObject({ level: 60, context: 'Main', data_dir: DATA_DIR, holder_pid: first.child.pid });
    const lock = JSON.parse(readFileSync(join(DATA_DIR, 'service.json'), 'utf8'));
    expect(lock).toMatchObject({ pid: first.child.pid, port: firstPort, token: expect.any(String) });
    expect(refusal).not.toContain(lock.token);
    expect(refusal).not.toMatch(/migration|demo API key|API \(embedded\) listening/i);
    expect((await fetch(`http://127.0.0.1:${firstPort}/health`)).status).toBe(200);

    // Killed outright, the first leaves its lock file behind; it does not hold the directory any more.
    await first.kill();
    expect(existsSync(join(DATA_DIR, 'service.json'))).toBe(true);
    const thirdPort = await freePort();
    const third = api({ DATA_DIR, PORT: String(thirdPort) });
    expect(await third.outcome).toBe('listening');
    expect(JSON.parse(readFileSync(join(DATA_DIR, 'service.json'), 'utf8'))).toMatchObject({ pid: third.child.pid });
    // The data survived: the demo key the first printed still works.
    const batches = await fetch(`http://127.0.0.1:${thirdPort}/batches`, { headers: { Authorization: `ShippoToken ${demoKey}` } });
    expect(batches.status).toBe(200);
  });

  it('prepares no embedded database template for a scale-out start (the build step of start:api and start:worker)', async () => {
    const child = spawn(process.execPath, ['tools/scripts/embedded-template.js'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shipbatch' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 0, output: '' });
  });

  it('makes and prints the demo key only once it listens: a start on a busy port prints none', async () => {
    const DATA_DIR = dataDir();
    const busy = createServer();
    servers.push(busy);
    const busyPort = await new Promise<number>((resolve) => busy.listen(0, () => resolve((busy.address() as { port: number }).port)));

    const failed = api({ DATA_DIR, PORT: String(busyPort) });
    expect(await failed.outcome).toBe('exited 1');
    expect(failed.output()).toContain('EADDRINUSE');
    expect(failed.output()).not.toMatch(/demo API key|sb_[A-Za-z0-9_-]{20,}|created tenant/);
    // It gave the data directory up on its way out.
    expect(existsSync(join(DATA_DIR, 'service.json'))).toBe(false);

    const port = await freePort();
    const next = api({ DATA_DIR, PORT: String(port) });
    expect(await next.outcome).toBe('listening');
    await until(() => DEMO_KEY.test(next.output()), 'the demo key');
    const key = next.output().match(DEMO_KEY)?.[1];
    const res = await fetch(`http://127.0.0.1:${port}/batches`, { headers: { Authorization: `ShippoToken ${key}` } });
    expect(res.status).toBe(200);
  });
});
