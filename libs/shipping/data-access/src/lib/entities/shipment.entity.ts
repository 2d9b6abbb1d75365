import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('shipments')
export class ShipmentEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'address_from_id', nullable: true }) addressFromId: string | null;
  @Column('text', { name: 'address_to_id', nullable: true }) addressToId: string | null;
  @Column('text', { name: 'address_return_id', nullable: true }) addressReturnId: string | null;
  @Column('jsonb', { name: 'parcel_ids' }) parcelIds: string[];
  @Column('text', { name: 'object_purpose' }) objectPurpose: string;
  @Column('timestamptz', { name: 'shipment_date', nullable: true }) shipmentDate: Date | null;
  @Column('text') metadata: string;
  @Column('text', { name: 'external_shipment_id', nullable: true }) externalShipmentId: string | null;
  @Column('jsonb', { default: {} }) extra: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
