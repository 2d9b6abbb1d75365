import type { BatchShipmentStatus } from './batch-status';

export interface ShipmentMessage {
  source: string;
  code: string;
  text: string;
}

export interface ShipmentProblem extends ShipmentMessage {
  severity: 'INCOMPLETE' | 'INVALID';
}

/** A shipment with any INVALID problem is INVALID; otherwise any INCOMPLETE one makes it INCOMPLETE. */
export function statusFromProblems(problems: readonly ShipmentProblem[]): BatchShipmentStatus {
  if (problems.some((p) => p.severity === 'INVALID')) return 'INVALID';
  if (problems.length > 0) return 'INCOMPLETE';
  return 'VALID';
}

export interface PurchaseFailure {
  /** ProviderError code, or `unexpected` for anything else. */
  code: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export type PurchaseFailureDecision =
  | { action: 'slow_down'; delayMs: number }
  | { action: 'retry'; delayMs: number }
  | { action: 'fail' };

export const MAX_PURCHASE_FAILURES = 5;
const BASE_RETRY_MS = 500;
const MAX_RETRY_MS = 60_000;

/**
 * What to do after a failed provider call. A rate limit slows the carrier account down and
 * never fails the shipment; other retryable failures are retried with exponential backoff
 * up to MAX_PURCHASE_FAILURES; the rest fail the shipment (TRANSACTION_FAILED).
 * `failures` counts failed attempts including this one.
 */
export function decidePurchaseFailure(failure: PurchaseFailure, failures: number): PurchaseFailureDecision {
  if (failure.code === 'rate_limited') {
    return { action: 'slow_down', delayMs: Math.max(failure.retryAfterMs ?? 1000, 100) };
  }
  if (failure.retryable && failures < MAX_PURCHASE_FAILURES) {
    const backoff = Math.min(BASE_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
    return { action: 'retry', delayMs: Math.max(failure.retryAfterMs ?? 0, backoff) };
  }
  return { action: 'fail' };
}
