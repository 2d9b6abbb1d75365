/** One page of a list and how many items match over all pages. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Offset paging, newest first (Shippo's list routes). */
export interface PageRequest {
  offset: number;
  limit: number;
}
