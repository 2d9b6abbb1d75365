import type { ClaimedPurchase } from './purchase.repository';

/**
 * The claims this process holds and has not sent to a provider yet: what a shutdown may hand
 * back at once. A claim leaves when its purchase starts (`start`), when it is settled without a
 * call, or when a shutdown takes it (`takeAll`); after that `start` refuses it, so a claim
 * handed back is never bought here too. Single-threaded JavaScript makes each step atomic.
 */
export class HeldPurchases {
  private readonly unstarted = new Map<string, ClaimedPurchase>();

  hold(claims: readonly ClaimedPurchase[]): void {
    for (const claim of claims) this.unstarted.set(claim.id, claim);
  }

  /** Before the provider is called (or the claim settled otherwise): false when it was handed back meanwhile. */
  start(claim: ClaimedPurchase): boolean {
    return this.unstarted.get(claim.id) === claim && this.unstarted.delete(claim.id);
  }

  /** Those of `claims` still held, now started (leaving the rest alone). */
  startAll(claims: readonly ClaimedPurchase[]): ClaimedPurchase[] {
    return claims.filter((claim) => this.start(claim));
  }

  /** Every claim not started, taken: none of them will be started here. */
  takeAll(): ClaimedPurchase[] {
    const taken = [...this.unstarted.values()];
    this.unstarted.clear();
    return taken;
  }

  get size(): number {
    return this.unstarted.size;
  }
}
