/** What PurchaseShipmentUseCase's steps share: a share's progress, error text, the lookup failure, grouping. */

/** Which claims of a share were settled (recorded failed or given back) and which were sent to the provider. */
export interface ShareProgress {
  settled: Set<string>;
  attempted: Set<string>;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A lookup by reference that failed: the error of a read, kept apart from a purchase's. */
export class LookupFailed extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'LookupFailed';
  }
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
