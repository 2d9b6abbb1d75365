import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** The modules of the workspace a fresh Node process loads when it imports `entry` (through the workspace's TypeScript paths). */
function workspaceModulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: 'apps/api-e2e/tsconfig.child.json' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as string[]).filter((f) => f.startsWith(join(ROOT, 'libs')));
}

describe('the worker entry point', () => {
  it('never loads the HTTP library (shipping/api), while the full entry point does', () => {
    const worker = workspaceModulesLoadedBy('./libs/app/composition/src/worker.ts');
    expect(worker.some((f) => f.includes('/libs/shipping/worker/'))).toBe(true);
    expect(worker.filter((f) => f.includes('/libs/shipping/api/'))).toEqual([]);
    const full = workspaceModulesLoadedBy('./libs/app/composition/src/index.ts');
    expect(full.some((f) => f.includes('/libs/shipping/api/'))).toBe(true);
  }, 120_000);
});
