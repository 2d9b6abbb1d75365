import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Written set-based with SQL (10,000 rows at a time); the entity documents the table. */
@Entity('batch_shipments')
export class BatchShipmentEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'batch_id' }) batchId: string;
  @Column('bigint') position: string;
  @Column('text') status: string;
  @Column('text', { name: 'purchase_state' }) purchaseState: string;
  @Column('text', { name: 'carrier_account', nullable: true }) carrierAccount: string | null;
  @Column('text', { name: 'servicelevel_token', nullable: true }) servicelevelToken: string | null;
  @Column('text') metadata: string;
  @Column('jsonb') input: unknown;
  @Column('jsonb') messages: unknown;
  @Column('text', { name: 'shipment_id', nullable: true }) shipmentId: string | null;
  @Column('text', { name: 'effective_carrier_account', nullable: true }) effectiveCarrierAccount: string | null;
  @Column('jsonb', { name: 'purchase_command', nullable: true }) purchaseCommand: unknown;
  @Column('text', { name: 'transaction_id', nullable: true }) transactionId: string | null;
  @Column('integer') attempts: number;
  @Column('integer') failures: number;
  @Column('boolean', { name: 'lookup_required' }) lookupRequired: boolean;
  @Column('integer', { name: 'queue_token' }) queueToken: number;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('timestamptz', { name: 'queued_at', nullable: true }) queuedAt: Date | null;
  /** The merged label file this shipment's label goes into: floor(rank / 100) in batch order. */
  @Column('integer', { name: 'file_chunk', nullable: true }) fileChunk: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
