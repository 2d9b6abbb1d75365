/**
 * Imported first by native-faults.spec.ts, before the service's modules load (they read these
 * when loaded; jest gives each spec file its own process.env, and child workers inherit it):
 * quick polls, and a purchase never acknowledged taken as not made after 3 s instead of 300.
 */
process.env['NATIVE_BATCH_POLL_MS'] = '200';
process.env['NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS'] = '3';
