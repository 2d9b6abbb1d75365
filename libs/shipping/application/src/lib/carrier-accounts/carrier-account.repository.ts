import type { FundingPolicy } from '@shipbatch/shipping/domain';

export interface CarrierAccountRecord {
  id: string;
  tenantId: string;
  provider: string;
  carrier: string;
  accountId: string;
  /** Decrypted; never leaves the service. */
  parameters: Record<string, unknown>;
  active: boolean;
  test: boolean;
  metadata: string;
  /** Automatic funding of the provider's prepaid balance; disabled by default. */
  funding: FundingPolicy;
  createdAt: Date;
  updatedAt: Date;
}

export interface CarrierAccountRepository {
  insert(record: CarrierAccountRecord): Promise<void>;
  update(record: CarrierAccountRecord): Promise<void>;
  findById(tenantId: string, id: string): Promise<CarrierAccountRecord | null>;
  /** Without the tenant check: for workers that already hold a tenant-scoped reference. */
  findByIdUnscoped(id: string): Promise<CarrierAccountRecord | null>;
  findMany(tenantId: string, ids: string[]): Promise<CarrierAccountRecord[]>;
  list(tenantId: string): Promise<CarrierAccountRecord[]>;
  /** Every active account of every tenant: for the check of stored options when a process starts. */
  listActiveUnscoped(): Promise<CarrierAccountRecord[]>;
}
