import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OpenApiDocument } from './openapi.document';
import { loadOpenApi } from './openapi.loader';

/** `libs/providers`: the folder of every provider adapter library. */
const PROVIDER_LIBRARIES = resolve(__dirname, '../../../..');

/**
 * The file of a provider adapter library's kept OpenAPI description,
 * `libs/providers/<library>/openapi/<library>.openapi.json`: the part of the provider's published
 * description that the adapter and its fake use (their operations and every schema those
 * reference, prose stripped), made by `node tools/scripts/provider-specs.js` from the operations
 * listed in `<library>.operations.json` beside it. `library` is the adapter's folder name
 * (`shippo`, `shipstation`). Throws, naming the file, when there is none.
 */
export function providerSpecFile(library: string, providerLibraries: string = PROVIDER_LIBRARIES): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(library)) throw new Error(`providerSpecFile: '${library}' is not a provider library's folder name (lower case letters, digits and -)`);
  const file = join(providerLibraries, library, 'openapi', `${library}.openapi.json`);
  if (!existsSync(file)) {
    throw new Error(
      `providerSpecFile: ${file} does not exist; list the operations the adapter uses in ${library}.operations.json beside it and run 'node tools/scripts/provider-specs.js'`,
    );
  }
  return file;
}

/** A provider adapter library's kept OpenAPI description, loaded (once: see loadOpenApi). */
export function providerSpec(library: string): OpenApiDocument {
  return loadOpenApi(providerSpecFile(library));
}
