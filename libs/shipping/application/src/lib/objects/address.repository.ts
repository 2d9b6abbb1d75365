import type { Page, PageRequest } from '../common/page';
import type { AddressInput } from '../batches/shipment-input';

export interface AddressRecord extends AddressInput {
  id: string;
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AddressRepository {
  insert(record: AddressRecord): Promise<void>;
  findById(tenantId: string, id: string): Promise<AddressRecord | null>;
  /** The tenant's addresses, newest first, with the exact total. */
  list(tenantId: string, page: PageRequest): Promise<Page<AddressRecord>>;
}
