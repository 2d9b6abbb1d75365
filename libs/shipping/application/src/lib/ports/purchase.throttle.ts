/**
 * Provider rate limits per carrier account, shared by every worker (Redis in scale-out).
 * Bound in composition to the platform queue library's AccountThrottle.
 */
export interface PurchaseThrottle {
  /** Milliseconds to wait before calling the provider for this key; 0 to go now. */
  reserve(key: string, perMinute?: number): Promise<number>;
  /** After a 429: every worker holds off this key for `ms`. */
  pause(key: string, ms: number): Promise<void>;
}

export const PURCHASE_THROTTLE = Symbol('PURCHASE_THROTTLE');
