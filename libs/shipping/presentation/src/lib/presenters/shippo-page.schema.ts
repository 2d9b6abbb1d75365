import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { int, nullableUrl } from '../openapi/schema.builders';

/** Shippo's paginated list: `{count?, next, previous, results}`; `next`/`previous` are absolute URLs or null. */
export function shippoPageSchema(item: SchemaObject, options: { count?: boolean } = {}): SchemaObject {
  const withCount = options.count !== false;
  return {
    type: 'object',
    required: [...(withCount ? ['count'] : []), 'next', 'previous', 'results'],
    properties: {
      ...(withCount ? { count: int('how many objects match, over all pages') } : {}),
      next: nullableUrl('the next page, or null'),
      previous: nullableUrl('the previous page, or null'),
      results: { type: 'array', items: item },
    },
  };
}
