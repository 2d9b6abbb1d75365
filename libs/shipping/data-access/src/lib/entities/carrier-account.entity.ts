import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, type ValueTransformer } from 'typeorm';

/** bigint minor units as numbers (pg hands bigint back as text). */
const minorUnits: ValueTransformer = {
  to: (v: number | undefined) => v,
  from: (v: string | number | null) => (v === null ? 0 : Number(v)),
};

@Entity('carrier_accounts')
export class CarrierAccountEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text') provider: string;
  @Column('text') carrier: string;
  @Column('text', { name: 'account_id' }) accountId: string;
  /** AES-256-GCM sealed JSON of the parameters (credentials); never stored in clear. */
  @Column('text', { name: 'parameters_sealed' }) parametersSealed: string;
  @Column('boolean') active: boolean;
  @Column('boolean') test: boolean;
  @Column('text', { default: '' }) metadata: string;
  /** Automatic funding policy (see FundingPolicy). The funding lock (`funding_lock_until`) is FundingRepository's, not mapped here. */
  @Column('boolean', { name: 'funding_enabled', default: false }) fundingEnabled: boolean;
  @Column('bigint', { name: 'funding_min_balance_minor', default: 0, transformer: minorUnits }) fundingMinBalanceMinor: number;
  @Column('bigint', { name: 'funding_top_up_amount_minor', default: 0, transformer: minorUnits }) fundingTopUpAmountMinor: number;
  @Column('bigint', { name: 'funding_daily_cap_minor', default: 0, transformer: minorUnits }) fundingDailyCapMinor: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
