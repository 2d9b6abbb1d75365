#!/usr/bin/env node
// Measures the time from `npm start` to the first `GET /health` 200, the way a user sees it.
// Usage: node tools/scripts/time-start.js [--runs N] [--fresh] [--cwd DIR] [--port P] [--script start]
//   --fresh   before each run remove dist/ and use an empty DATA_DIR (a first start after `npm ci`);
//             without it, each run reuses one DATA_DIR that was started once before (a second start).
//   --data-dir DIR  (second starts) use this DATA_DIR, already started once, and skip the warm-up start.
// Prints each run and the median, in seconds. Starts and stops its own processes only.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const path = require('node:path');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const runs = Number(arg('runs', '3'));
const fresh = process.argv.includes('--fresh');
const cwd = path.resolve(arg('cwd', path.join(__dirname, '../..')));
const port = Number(arg('port', '3998'));
const script = arg('script', 'start');

function healthy() {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

async function once(dataDir) {
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['run', '--silent', script], {
    cwd,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that stopping it stops node under npm too
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm ${script} exited (${child.exitCode}):\n${output}`);
      if (await healthy()) return { seconds: Number(process.hrtime.bigint() - started) / 1e9, output };
      if (Number(process.hrtime.bigint() - started) / 1e9 > 300) throw new Error(`no /health 200 in 300 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main() {
  const times = [];
  let shared;
  const given = arg('data-dir', undefined);
  if (!fresh && given) shared = path.resolve(given);
  else if (!fresh) {
    shared = mkdtempSync(path.join(tmpdir(), 'shipbatch-time-'));
    await once(shared); // the first start: builds if needed, migrates, creates the demo tenant
  }
  for (let i = 0; i < runs; i++) {
    let dataDir = shared;
    if (fresh) {
      rmSync(path.join(cwd, 'dist'), { recursive: true, force: true });
      dataDir = mkdtempSync(path.join(tmpdir(), 'shipbatch-time-'));
    }
    const { seconds } = await once(dataDir);
    times.push(seconds);
    console.log(`run ${i + 1}: ${seconds.toFixed(2)} s`);
    if (fresh) rmSync(dataDir, { recursive: true, force: true });
  }
  if (shared && !given) rmSync(shared, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${fresh ? 'first' : 'second'} start, median of ${runs}: ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
