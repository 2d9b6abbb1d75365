import { Inject, Injectable, Optional } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import type { FundingReason, FundingRepository } from './funding.repository';
import { FUNDING_REPOSITORY, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import type { EventFields } from './funding.format';

/** How long a top-up may hold an account's funding lock before others treat it as crashed. */
export const FUNDING_LOCK_MS = 60_000;
/** How often a worker waiting for an account's funding lock looks again. */
const LOCK_POLL_MS = 200;

/** A held funding lock: records the event and releases in one statement, or just releases. */
export interface Holding {
  record(fields: EventFields): Promise<void>;
  release(): Promise<void>;
}

/**
 * The per-account funding lock (one top-up at a time per account, across every worker and
 * process), over the repository's lease: taken and released by single statements, so no
 * connection is held while the provider is called.
 */
@Injectable()
export class FundingLocks {
  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
  ) {}

  /** The funding lock of the account, or null when someone else holds it. */
  async lock(account: CarrierAccountRecord, reason: FundingReason): Promise<Holding | null> {
    const token = await this.funding.tryLock(account.id, FUNDING_LOCK_MS);
    if (!token) return null;
    let released = false;
    return {
      record: async (fields) => {
        if (released) return;
        await this.funding.recordAndRelease(
          {
            id: newObjectId(),
            tenantId: account.tenantId,
            carrierAccountId: account.id,
            reason,
            ...fields,
            currency: (fields.currency ?? 'usd').toLowerCase(),
            message: fields.message.length > 1000 ? `${fields.message.slice(0, 997)}...` : fields.message,
          },
          token,
        );
        released = true;
        this.metrics.fundingEvent(account.provider, reason, fields.status);
      },
      release: async () => {
        if (released) return;
        await this.funding.release(account.id, token);
        released = true;
      },
    };
  }

  /** The lock, waited for up to `waitMs`; null when someone else still holds it then. */
  async lockWithin(account: CarrierAccountRecord, reason: FundingReason, waitMs: number): Promise<Holding | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const holding = await this.lock(account, reason);
      if (holding || Date.now() >= deadline) return holding;
      await sleep(LOCK_POLL_MS);
    }
  }

  /**
   * Waits, up to `waitMs`, until nobody holds the account's funding lock (the top-up in progress
   * is over, whatever its outcome). True when it is free, false when still held.
   */
  async awaitRelease(carrierAccountId: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (!(await this.funding.topUpInProgress(carrierAccountId))) return true;
      if (Date.now() >= deadline) return false;
      await sleep(LOCK_POLL_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
