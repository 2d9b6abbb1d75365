import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { TEMP_DIRS_GLOBAL, tempDir } from './temp-dir';

/** The workspace's jest environment (jest.environment.js), as jest.preset.js sets it. */
const WorkspaceEnvironment = require('../../../../../jest.environment.js') as new (config: unknown, context: unknown) => {
  global: Record<string, unknown>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
};

const registered = () => (globalThis as Record<string, unknown>)[TEMP_DIRS_GLOBAL] as Set<string>;

describe('tempDir', () => {
  it('makes a new empty folder in the OS temp folder, named with the prefix, and registers it for removal', () => {
    const a = tempDir('shipbatch-tempdir-spec-');
    const b = tempDir('shipbatch-tempdir-spec-');
    expect(a).not.toBe(b);
    for (const dir of [a, b]) {
      expect(dirname(dir)).toBe(tmpdir());
      expect(basename(dir)).toMatch(/^shipbatch-tempdir-spec-\w{6}$/);
      expect(readdirSync(dir)).toEqual([]);
      expect(registered().has(dir)).toBe(true);
    }
  });

  it('refuses outside the workspace environment, where nothing would remove the folder', () => {
    const dirs = registered();
    delete (globalThis as Record<string, unknown>)[TEMP_DIRS_GLOBAL];
    try {
      expect(() => tempDir('shipbatch-tempdir-spec-')).toThrow(/nothing would remove the folder: run under the workspace's jest environment/);
    } finally {
      (globalThis as Record<string, unknown>)[TEMP_DIRS_GLOBAL] = dirs;
    }
  });
});

describe("the workspace's jest environment", () => {
  it('removes the folders registered in it, with everything in them, when the spec file is done (teardown)', async () => {
    const env = new WorkspaceEnvironment({ projectConfig: { testEnvironmentOptions: {} }, globalConfig: {} }, { console, docblockPragmas: {}, testPath: __filename });
    await env.setup();
    const made = env.global[TEMP_DIRS_GLOBAL] as Set<string>;
    const full = mkdtempSync(join(tmpdir(), 'shipbatch-tempdir-spec-'));
    mkdirSync(join(full, 'pglite', 'base'), { recursive: true });
    writeFileSync(join(full, 'pglite', 'base', 'PG_VERSION'), '17');
    const gone = join(tmpdir(), 'shipbatch-tempdir-spec-already-removed');
    made.add(full);
    made.add(gone);
    await env.teardown();
    expect(existsSync(full)).toBe(false);
  });
});
