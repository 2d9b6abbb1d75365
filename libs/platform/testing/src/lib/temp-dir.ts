import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the workspace's jest environment (`jest.environment.js`, set by `jest.preset.js`) keeps
 * the folders tempDir made in the current spec file; it removes them when the file is done.
 */
export const TEMP_DIRS_GLOBAL = '__shipbatchTempDirs';

/**
 * A new empty folder in the OS temp folder (`<prefix>` and six random characters), removed with
 * everything in it when the spec file is done: by the workspace's jest environment, after the
 * file's last `afterAll`, so a database opened in it (PGlite) has been closed by then. Spec files
 * and the end-to-end harness make every temp folder with this. Throws outside that environment,
 * where nothing would remove the folder.
 */
export function tempDir(prefix = 'shipbatch-test-'): string {
  // A Set made by the environment, outside the spec file's realm (so not `instanceof` its Set).
  const dirs = (globalThis as Record<string, unknown>)[TEMP_DIRS_GLOBAL] as Set<string> | undefined;
  if (typeof dirs?.add !== 'function') {
    throw new Error(`tempDir: nothing would remove the folder: run under the workspace's jest environment (jest.environment.js, set by jest.preset.js)`);
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}
