/**
 * Listing labels the way ShipStation's v2 API does (GET /v2/labels). Plain rules, no I/O.
 *
 * `sort_dir` selects WHICH part of the data a page holds (the oldest or the newest labels),
 * not the order inside the page: a page is always listed oldest to newest. With `desc`,
 * page 1 holds the `page_size` most recent labels, page 2 the next older ones, and so on.
 * Ties on the sort column are broken by label id so that pages are stable.
 */
export const LABEL_STATUSES = ['processing', 'completed', 'error', 'voided'] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];

/** `voided_at`: labels never voided come first in ascending order (last with `desc`), then by when they were voided. */
export const LABEL_SORT_BY = ['created_at', 'modified_at', 'voided_at'] as const;
export type LabelSortBy = (typeof LABEL_SORT_BY)[number];

export const LABEL_SORT_DIR = ['asc', 'desc'] as const;
export type LabelSortDir = (typeof LABEL_SORT_DIR)[number];

export const LABELS_DEFAULT_PAGE_SIZE = 25;
export const LABELS_MAX_PAGE_SIZE = 500;

/**
 * ShipStation's Refund Assist statuses. A label here is refunded by voiding it through its
 * provider, which approves or refuses at once: a voided label's refund is `approved`; a label
 * not voided has no refund, and none is ever scheduled, pending, rejected or excluded.
 */
export const REFUND_STATUSES = ['request_scheduled', 'pending', 'approved', 'rejected', 'excluded'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A label's refund status (see REFUND_STATUSES): `approved` once voided, else none. */
export function refundStatusOf(status: LabelStatus): RefundStatus | null {
  return status === 'voided' ? 'approved' : null;
}

/** The label status a refund_status filter selects: `voided` when it names `approved`, else none (no label matches). */
export function labelStatusForRefunds(refundStatuses: readonly RefundStatus[]): LabelStatus | null {
  return refundStatuses.includes('approved') ? 'voided' : null;
}

export interface LabelFilter {
  status?: LabelStatus;
  /** The shipment the label was bought for. */
  shipmentId?: string;
  /** Labels are bought without a rate here (Shippo's instant purchase): a rate id matches no label. */
  rateId?: string;
  /** Any of these refund statuses (see REFUND_STATUSES). */
  refundStatuses?: readonly RefundStatus[];
  carrierAccountId?: string;
  serviceCode?: string;
  trackingNumber?: string;
  batchId?: string;
  warehouseId?: string;
  /** Inclusive bounds on created_at. */
  createdAtStart?: Date;
  createdAtEnd?: Date;
}

export interface LabelListQuery {
  filter: LabelFilter;
  page: number;
  pageSize: number;
  sortBy: LabelSortBy;
  sortDir: LabelSortDir;
}

/**
 * The rows of one page, as a window over the matching labels ordered oldest to newest:
 * skip `ascOffset`, take `limit` (0 when the page is past the end).
 */
export interface PageWindow {
  ascOffset: number;
  limit: number;
}

export function pageWindow(total: number, page: number, pageSize: number, sortDir: LabelSortDir): PageWindow {
  const fromStart = (page - 1) * pageSize;
  if (fromStart >= total) return { ascOffset: 0, limit: 0 };
  if (sortDir === 'asc') return { ascOffset: fromStart, limit: Math.min(pageSize, total - fromStart) };
  // desc: the page's newest row is `fromStart` rows below the newest label.
  const end = total - fromStart;
  const start = Math.max(0, end - pageSize);
  return { ascOffset: start, limit: end - start };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.ceil(total / pageSize);
}

/**
 * How to read a window cheaply: from the nearer end of the ordering. `fromEnd` means "order
 * newest first, skip `offset`, take `limit`, then reverse the rows".
 */
export interface ReadPlan {
  fromEnd: boolean;
  offset: number;
  limit: number;
}

export function readPlan(total: number, window: PageWindow): ReadPlan {
  const fromEndOffset = total - window.ascOffset - window.limit;
  return fromEndOffset < window.ascOffset
    ? { fromEnd: true, offset: fromEndOffset, limit: window.limit }
    : { fromEnd: false, offset: window.ascOffset, limit: window.limit };
}

/** How many matching labels fall in one bucket (a UTC day) of the sort column. */
export interface CountBucket {
  /** Start of the bucket (inclusive). */
  start: Date;
  /** End of the bucket (exclusive). */
  end: Date;
  count: number;
}

/**
 * Turns a deep offset into a short one: walks the buckets (oldest first) from the side the
 * plan reads from and returns a bound on the sort column plus the offset left inside the
 * bucket where the window starts. `bound` is `>= start` when reading oldest first, `< end`
 * when reading newest first. Null when the offset is already short or the buckets do not
 * reach it (then read with the plain offset).
 */
export function seekBucket(
  buckets: readonly CountBucket[],
  plan: ReadPlan,
  minOffset: number,
): { bound: Date; offset: number } | null {
  if (plan.offset < minOffset) return null;
  let skipped = 0;
  const ordered = plan.fromEnd ? [...buckets].reverse() : buckets;
  for (const b of ordered) {
    if (skipped + b.count > plan.offset) {
      return { bound: plan.fromEnd ? b.end : b.start, offset: plan.offset - skipped };
    }
    skipped += b.count;
  }
  return null;
}
