import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  AddressRecord,
  AddressRepository,
  LabelRecord,
  LabelRepository,
  ParcelRecord,
  ParcelRepository,
} from '@shipbatch/shipping/application';
import { AddressEntity } from '../entities/address.entity';
import { LabelEntity } from '../entities/label.entity';
import { ParcelEntity } from '../entities/parcel.entity';

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

@Injectable()
export class TypeormAddressRepository implements AddressRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(r: AddressRecord): Promise<void> {
    await this.dataSource.getRepository(AddressEntity).insert({
      id: r.id,
      tenantId: r.tenantId,
      name: r.name ?? null,
      company: r.company ?? null,
      street1: r.street1 ?? null,
      street2: r.street2 ?? null,
      street3: r.street3 ?? null,
      city: r.city ?? null,
      state: r.state ?? null,
      zip: r.zip ?? null,
      country: r.country ?? null,
      phone: r.phone ?? null,
      email: r.email ?? null,
      isResidential: r.is_residential ?? null,
      metadata: r.metadata ?? '',
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }

  async findById(tenantId: string, id: string): Promise<AddressRecord | null> {
    const e = await this.dataSource.getRepository(AddressEntity).findOneBy({ tenantId, id });
    if (!e) return null;
    return {
      id: e.id,
      tenantId: e.tenantId,
      name: orUndefined(e.name),
      company: orUndefined(e.company),
      street1: orUndefined(e.street1),
      street2: orUndefined(e.street2),
      street3: orUndefined(e.street3),
      city: orUndefined(e.city),
      state: orUndefined(e.state),
      zip: orUndefined(e.zip),
      country: orUndefined(e.country),
      phone: orUndefined(e.phone),
      email: orUndefined(e.email),
      is_residential: orUndefined(e.isResidential),
      metadata: e.metadata,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

@Injectable()
export class TypeormParcelRepository implements ParcelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(r: ParcelRecord): Promise<void> {
    await this.dataSource.getRepository(ParcelEntity).insert({
      id: r.id,
      tenantId: r.tenantId,
      length: r.length,
      width: r.width,
      height: r.height,
      distanceUnit: r.distance_unit,
      weight: r.weight,
      massUnit: r.mass_unit,
      metadata: r.metadata ?? '',
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }

  async findById(tenantId: string, id: string): Promise<ParcelRecord | null> {
    const e = await this.dataSource.getRepository(ParcelEntity).findOneBy({ tenantId, id });
    if (!e) return null;
    return {
      id: e.id,
      tenantId: e.tenantId,
      length: e.length,
      width: e.width,
      height: e.height,
      distance_unit: e.distanceUnit,
      weight: e.weight,
      mass_unit: e.massUnit,
      metadata: e.metadata,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

@Injectable()
export class TypeormLabelRepository implements LabelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(tenantId: string, id: string): Promise<LabelRecord | null> {
    const e = await this.dataSource.getRepository(LabelEntity).findOneBy({ tenantId, id });
    if (!e) return null;
    return {
      id: e.id,
      tenantId: e.tenantId,
      batchId: e.batchId,
      batchShipmentId: e.batchShipmentId,
      shipmentId: e.shipmentId,
      carrierAccountId: e.carrierAccountId,
      provider: e.provider,
      providerLabelId: e.providerLabelId,
      status: e.status as LabelRecord['status'],
      trackingNumber: e.trackingNumber,
      carrier: e.carrier,
      serviceCode: e.serviceCode,
      costMinor: Number(e.costMinor),
      currency: e.currency,
      labelFileType: e.labelFileType,
      fileUrl: e.fileUrl,
      warehouseId: e.warehouseId,
      externalShipmentId: e.externalShipmentId,
      isInternational: e.isInternational,
      isReturnLabel: e.isReturnLabel,
      shipDate: e.shipDate,
      voidedAt: e.voidedAt,
      metadata: e.metadata,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}
