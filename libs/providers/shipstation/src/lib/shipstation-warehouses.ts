import type { PortAddress } from '@shipbatch/providers/core';
import type { ShipStationBatchClient } from './shipstation-batch.client';
import { warehouseFor } from './shipstation-batch.mapper';
import type { SsWarehouse } from './shipstation-batch.types';

/** The oldest first: by `created_at`, then by id (`se-9` before `se-10`). */
function oldestFirst(a: SsWarehouse, b: SsWarehouse): number {
  const at = (w: SsWarehouse) => (w.created_at ? Date.parse(w.created_at) : Number.POSITIVE_INFINITY);
  const byTime = at(a) - at(b);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.warehouse_id.localeCompare(b.warehouse_id, 'en', { numeric: true });
}

/**
 * ShipStation warehouses, one per ship-from (and return) address, made once and kept for reuse:
 * a batch's shipments must all name one `warehouse_id` instead of a `ship_from` address.
 *
 * A warehouse is found by its name (`warehouseFor`: a hash of both addresses). When several carry
 * it (two workers made one at the same moment, or a lost answer hid the first), the oldest is the
 * one: a warehouse made later never changes that choice, so every worker settles on the same
 * one, and after making one the list is read again to pick it. Known ids are kept per instance
 * (an account's provider instance); a failed lookup is not kept.
 */
export class ShipStationWarehouses {
  private readonly known = new Map<string, Promise<string>>();

  constructor(private readonly batches: ShipStationBatchClient) {}

  /** The id of the warehouse for this ship-from address (and return address, default the ship-from). */
  idFor(from: PortAddress, returnTo?: PortAddress): Promise<string> {
    const { name, request } = warehouseFor(from, returnTo);
    let found = this.known.get(name);
    if (!found) {
      found = this.findOrCreate(name, request);
      this.known.set(name, found);
      const kept = found;
      kept.catch(() => {
        if (this.known.get(name) === kept) this.known.delete(name);
      });
    }
    return found;
  }

  private async findOrCreate(name: string, request: ReturnType<typeof warehouseFor>['request']): Promise<string> {
    const existing = await this.named(name);
    if (existing) return existing;
    const made = await this.batches.createWarehouse(request);
    return (await this.named(name)) ?? made.warehouse_id;
  }

  private async named(name: string): Promise<string | undefined> {
    const ours = (await this.batches.warehouses()).filter((w) => w.name === name && typeof w.warehouse_id === 'string');
    return ours.sort(oldestFirst)[0]?.warehouse_id;
  }
}
