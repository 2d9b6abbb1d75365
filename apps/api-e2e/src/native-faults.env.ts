/**
 * Settings the native batch specs (native-faults.spec.ts, shipstation-batches.spec.ts) give every
 * service they start, in process or as child workers: quick polls, and a purchase never
 * acknowledged taken as not made after 3 s instead of 300.
 */
export const NATIVE_FAULT_ENV: Record<string, string> = {
  NATIVE_BATCH_POLL_MS: '200',
  NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS: '3',
};
