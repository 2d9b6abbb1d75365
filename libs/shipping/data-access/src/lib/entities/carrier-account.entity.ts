import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
