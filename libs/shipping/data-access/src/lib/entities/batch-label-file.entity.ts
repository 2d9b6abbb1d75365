import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One merged label file of a batch (a chunk of at most 100 labels). Written with SQL. */
@Entity('batch_label_files')
export class BatchLabelFileEntity {
  @PrimaryColumn('text', { name: 'batch_id' }) batchId: string;
  @PrimaryColumn('integer') chunk: number;
  /** md5 of the chunk's bought label ids in batch order: which labels the file holds. */
  @Column('text') fingerprint: string;
  /** Null when every shipment of the chunk failed: no file. */
  @Column('text', { name: 'file_key', nullable: true }) fileKey: string | null;
  @Column('integer', { name: 'label_count' }) labelCount: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
