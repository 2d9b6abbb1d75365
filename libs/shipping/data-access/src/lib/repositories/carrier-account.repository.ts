import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import type { CarrierAccountRecord, CarrierAccountRepository } from '@shipbatch/shipping/application';
import { CarrierAccountEntity } from '../entities/carrier-account.entity';

/** Carrier accounts with their parameters sealed (AES-256-GCM) at rest. */
@Injectable()
export class TypeormCarrierAccountRepository implements CarrierAccountRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(CarrierAccountEntity);
  }

  async insert(record: CarrierAccountRecord): Promise<void> {
    await this.repo.insert(this.toEntity(record));
  }

  async update(record: CarrierAccountRecord): Promise<void> {
    const { id, tenantId, ...rest } = this.toEntity(record);
    await this.repo.update({ id, tenantId }, rest);
  }

  async findById(tenantId: string, id: string): Promise<CarrierAccountRecord | null> {
    const e = await this.repo.findOneBy({ tenantId, id });
    return e ? this.toRecord(e) : null;
  }

  async findByIdUnscoped(id: string): Promise<CarrierAccountRecord | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? this.toRecord(e) : null;
  }

  async findMany(tenantId: string, ids: string[]): Promise<CarrierAccountRecord[]> {
    if (ids.length === 0) return [];
    return (await this.repo.findBy({ tenantId, id: In(ids) })).map((e) => this.toRecord(e));
  }

  async list(tenantId: string): Promise<CarrierAccountRecord[]> {
    return (await this.repo.find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } })).map((e) =>
      this.toRecord(e),
    );
  }

  async listActiveUnscoped(): Promise<CarrierAccountRecord[]> {
    return (await this.repo.find({ where: { active: true }, order: { createdAt: 'ASC', id: 'ASC' } })).map((e) => this.toRecord(e));
  }

  private toEntity(r: CarrierAccountRecord): CarrierAccountEntity {
    return Object.assign(new CarrierAccountEntity(), {
      id: r.id,
      tenantId: r.tenantId,
      provider: r.provider,
      carrier: r.carrier,
      accountId: r.accountId,
      parametersSealed: this.box.sealJson(r.parameters),
      active: r.active,
      test: r.test,
      metadata: r.metadata,
      fundingEnabled: r.funding.enabled,
      fundingMinBalanceMinor: r.funding.minBalanceMinor,
      fundingTopUpAmountMinor: r.funding.topUpAmountMinor,
      fundingDailyCapMinor: r.funding.dailyCapMinor,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }

  private toRecord(e: CarrierAccountEntity): CarrierAccountRecord {
    return {
      id: e.id,
      tenantId: e.tenantId,
      provider: e.provider,
      carrier: e.carrier,
      accountId: e.accountId,
      parameters: this.box.openJson(e.parametersSealed),
      active: e.active,
      test: e.test,
      metadata: e.metadata,
      funding: {
        enabled: e.fundingEnabled,
        minBalanceMinor: e.fundingMinBalanceMinor,
        topUpAmountMinor: e.fundingTopUpAmountMinor,
        dailyCapMinor: e.fundingDailyCapMinor,
      },
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}
