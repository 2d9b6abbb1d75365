import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Events recorded in the same transaction as the change they announce (webhooks read them). */
@Entity('outbox_events')
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text') type: string;
  @Column('text', { name: 'object_id' }) objectId: string;
  @Column('jsonb') payload: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
}
