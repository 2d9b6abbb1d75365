import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** API keys are stored as SHA-256 hashes; the key itself is shown once, when made. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'key_hash' }) keyHash: string;
  @Column('text', { name: 'key_prefix' }) keyPrefix: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
