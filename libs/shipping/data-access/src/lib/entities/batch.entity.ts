import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('batches')
export class BatchEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text') status: string;
  @Column('text', { name: 'default_carrier_account' }) defaultCarrierAccount: string;
  @Column('text', { name: 'default_servicelevel_token' }) defaultServicelevelToken: string;
  @Column('text', { name: 'label_filetype' }) labelFiletype: string;
  @Column('text', { default: '' }) metadata: string;
  /** Storage keys of the merged label files (URLs are signed at read time). */
  @Column('jsonb', { name: 'label_file_keys', default: () => `'[]'` }) labelFileKeys: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  // The validation lease (`validation_lease_until`) is the ValidationRepository's, not mapped here.
}
