/**
 * Injection token of an optional HttpObserver (@shipbatch/providers/core) that every provider
 * instance's HTTP transport reports to: the composition binds the metrics adapter to it.
 */
export const PROVIDER_HTTP_OBSERVER = Symbol('PROVIDER_HTTP_OBSERVER');
