import { MAX_PAGE, QueryInt } from './query-int.decorator';

/**
 * `page` and `results` of Shippo's list routes, which answer `{count, next, previous, results}`.
 * The default page size is the route's own (Shippo: 5 for addresses and carrier accounts, 25
 * elsewhere); at most 100.
 */
export class ShippoPageQueryDto {
  @QueryInt({ max: MAX_PAGE, default: 1 }) page?: number;
  @QueryInt({ max: 100, description: 'page size (default 25; 5 for addresses and carrier accounts)' }) results?: number;
}

/** The 400 of a route that takes `ShippoPageQueryDto`, for its `ApiErrors`. */
export const SHIPPO_PAGE_400 = { 400: 'page or results is not a positive integer (results at most 100)' } as const;

/** The page asked for, with the route's default page size: its number, size, offset and limit. */
export function shippoPageWindow(query: ShippoPageQueryDto, defaultSize: number) {
  const page = query.page ?? 1;
  const results = query.results ?? defaultSize;
  return { page, results, offset: (page - 1) * results, limit: results };
}
