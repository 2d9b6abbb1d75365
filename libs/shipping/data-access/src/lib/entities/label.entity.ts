import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A bought label: Shippo's transaction and ShipStation's label. */
@Entity('labels')
export class LabelEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'batch_id', nullable: true }) batchId: string | null;
  @Column('text', { name: 'batch_shipment_id', nullable: true }) batchShipmentId: string | null;
  @Column('text', { name: 'shipment_id', nullable: true }) shipmentId: string | null;
  @Column('text', { name: 'carrier_account_id' }) carrierAccountId: string;
  @Column('text') provider: string;
  @Column('text', { name: 'provider_label_id' }) providerLabelId: string;
  @Column('text') reference: string;
  @Column('text') status: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber: string;
  @Column('text') carrier: string;
  @Column('text', { name: 'service_code' }) serviceCode: string;
  @Column('bigint', { name: 'cost_minor' }) costMinor: string;
  @Column('text') currency: string;
  @Column('text', { name: 'label_file_type' }) labelFileType: string;
  @Column('text', { name: 'file_key', nullable: true }) fileKey: string | null;
  @Column('text', { name: 'file_url', nullable: true }) fileUrl: string | null;
  @Column('text', { name: 'warehouse_id', nullable: true }) warehouseId: string | null;
  @Column('text', { name: 'external_shipment_id', nullable: true }) externalShipmentId: string | null;
  @Column('boolean', { name: 'is_international' }) isInternational: boolean;
  @Column('boolean', { name: 'is_return_label' }) isReturnLabel: boolean;
  @Column('timestamptz', { name: 'ship_date', nullable: true }) shipDate: Date | null;
  @Column('timestamptz', { name: 'voided_at', nullable: true }) voidedAt: Date | null;
  @Column('text') metadata: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
