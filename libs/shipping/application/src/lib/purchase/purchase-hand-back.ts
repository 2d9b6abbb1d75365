import type { Logger } from '@nestjs/common';
import type { QueuePort, ShutdownState } from '@shipbatch/platform/queue';
import { QUEUES } from '../tokens';
import { HeldPurchases } from './held-purchases';
import { purchaseGroupJobs } from './purchase-job-id';
import type { ClaimedPurchase, PurchaseRepository } from './purchase.repository';

/**
 * A shutting-down worker's purchases claimed but not started go back at once (SIGTERM; README,
 * "Restarts"): when the queue stops taking jobs (ShutdownState `draining`), every claim this
 * process holds and has not sent to a provider is handed back in one statement and queued again,
 * so another worker buys it now instead of after PURCHASE_LEASE_SECONDS. A claim whose provider
 * call is in flight is never handed back: its outcome is unknown until the call returns (or the
 * lease runs out and the next claim looks it up by reference), and handing it back could buy it
 * twice. A claim made after the drain began goes back as soon as it is held.
 */
export class PurchaseHandBack {
  private readonly held = new HeldPurchases();

  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly queue: QueuePort,
    private readonly logger: Logger,
    private readonly shutdown?: ShutdownState,
  ) {
    shutdown?.onDrain(() => this.handBackAll());
  }

  async hold(claims: ClaimedPurchase[]): Promise<void> {
    this.held.hold(claims);
    if (this.shutdown?.draining) await this.handBackAll();
  }

  /** Before a claim's provider call: false when it was handed back (another worker buys it). */
  start(claim: ClaimedPurchase): boolean {
    return this.held.start(claim);
  }

  /** Those of `claims` still held, now started or settled here. */
  startAll(claims: ClaimedPurchase[]): ClaimedPurchase[] {
    return this.held.startAll(claims);
  }

  async handBackAll(): Promise<void> {
    const claims = this.held.takeAll();
    if (claims.length === 0) return;
    const back = await this.purchases.handBack(claims);
    const tenantOf = new Map(claims.map((c) => [c.id, c.tenantId]));
    // In groups of 10 a tenant, as the purchase request queued them.
    await this.queue.addBulk(QUEUES.purchaseShipment, purchaseGroupJobs(back.map((b) => ({ ...b, tenantId: tenantOf.get(b.id) ?? '' }))));
    this.logger.log(`shutting down: handed back ${back.length} purchases claimed but not started`, {
      batch_shipment_ids: back.map((b) => b.id),
    });
  }
}
