import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AddressRecord, AddressRepository, Page, PageRequest } from '@shipbatch/shipping/application';
import { AddressEntity } from '../entities/address.entity';
import { newestFirst } from './newest-first.query';

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
    return e ? toAddressRecord(e) : null;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<AddressRecord>> {
    const { items, total } = await newestFirst(this.dataSource.getRepository(AddressEntity), tenantId, page);
    return { items: items.map(toAddressRecord), total };
  }
}

export function toAddressRecord(e: AddressEntity): AddressRecord {
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
