import type { Page } from '@shipbatch/shipping/application';

/**
 * One page of a Shippo list route: `{count, next, previous, results}`, the links absolute and
 * keeping the page size and filters (`query`) of this request.
 */
export function shippoPage<T, R>(
  page: Page<T>,
  options: { baseUrl: string; path: string; page: number; results: number; query?: Record<string, string | undefined> },
  present: (item: T) => R,
) {
  const link = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) q.set(k, v);
    q.set('page', String(p));
    q.set('results', String(options.results));
    return `${options.baseUrl}${options.path}?${q}`;
  };
  const pages = Math.ceil(page.total / options.results);
  return {
    count: page.total,
    next: options.page < pages ? link(options.page + 1) : null,
    previous: options.page > 1 ? link(Math.min(options.page - 1, Math.max(pages, 1))) : null,
    results: page.items.map(present),
  };
}
