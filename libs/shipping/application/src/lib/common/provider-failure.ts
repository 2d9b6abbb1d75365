import type { ProviderError } from '@shipbatch/providers/core';
import { ConflictError, type DomainError, UnavailableError } from '@shipbatch/shipping/domain';

/**
 * A provider's error worded for a tenant, naming the provider once. Adapters' messages already
 * start with the provider's key (`shipstation: GET /v2/carriers/se-1 failed: connection refused
 * (ECONNREFUSED) (3 attempts)`); a message that does not is given it.
 */
export function providerErrorText(provider: string, error: Error): string {
  return error.message.startsWith(`${provider}:`) ? error.message : `${provider}: ${error.message}`;
}

/**
 * The error a request answers when the provider call it needed failed: a provider that could
 * not be reached (after the transport's tries) is 503 `provider_unavailable`, with the
 * provider's `Retry-After` when it gave one; anything else the provider refused is 409 with
 * the provider error's code.
 */
export function providerFailure(provider: string, error: ProviderError): DomainError {
  const text = providerErrorText(provider, error);
  if (error.code === 'unavailable') return new UnavailableError(text, 'provider_unavailable', error.retryAfterMs);
  return new ConflictError(text, error.code);
}
