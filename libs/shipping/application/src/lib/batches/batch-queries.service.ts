import { Inject, Injectable } from '@nestjs/common';
import { type Batch, type BatchCounts, NotFoundError, type ObjectResultsFilter } from '@shipbatch/shipping/domain';
import type { BatchRepository, BatchShipmentView } from './batch.repository';
import type { Page } from '../common/page';
import type { FileStorage } from '../label-files/file-storage';
import { BATCH_REPOSITORY, FILE_STORAGE } from '../tokens';

export const BATCH_SHIPMENTS_PAGE_SIZE = 100;

export interface BatchDetails {
  batch: Batch;
  counts: BatchCounts;
  shipments: Page<BatchShipmentView>;
  page: number;
  /** Signed URLs of the merged label files, in batch order. */
  labelUrls: string[];
}

/** Reads: a batch with one page of its shipments, and the tenant's batches. */
@Injectable()
export class BatchQueriesService {
  constructor(
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(FILE_STORAGE) private readonly files: FileStorage,
  ) {}

  async get(tenantId: string, id: string, page = 1, filter?: ObjectResultsFilter): Promise<BatchDetails> {
    const batch = await this.batches.findById(tenantId, id);
    if (!batch) throw new NotFoundError('Batch', id);
    const [counts, shipments] = await Promise.all([
      this.batches.counts(id),
      this.batches.listShipments(id, filter, (page - 1) * BATCH_SHIPMENTS_PAGE_SIZE, BATCH_SHIPMENTS_PAGE_SIZE),
    ]);
    return { batch, counts, shipments, page, labelUrls: this.labelUrls(batch) };
  }

  list(tenantId: string, page: number, pageSize: number): Promise<Page<Batch>> {
    return this.batches.list(tenantId, (page - 1) * pageSize, pageSize);
  }

  /**
   * `label_url`: the merged files' keys are stored, their URLs signed now, so a client always
   * gets links that are valid from the moment it reads the batch.
   */
  labelUrls(batch: Batch): string[] {
    return batch.snapshot.labelFileKeys.map((key) => this.files.urlFor(key));
  }
}
