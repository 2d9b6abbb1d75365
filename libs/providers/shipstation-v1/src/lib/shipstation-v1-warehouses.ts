import { createHash } from 'node:crypto';
import { isProviderError, type PortAddress } from '@shipbatch/providers/core';
import type { ShipStationV1Client } from './shipstation-v1.client';
import { toV1Address } from './shipstation-v1.mapper';
import type { V1Address } from './shipstation-v1.types';

/** `Shipbatch <12 hex>`: one name per ship-from and return address pair, the same in every process. */
export function warehouseName(origin: V1Address, ret: V1Address | undefined): string {
  return `Shipbatch ${createHash('sha256').update(JSON.stringify([origin, ret ?? null])).digest('hex').slice(0, 12)}`;
}

/**
 * The Ship From Location (v1's "warehouse") a label ships from. An order names it in
 * `advancedOptions.warehouseId` (createlabelfororder takes no ship-from address): one location
 * per ship-from and return address pair, named from a hash of both, found by listing
 * (`GET /warehouses`) and else made (`POST /warehouses/createwarehouse`, `isDefault: false`),
 * then kept per instance. Made twice (two workers at once, or a create whose answer was lost and
 * that is listed afterwards), the lowest id of that name is used: the locations are the same.
 */
export class ShipStationV1Warehouses {
  private readonly ids = new Map<string, Promise<number>>();

  constructor(private readonly client: ShipStationV1Client) {}

  idFor(from: PortAddress, ret?: PortAddress): Promise<number> {
    const origin = toV1Address(from);
    const returnAddress = ret ? toV1Address(ret) : undefined;
    const name = warehouseName(origin, returnAddress);
    let id = this.ids.get(name);
    if (!id) {
      const finding = this.findOrMake(name, origin, returnAddress);
      id = finding;
      this.ids.set(name, finding);
      finding.catch(() => {
        if (this.ids.get(name) === finding) this.ids.delete(name);
      });
    }
    return id;
  }

  private async listed(name: string): Promise<number | undefined> {
    const ids = (await this.client.warehouses()).filter((w) => w.warehouseName === name).map((w) => w.warehouseId);
    return ids.length ? Math.min(...ids) : undefined;
  }

  private async findOrMake(name: string, originAddress: V1Address, returnAddress: V1Address | undefined): Promise<number> {
    const found = await this.listed(name);
    if (found !== undefined) return found;
    try {
      await this.client.createWarehouse({ warehouseName: name, originAddress, ...(returnAddress ? { returnAddress } : {}), isDefault: false });
    } catch (error) {
      // A create whose answer was lost may have been made: look before failing.
      if (!(isProviderError(error) && error.possiblyCommitted)) throw error;
    }
    const made = await this.listed(name);
    if (made === undefined) throw new Error(`shipstation_v1: the Ship From Location '${name}' was made but is not listed`);
    return made;
  }
}
