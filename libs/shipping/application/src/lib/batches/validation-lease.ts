import type { ValidationRepository } from './validation.repository';
import { ValidationLeaseLostError } from './validation-lease-lost.error';

/**
 * A batch's validation lease while it is held: renewed in the background until released. A
 * renewal that finds the lease gone marks it lost; `assertHeld` then stops the validator before
 * its next provider call. Its length (`VALIDATION_LEASE_SECONDS`, AppConfig) is how long others
 * wait before treating the holder as crashed: renewed every third of it while the holder works,
 * so a slow provider never lets a second validator in; a validator that died frees the batch
 * once its lease runs out (the reconciler rings it again).
 */
export class ValidationLease {
  private lost = false;
  private released = false;
  private renewing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly repo: ValidationRepository,
    readonly batchId: string,
    private token: string,
    private readonly leaseMs: number,
    private readonly onRenewFailure: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => void (this.renewing = this.renew()), Math.max(1, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  /** The lease, or null when the batch is not VALIDATING or another validator holds it. */
  static async claim(
    repo: ValidationRepository,
    batchId: string,
    leaseMs: number,
    onRenewFailure: (error: unknown) => void = () => undefined,
  ): Promise<ValidationLease | null> {
    const token = await repo.claimValidation(batchId, leaseMs);
    return token === null ? null : new ValidationLease(repo, batchId, token, leaseMs, onRenewFailure);
  }

  /** Throws ValidationLeaseLostError once a renewal found the lease gone. */
  assertHeld(): void {
    if (this.lost) throw new ValidationLeaseLostError(this.batchId);
  }

  /** Stops renewing and gives the lease back (nothing, when it was lost). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.renewing;
    if (!this.lost) await this.repo.releaseValidation(this.batchId, this.token);
  }

  private async renew(): Promise<void> {
    if (this.released || this.lost) return;
    try {
      const token = await this.repo.renewValidation(this.batchId, this.token, this.leaseMs);
      if (token === null) this.lost = true;
      else this.token = token;
    } catch (error) {
      // The database did not answer: the next renewal tries again, well before the lease runs out.
      this.onRenewFailure(error);
    }
  }
}
