import { Inject, Injectable } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { NotFoundError } from '@shipbatch/shipping/domain';
import type { AddressRecord, AddressRepository } from './address.repository';
import type { LabelRecord, LabelRepository } from '../labels/label.repository';
import type { Page, PageRequest } from '../common/page';
import type { ParcelRecord, ParcelRepository } from './parcel.repository';
import type { ShipmentRecord, ShipmentRepository } from './shipment.repository';
import { ADDRESS_REPOSITORY, LABEL_REPOSITORY, PARCEL_REPOSITORY, SHIPMENT_REPOSITORY } from '../tokens';
import type { AddressInput, ParcelInput } from '../batches/shipment-input';

/**
 * Shippo's reusable objects: addresses and parcels (created here or inline in a batch), the
 * shipments validation stored, and transactions (bought labels), by id and as newest-first pages.
 */
@Injectable()
export class ReusableObjectsService {
  constructor(
    @Inject(ADDRESS_REPOSITORY) private readonly addresses: AddressRepository,
    @Inject(PARCEL_REPOSITORY) private readonly parcels: ParcelRepository,
    @Inject(LABEL_REPOSITORY) private readonly labels: LabelRepository,
    @Inject(SHIPMENT_REPOSITORY) private readonly shipments: ShipmentRepository,
  ) {}

  async createAddress(tenantId: string, input: AddressInput): Promise<AddressRecord> {
    const now = new Date();
    const record: AddressRecord = { ...input, id: newObjectId(), tenantId, createdAt: now, updatedAt: now };
    await this.addresses.insert(record);
    return record;
  }

  async getAddress(tenantId: string, id: string): Promise<AddressRecord> {
    const found = await this.addresses.findById(tenantId, id);
    if (!found) throw new NotFoundError('Address', id);
    return found;
  }

  async createParcel(tenantId: string, input: ParcelInput): Promise<ParcelRecord> {
    const now = new Date();
    const record: ParcelRecord = { ...input, id: newObjectId(), tenantId, createdAt: now, updatedAt: now };
    await this.parcels.insert(record);
    return record;
  }

  async getParcel(tenantId: string, id: string): Promise<ParcelRecord> {
    const found = await this.parcels.findById(tenantId, id);
    if (!found) throw new NotFoundError('Parcel', id);
    return found;
  }

  async getTransaction(tenantId: string, id: string): Promise<LabelRecord> {
    const found = await this.labels.findById(tenantId, id);
    if (!found) throw new NotFoundError('Transaction', id);
    return found;
  }

  listAddresses(tenantId: string, page: PageRequest): Promise<Page<AddressRecord>> {
    return this.addresses.list(tenantId, page);
  }

  listParcels(tenantId: string, page: PageRequest): Promise<Page<ParcelRecord>> {
    return this.parcels.list(tenantId, page);
  }

  async getShipment(tenantId: string, id: string): Promise<ShipmentRecord> {
    const found = await this.shipments.findById(tenantId, id);
    if (!found) throw new NotFoundError('Shipment', id);
    return found;
  }

  listShipments(tenantId: string, page: PageRequest): Promise<Page<ShipmentRecord>> {
    return this.shipments.list(tenantId, page);
  }

  listTransactions(tenantId: string, page: PageRequest & { status?: LabelRecord['status'] }): Promise<Page<LabelRecord>> {
    return this.labels.listNewestFirst(tenantId, page);
  }
}
