import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { freeTcpPort } from './free-port';

/** A redis-server of the caller's own, without persistence: a restart loses every key. */
export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL, as when the server dies (its keys are gone: it saves nothing). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** FLUSHALL. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `redis-server --port <free> --save "" --appendonly no` on 127.0.0.1 (REDIS_SERVER_BIN, default
 * `redis-server` on the PATH), waiting until it answers PING. Never the machine's own Redis.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freeTcpPort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    const child = spawn(
      process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr}`);
      if (await answers(port)) return;
      if (i > 200) throw new Error(`redis-server on port ${port} did not answer PING: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    child.stderr?.destroy();
  };
  const onExit = () => server?.kill('SIGKILL');
  process.once('exit', onExit);
  await start();
  return {
    port,
    url,
    stop,
    start,
    async flush() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    async close() {
      await stop();
      process.removeListener('exit', onExit);
    },
  };
}

/** PING over a plain socket (no client library, nothing left behind): true on +PONG. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
