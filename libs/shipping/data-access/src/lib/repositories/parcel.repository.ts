import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page, PageRequest, ParcelRecord, ParcelRepository } from '@shipbatch/shipping/application';
import { ParcelEntity } from '../entities/parcel.entity';
import { newestFirst } from './newest-first.query';

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
    return e ? toParcelRecord(e) : null;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ParcelRecord>> {
    const { items, total } = await newestFirst(this.dataSource.getRepository(ParcelEntity), tenantId, page);
    return { items: items.map(toParcelRecord), total };
  }
}

export function toParcelRecord(e: ParcelEntity): ParcelRecord {
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
