import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OpenApiDocument } from './openapi.document';
import { loadOpenApi } from './openapi.loader';

/** `libs/providers`: the folder of every provider adapter library. */
const PROVIDER_LIBRARIES = resolve(__dirname, '../../../..');

function checkedName(library: string, caller: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(library)) throw new Error(`${caller}: '${library}' is not a provider library's folder name (lower case letters, digits and -)`);
  return library;
}

/**
 * The file of a provider adapter library's kept OpenAPI description,
 * `libs/providers/<library>/openapi/<library>.openapi.json`: the part of the provider's published
 * description that the adapter and its fake use (their operations and every schema those
 * reference, prose stripped), made by `node tools/scripts/provider-specs.js` from the operations
 * listed in `<library>.operations.json` beside it. `library` is the adapter's folder name
 * (`shippo`, `shipstation`). Throws, naming the file, when there is none.
 */
export function providerSpecFile(library: string, providerLibraries: string = PROVIDER_LIBRARIES): string {
  const file = join(providerLibraries, checkedName(library, 'providerSpecFile'), 'openapi', `${library}.openapi.json`);
  if (!existsSync(file)) {
    throw new Error(
      `providerSpecFile: ${file} does not exist; list the operations the adapter uses in ${library}.operations.json beside it and run 'node tools/scripts/provider-specs.js'`,
    );
  }
  return file;
}

/** `libs/providers/<library>/openapi/<library>.operations.json`: the operations list the kept description is made from (it may not exist). */
export function providerOperationsFile(library: string, providerLibraries: string = PROVIDER_LIBRARIES): string {
  return join(providerLibraries, checkedName(library, 'providerOperationsFile'), 'openapi', `${library}.operations.json`);
}

/** The operations a library's list names (`'<METHOD> <path>'`); throws naming the file when there is no list or it is not one. */
export function providerOperations(library: string, providerLibraries: string = PROVIDER_LIBRARIES): { source: string; operations: string[]; schemas?: string[] } {
  const file = providerOperationsFile(library, providerLibraries);
  if (!existsSync(file)) throw new Error(`${library}: ${file} does not exist; list there the operations the adapter and its fake use`);
  const list = JSON.parse(readFileSync(file, 'utf8')) as { source?: unknown; operations?: unknown; schemas?: string[] };
  if (!Array.isArray(list.operations)) throw new Error(`${library}: ${file} has no 'operations' array`);
  return { source: String(list.source), operations: list.operations.map(String), schemas: list.schemas };
}

/**
 * A provider adapter library's kept OpenAPI description, loaded (once: see loadOpenApi). A
 * library whose operations list is still empty (just generated) has nothing kept yet: it gets an
 * empty description (every request to a fake built on it is an unknown route and a violation),
 * so that its contract suite can run and name what the adapter lacks; `describeProviderSpec`
 * fails meanwhile, naming the empty list. Any other missing file throws (providerSpecFile).
 */
export function providerSpec(library: string, providerLibraries: string = PROVIDER_LIBRARIES): OpenApiDocument {
  const operationsFile = providerOperationsFile(library, providerLibraries);
  const kept = join(operationsFile, '..', `${library}.openapi.json`);
  if (!existsSync(kept) && existsSync(operationsFile) && providerOperations(library, providerLibraries).operations.length === 0) {
    return new OpenApiDocument(
      { openapi: '3.0.3', info: { title: library, version: '0' }, paths: {} },
      `${library}: no operations listed yet in openapi/${library}.operations.json`,
    );
  }
  return loadOpenApi(providerSpecFile(library, providerLibraries));
}
