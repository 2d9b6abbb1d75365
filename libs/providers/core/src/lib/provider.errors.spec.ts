import {
  isProviderError,
  ProviderAuthError,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
} from './provider.errors';

describe('ProviderError family', () => {
  it.each([
    [ProviderAuthError, 'auth', false],
    [ProviderValidationError, 'validation', false],
    [ProviderRateLimitedError, 'rate_limited', true],
    [ProviderUnavailableError, 'unavailable', true],
    [ProviderInsufficientFundsError, 'insufficient_funds', false],
    [ProviderNotFoundError, 'not_found', false],
  ] as const)('%p has a stable code and says whether to retry', (Type, code, retryable) => {
    const cause = new Error('socket hang up');
    const error = new Type('boom', { cause, retryAfterMs: 1500 });
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe(Type.name);
    expect(isProviderError(error)).toBe(true);
  });

  it('does not take other errors for provider errors', () => {
    expect(isProviderError(new Error('x'))).toBe(false);
  });
});
