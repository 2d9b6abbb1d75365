import { Inject, Injectable } from '@nestjs/common';
import type { LabelFileType, NativeBatchPort } from '@shipbatch/providers/core';
import type { NativeBatchRecord, NativeBatchRepository, NativeShipment } from './native-batch.repository';
import { NATIVE_BATCH_REPOSITORY } from '../tokens';
import { concurrencyLimit } from '../common/concurrency.limit';
import { messagesOr, NativeBatchSettlement } from './native-batch.settlement';

/** `prepare` chunks one step run makes (then it rings itself for the next ones), and how many at once. */
const PREPARE_CHUNKS_PER_RUN = 20;
const PREPARE_CONCURRENCY = 4;

/**
 * The CREATING step's provider calls: the shipments prepared on the provider a chunk at a time
 * (each chunk's provider ids recorded as it comes back, so a repeated chunk is not made again),
 * then the provider batch created, or found by our reference when an earlier create was sent.
 */
@Injectable()
export class NativeBatchCreation {
  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    private readonly settle: NativeBatchSettlement,
  ) {}

  /**
   * Makes up to PREPARE_CHUNKS_PER_RUN chunks of shipments on the provider, recording each
   * chunk's provider ids as it comes back; true when some are left for the next run.
   */
  async prepare(nb: NativeBatchRecord, port: NativeBatchPort, unprepared: NativeShipment[]): Promise<boolean> {
    const size = Math.max(1, port.prepareChunkSize ?? 100);
    const chunks: NativeShipment[][] = [];
    for (let i = 0; i < unprepared.length && chunks.length < PREPARE_CHUNKS_PER_RUN; i += size) chunks.push(unprepared.slice(i, i + size));
    const limit = concurrencyLimit(PREPARE_CONCURRENCY);
    const outcomes = await Promise.allSettled(chunks.map((chunk) => limit(() => this.prepareChunk(nb, port, chunk))));
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) throw rejected.reason;
    return unprepared.length > chunks.length * size;
  }

  private async prepareChunk(nb: NativeBatchRecord, port: NativeBatchPort, chunk: NativeShipment[]): Promise<void> {
    const prepare = port.prepare;
    if (!prepare) return;
    const results = await prepare.call(port, { reference: nb.id, labelFileType: nb.labelFileType as LabelFileType, commands: chunk.map(commandOf) });
    const byReference = new Map(results.map((r) => [r.reference, r]));
    const made: Array<{ shipmentId: string; nativeShipmentId: string }> = [];
    const rejected: Array<{ shipmentId: string; messages: ReturnType<typeof messagesOr> }> = [];
    const unanswered: string[] = [];
    for (const s of chunk) {
      const r = byReference.get(s.id);
      if (!r) unanswered.push(s.id);
      else if ('providerShipmentId' in r) made.push({ shipmentId: s.id, nativeShipmentId: r.providerShipmentId });
      else rejected.push({ shipmentId: s.id, messages: messagesOr(r.rejected, 'shipment_rejected', 'the provider refused this shipment') });
    }
    await this.natives.recordPrepared(nb.id, made);
    await this.settle.fail(nb, rejected);
    // Not made (nor refused) by the provider: nothing was bought for it here.
    await this.settle.giveBack(nb, unanswered, false);
  }

  /** The provider batch made by an earlier create whose answer was lost, else a new one. */
  async findOrCreate(nb: NativeBatchRecord, port: NativeBatchPort, ours: NativeShipment[]): Promise<string> {
    if (nb.createSentAt && port.find) {
      const found = await port.find(nb.id);
      if (found) return found.providerBatchId;
    }
    await this.natives.recordCreateSent(nb.id);
    const { providerBatchId } = await port.create({
      reference: nb.id,
      batchReference: nb.batchId,
      labelFileType: nb.labelFileType as LabelFileType,
      members: ours.map((s) => (s.nativeShipmentId ? { command: commandOf(s), providerShipmentId: s.nativeShipmentId } : { command: commandOf(s) })),
    });
    return providerBatchId;
  }
}

/** A held shipment's purchase as the port takes it, our reference its id. */
function commandOf(s: NativeShipment) {
  return { reference: s.id, ...s.purchase.command };
}
