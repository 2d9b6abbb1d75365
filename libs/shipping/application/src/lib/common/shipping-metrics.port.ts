import type { BatchShipmentStatus, BatchStatus, PurchaseState } from '@shipbatch/shipping/domain';

/**
 * What the use cases count for operators (metrics), bound to SHIPPING_METRICS by the
 * composition (a Prometheus adapter); unbound, NO_SHIPPING_METRICS. Labels are bounded: a
 * provider key, an outcome; never a tenant, batch or shipment id. Every method is cheap and
 * never throws.
 */
export interface ShippingMetrics {
  /** Labels recorded as bought, by the provider of their carrier account. */
  labelsBought(provider: string, count: number): void;
  /** A shipment whose purchase failed for good (FAILED), by provider (`shipbatch` when no provider was reached). */
  labelFailed(provider: string): void;
  /**
   * One webhook delivery attempt recorded: its transition (`delivered`, `retry`, `gave_up`) and
   * whether it was sent (`false`: recorded as not sent, its receiver unreachable this round).
   */
  webhookAttempt(transition: string, sent: boolean): void;
  /** A funding event recorded (a top-up, or a funding attempt that failed), by provider, reason and status. */
  fundingEvent(provider: string, reason: string, status: 'succeeded' | 'failed'): void;
  /** A batch's status changed, once committed (`none`: the batch was created). */
  batchTransition(from: BatchStatus | 'none', to: BatchStatus): void;
  /**
   * `count` batch shipments moved to `to`, once committed: of their validation `status`
   * (VALID, INVALID, INCOMPLETE, TRANSACTION_FAILED) or their `purchase_state` (QUEUED,
   * PURCHASING, NATIVE, PURCHASED, FAILED).
   */
  shipmentTransitions(field: 'status', to: BatchShipmentStatus, count: number): void;
  shipmentTransitions(field: 'purchase_state', to: PurchaseState, count: number): void;
  /** A webhook delivery delivered: seconds from its event being recorded to the answer that delivered it. */
  webhookDelivered(lagSeconds: number): void;
}

/** Counts nothing: the default where no metrics adapter is bound (unit tests, tools). */
export const NO_SHIPPING_METRICS: ShippingMetrics = {
  labelsBought: () => undefined,
  labelFailed: () => undefined,
  webhookAttempt: () => undefined,
  fundingEvent: () => undefined,
  batchTransition: () => undefined,
  shipmentTransitions: () => undefined,
  webhookDelivered: () => undefined,
};
