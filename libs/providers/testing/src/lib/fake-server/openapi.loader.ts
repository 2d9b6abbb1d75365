import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OpenApiDocument } from './openapi.document';

const cache = new Map<string, OpenApiDocument>();

/**
 * Parses an OpenAPI 3.0 or 3.1 file (YAML or JSON). Schemas are normalized and validators
 * compiled lazily, per operation, on first use, and cached; loading a file twice returns the
 * same document (pass `{ fresh: true }` for a new one).
 */
export function loadOpenApi(file: string, options: { fresh?: boolean } = {}): OpenApiDocument {
  const cached = options.fresh ? undefined : cache.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8');
  const raw = (/\.json$/i.test(file) ? JSON.parse(text) : parse(text, { maxAliasCount: -1 })) as Record<string, unknown>;
  const document = new OpenApiDocument(raw, file);
  if (!options.fresh) cache.set(file, document);
  return document;
}
