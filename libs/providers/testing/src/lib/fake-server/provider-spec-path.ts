import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The absolute path of a provider's OpenAPI file in `shared/spec/providers/`. Walks up from this
 * file's folder and, at every level, looks for `shared/spec/providers` there and beside it (the
 * repository lives at `<x>/main` and the specs at `<x>/shared`; CI clones the repository to
 * another folder with a copy of `shared/` beside it). Throws, naming where it looked, when the
 * folder or the file is not found.
 */
export function providerSpecPath(fileName: string, from: string = __dirname): string {
  const tried: string[] = [];
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'shared', 'spec', 'providers');
    tried.push(candidate);
    if (existsSync(candidate)) {
      const file = join(candidate, fileName);
      if (!existsSync(file)) throw new Error(`providerSpecPath: ${fileName} is not in ${candidate}`);
      return file;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`providerSpecPath: no shared/spec/providers folder above ${from} (looked in ${tried.length} places, last ${tried[tried.length - 1]})`);
}
