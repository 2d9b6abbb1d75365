import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { Page, PageRequest, ShipmentRecord, ShipmentRepository } from '@shipbatch/shipping/application';
import { AddressEntity } from '../entities/address.entity';
import { ParcelEntity } from '../entities/parcel.entity';
import { ShipmentEntity } from '../entities/shipment.entity';
import { toAddressRecord } from './address.repository';
import { newestFirst } from './newest-first.query';
import { toParcelRecord } from './parcel.repository';

/**
 * Shipments as validation stored them (one per valid batch shipment), read back with their
 * addresses and parcels: a page is three statements (shipments, their addresses, their parcels).
 */
@Injectable()
export class TypeormShipmentRepository implements ShipmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(tenantId: string, id: string): Promise<ShipmentRecord | null> {
    const row = await this.dataSource.getRepository(ShipmentEntity).findOneBy({ tenantId, id });
    return row ? (await this.resolve(tenantId, [row]))[0] : null;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ShipmentRecord>> {
    const { items, total } = await newestFirst(this.dataSource.getRepository(ShipmentEntity), tenantId, page);
    return { items: await this.resolve(tenantId, items), total };
  }

  private async resolve(tenantId: string, rows: ShipmentEntity[]): Promise<ShipmentRecord[]> {
    if (rows.length === 0) return [];
    const addressIds = [...new Set(rows.flatMap((r) => [r.addressFromId, r.addressToId, r.addressReturnId]).filter((id): id is string => !!id))];
    const parcelIds = [...new Set(rows.flatMap((r) => r.parcelIds ?? []))];
    const [addresses, parcels] = await Promise.all([
      addressIds.length ? this.dataSource.getRepository(AddressEntity).findBy({ tenantId, id: In(addressIds) }) : [],
      parcelIds.length ? this.dataSource.getRepository(ParcelEntity).findBy({ tenantId, id: In(parcelIds) }) : [],
    ]);
    const addressById = new Map(addresses.map((a) => [a.id, toAddressRecord(a)]));
    const parcelById = new Map(parcels.map((p) => [p.id, toParcelRecord(p)]));
    const address = (id: string | null) => (id ? (addressById.get(id) ?? null) : null);
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      addressFrom: address(r.addressFromId),
      addressTo: address(r.addressToId),
      addressReturn: address(r.addressReturnId),
      parcels: (r.parcelIds ?? []).map((id) => parcelById.get(id)).filter((p) => p !== undefined),
      objectPurpose: r.objectPurpose,
      shipmentDate: r.shipmentDate,
      metadata: r.metadata,
      externalShipmentId: r.externalShipmentId,
      extra: r.extra ?? {},
      createdAt: r.createdAt,
    }));
  }
}
