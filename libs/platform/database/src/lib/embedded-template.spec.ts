import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@shipbatch/platform/testing';
import { embeddedTemplateDir, ensureTemplate, isDataDir } from './embedded-template';


/** A stand-in for initdb: a directory with PG_VERSION and one file naming who made it. */
function fakeInitdb(maker: string, calls: string[]) {
  return async (staging: string) => {
    calls.push(maker);
    mkdirSync(staging, { recursive: true });
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(staging, 'PG_VERSION'), '17\n');
    writeFileSync(join(staging, 'made-by'), maker);
  };
}

describe('embedded data directory template', () => {
  it('lives in node_modules/.cache, named after the installed PGlite version', () => {
    const version = (require('@electric-sql/pglite/package.json') as { version: string }).version;
    expect(embeddedTemplateDir()).toMatch(
      new RegExp(`[/\\\\]node_modules[/\\\\]\\.cache[/\\\\]shipbatch[/\\\\]pglite-${version.replace(/\./g, '\\.')}-t\\d+$`),
    );
  });

  it('runs initdb once and then reuses the directory', async () => {
    const dir = join(tempDir('shipbatch-template-'), 'cache', 'pglite-x');
    const calls: string[] = [];
    expect(await ensureTemplate(fakeInitdb('first', calls), dir)).toBe(dir);
    expect(await ensureTemplate(fakeInitdb('second', calls), dir)).toBe(dir);
    expect(calls).toEqual(['first']);
    expect(isDataDir(dir)).toBe(true);
    // Nothing but the template is left beside it (no staging directory).
    expect(readdirSync(join(dir, '..'))).toEqual(['pglite-x']);
  });

  it('lets concurrent callers race: one template survives, both get it', async () => {
    const dir = join(tempDir('shipbatch-template-'), 'pglite-x');
    const calls: string[] = [];
    const [a, b] = [ensureTemplate(fakeInitdb('a', calls), dir), ensureTemplate(fakeInitdb('b', calls), dir)];
    expect(await Promise.all([a, b])).toEqual([dir, dir]);
    expect(calls.sort()).toEqual(['a', 'b']);
    expect(isDataDir(dir)).toBe(true);
    expect(['a', 'b']).toContain(readFileSync(join(dir, 'made-by'), 'utf8'));
    expect(readdirSync(join(dir, '..'))).toEqual(['pglite-x']);
  });

  it('answers undefined where the template cannot be written', async () => {
    const file = join(tempDir('shipbatch-template-'), 'a-file');
    writeFileSync(file, '');
    const calls: string[] = [];
    expect(await ensureTemplate(fakeInitdb('never', calls), join(file, 'cache', 'pglite-x'))).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('passes an initdb failure on and leaves no half-made template', async () => {
    const root = tempDir('shipbatch-template-');
    const dir = join(root, 'pglite-x');
    const failing = async (staging: string) => {
      mkdirSync(staging, { recursive: true });
      writeFileSync(join(staging, 'half'), '');
      throw new Error('initdb: out of memory');
    };
    await expect(ensureTemplate(failing, dir)).rejects.toThrow('initdb: out of memory');
    expect(readdirSync(root)).toEqual([]);
  });
});
