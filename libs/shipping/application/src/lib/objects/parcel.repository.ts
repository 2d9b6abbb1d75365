import type { Page, PageRequest } from '../common/page';
import type { ParcelInput } from '../batches/shipment-input';

export interface ParcelRecord extends ParcelInput {
  id: string;
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ParcelRepository {
  insert(record: ParcelRecord): Promise<void>;
  findById(tenantId: string, id: string): Promise<ParcelRecord | null>;
  /** The tenant's parcels, newest first, with the exact total. */
  list(tenantId: string, page: PageRequest): Promise<Page<ParcelRecord>>;
}
