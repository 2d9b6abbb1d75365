import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/**
 * A freshly initialised PGlite data directory, made once per installed PGlite version and
 * copied for every new embedded database. PGlite's initdb needs about 760 MB for a couple of
 * seconds (a second PGlite instance, a full copy of its WASM memory and the initdb program);
 * copying the 40 MB directory it leaves takes a fraction of a second and no memory to speak
 * of. `npm start` and `npm run build` make the template right after compiling, in a process of
 * their own, so the service itself never runs initdb; without one (a read-only node_modules,
 * a template removed) a new data directory still gets a fresh initdb.
 *
 * The template holds no setting of ours (every embedded setting is passed at each start), so
 * one template serves every `EMBEDDED_*` configuration. Each copy carries the template's
 * database system identifier; PGlite has no replication, where that identifier would matter.
 */

/** Bumped when the way the template is made changes, so an older template is not used. */
const TEMPLATE_FORMAT = 1;

interface PgliteInstall {
  version: string;
  /** The node_modules directory PGlite is installed in. */
  nodeModules: string;
}

function pgliteInstall(): PgliteInstall {
  // The package entry is <node_modules>/@electric-sql/pglite/dist/index.cjs.
  for (let dir = dirname(require.resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name !== '@electric-sql/pglite' || !pkg.version) continue;
    const at = dir.lastIndexOf(`${sep}node_modules${sep}`);
    // Outside a node_modules (a linked checkout of PGlite) the cache sits in the package itself.
    return { version: pkg.version, nodeModules: at < 0 ? dir : dir.slice(0, at + `${sep}node_modules`.length) };
  }
  throw new Error('@electric-sql/pglite: package.json not found above its entry point');
}

/** Where the template of the installed PGlite lives: node_modules/.cache/shipbatch/pglite-<version>-t<format>. */
export function embeddedTemplateDir(): string {
  const { version, nodeModules } = pgliteInstall();
  return join(nodeModules, '.cache', 'shipbatch', `pglite-${version}-t${TEMPLATE_FORMAT}`);
}

/** A data directory is complete once it has PG_VERSION: it gets its final name only after initdb. */
export function isDataDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/**
 * The template directory, made with `initdb(staging)` when missing; undefined when it cannot
 * be written (the caller then runs initdb for its own directory). Concurrent callers (parallel
 * test workers, two starts) may both run initdb: the first rename wins and the other's copy is
 * dropped.
 */
export async function ensureTemplate(
  initdb: (staging: string) => Promise<void>,
  dir: string = embeddedTemplateDir(),
): Promise<string | undefined> {
  if (isDataDir(dir)) return dir;
  const staging = `${dir}.init-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(dirname(dir), { recursive: true });
  } catch {
    return undefined; // read-only install
  }
  try {
    await initdb(staging);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (isDataDir(dir)) return dir; // another process got there first
    throw error;
  }
  return dir;
}

/** Copies the template to `target` (which must not exist yet). */
export function copyTemplate(template: string, target: string): void {
  cpSync(template, target, { recursive: true, errorOnExist: true, force: false });
}
