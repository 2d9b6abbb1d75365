import { Inject, Injectable } from '@nestjs/common';
import { type Batch, type BatchCounts, NotFoundError, type ObjectResultsFilter } from '@shipbatch/shipping/domain';
import type { BatchRepository, BatchShipmentView, Page } from '../ports/batch.repository';
import { BATCH_REPOSITORY } from '../ports/tokens';

export const BATCH_SHIPMENTS_PAGE_SIZE = 100;

export interface BatchDetails {
  batch: Batch;
  counts: BatchCounts;
  shipments: Page<BatchShipmentView>;
  page: number;
  /** Label files in batch order (merged files come with a later issue). */
  labelUrls: string[];
}

/** Reads: a batch with one page of its shipments, and the tenant's batches. */
@Injectable()
export class BatchQueriesService {
  constructor(@Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository) {}

  async get(tenantId: string, id: string, page = 1, filter?: ObjectResultsFilter): Promise<BatchDetails> {
    const batch = await this.batches.findById(tenantId, id);
    if (!batch) throw new NotFoundError('Batch', id);
    const [counts, shipments, labelUrls] = await Promise.all([
      this.batches.counts(id),
      this.batches.listShipments(id, filter, (page - 1) * BATCH_SHIPMENTS_PAGE_SIZE, BATCH_SHIPMENTS_PAGE_SIZE),
      batch.snapshot.labelUrls.length > 0 || batch.status !== 'PURCHASED'
        ? Promise.resolve(batch.snapshot.labelUrls)
        : this.batches.labelFileUrls(id),
    ]);
    return { batch, counts, shipments, page, labelUrls };
  }

  list(tenantId: string, page: number, pageSize: number): Promise<Page<Batch>> {
    return this.batches.list(tenantId, (page - 1) * pageSize, pageSize);
  }
}
