import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('parcels')
export class ParcelEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text') length: string;
  @Column('text') width: string;
  @Column('text') height: string;
  @Column('text', { name: 'distance_unit' }) distanceUnit: string;
  @Column('text') weight: string;
  @Column('text', { name: 'mass_unit' }) massUnit: string;
  @Column('text', { default: '' }) metadata: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
