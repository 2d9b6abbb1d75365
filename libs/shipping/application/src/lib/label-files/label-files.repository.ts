/** A chunk of a batch (its shipments with one `file_chunk`) whose shipments have all settled. */
export interface SettledChunk {
  batchId: string;
  /** The batch's tenant: the merge queue's fairness group. */
  tenantId: string;
  chunk: number;
  /** md5 of the chunk's bought label ids joined by ',' in batch order ('' when none). */
  fingerprint: string;
  /** The chunk's bought labels: what its merge has to read and write. */
  labels: number;
}

/** One bought label of a chunk, in batch order. */
export interface ChunkLabel {
  labelId: string;
  batchShipmentId: string;
  /** Storage key of the label's own file; null when the provider gave only a URL. */
  fileKey: string | null;
  trackingNumber: string;
}

export interface ChunkContents {
  tenantId: string;
  labelFiletype: string;
  /** Whether a shipment of the chunk is still open (OPEN_PURCHASE_STATES: QUEUED, PURCHASING, NATIVE). */
  open: boolean;
  labels: ChunkLabel[];
  /** The recorded merged file of this chunk, if any. */
  recorded: { fingerprint: string; fileKey: string | null } | null;
}

export interface FinishedPurchase {
  tenantId: string;
  /** Merged files listed before and no longer listed now (replaced by a rebuild). */
  staleKeys: string[];
}

/** SQL side of merged label files (see MergeLabelFilesUseCase). */
export interface LabelFilesRepository {
  /** Among the chunks of `batchShipmentIds`, those with no shipment open (OPEN_PURCHASE_STATES). */
  settledChunks(batchId: string, batchShipmentIds: string[]): Promise<SettledChunk[]>;
  /** The chunk's bought labels in batch order, whether it is still open, what is recorded. */
  chunkContents(batchId: string, chunk: number): Promise<ChunkContents | null>;
  /**
   * Records the chunk's merged file (null key: every shipment of the chunk failed), only if
   * the chunk is settled and its labels still have `fingerprint`; returns the key it replaced
   * (null if none, or the same key). False when the condition did not hold.
   */
  recordChunkFile(
    batchId: string,
    chunk: number,
    fingerprint: string,
    fileKey: string | null,
    labelCount: number,
  ): Promise<{ recorded: boolean; replacedKey: string | null }>;
  /** Cheap: whether any shipment of the batch is still open (OPEN_PURCHASE_STATES). */
  hasOpenShipments(batchId: string): Promise<boolean>;
  /**
   * One conditional UPDATE applying the batch's `purchase_finished`: a PURCHASING batch with
   * nothing open and a current merged-file record for every chunk becomes PURCHASED with
   * `label_file_keys` (chunk order) and a `batch_purchased` outbox event. Null when the condition did not hold (or it was done).
   */
  finishPurchase(batchId: string): Promise<FinishedPurchase | null>;
  /** Settled chunks of PURCHASING batches whose merged file is missing or out of date. */
  chunksNeedingMerge(limit: number): Promise<SettledChunk[]>;
}
