/** Thrown when a carrier account names a provider that is not registered. */
export class UnknownProviderError extends Error {
  constructor(
    readonly key: string,
    registered: readonly string[],
  ) {
    super(`no provider '${key}' is registered (registered: ${registered.join(', ') || 'none'})`);
    this.name = 'UnknownProviderError';
  }
}
