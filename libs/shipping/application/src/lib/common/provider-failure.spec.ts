import { ProviderAuthError, ProviderUnavailableError } from '@shipbatch/providers/core';
import { ConflictError, UnavailableError } from '@shipbatch/shipping/domain';
import { providerErrorText, providerFailure } from './provider-failure';

describe('provider failures worded for a tenant', () => {
  const refused = new ProviderUnavailableError('shipstation: GET /v2/carriers/se-1 failed: connection refused (ECONNREFUSED) (3 attempts)');

  it('names the provider once: an adapter message already starts with it', () => {
    expect(providerErrorText('shipstation', refused)).toBe(refused.message);
    expect(providerErrorText('mock', new Error('the mock is down'))).toBe('mock: the mock is down');
  });

  it('makes an unreachable provider 503 provider_unavailable, with its Retry-After', () => {
    const error = providerFailure('shipstation', new ProviderUnavailableError('shipstation: GET /v2/carriers/se-1 answered 503', { retryAfterMs: 20_000 }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'provider_unavailable', message: 'shipstation: GET /v2/carriers/se-1 answered 503', retryAfterMs: 20_000 });
    expect(providerFailure('shipstation', refused).message).toBe(refused.message);
  });

  it("keeps a provider's refusal a conflict with the provider error's code", () => {
    const error = providerFailure('shipstation', new ProviderAuthError('shipstation: GET /v2/carriers/se-1 answered 401: invalid key'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'auth', message: 'shipstation: GET /v2/carriers/se-1 answered 401: invalid key' });
  });
});
