import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('addresses')
export class AddressEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) company: string | null;
  @Column('text', { nullable: true }) street1: string | null;
  @Column('text', { nullable: true }) street2: string | null;
  @Column('text', { nullable: true }) street3: string | null;
  @Column('text', { nullable: true }) city: string | null;
  @Column('text', { nullable: true }) state: string | null;
  @Column('text', { nullable: true }) zip: string | null;
  @Column('text', { nullable: true }) country: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('boolean', { name: 'is_residential', nullable: true }) isResidential: boolean | null;
  @Column('text', { default: '' }) metadata: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
