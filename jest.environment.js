// The workspace's jest test environment (set by jest.preset.js): Node's, plus the removal of the
// temp folders a spec file made with tempDir() (@shipbatch/platform/testing). They are removed
// in teardown, which jest runs after the file's last afterAll: databases opened in them (PGlite)
// are closed by then, and a file that fails or forgets leaves nothing behind either.
const { rmSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

const TEMP_DIRS_GLOBAL = '__shipbatchTempDirs';

class ShipbatchTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[TEMP_DIRS_GLOBAL] = new Set();
  }

  async teardown() {
    const dirs = this.global[TEMP_DIRS_GLOBAL];
    const failures = [];
    for (const dir of dirs ?? []) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch (error) {
        failures.push(`${dir}: ${error.message}`);
      }
    }
    await super.teardown();
    if (failures.length) throw new Error(`jest.environment.js: could not remove temp folder(s): ${failures.join('; ')}`);
  }
}

module.exports = ShipbatchTestEnvironment;
