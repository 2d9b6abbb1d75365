import { decidePurchaseFailure, MAX_PURCHASE_FAILURES, statusFromProblems } from './batch-shipment-outcome';

describe('statusFromProblems', () => {
  const p = (severity: 'INVALID' | 'INCOMPLETE') => ({ source: 'mock', code: 'x', text: 'x', severity });
  it('is VALID without problems', () => expect(statusFromProblems([])).toBe('VALID'));
  it('is INCOMPLETE when only something is missing', () => expect(statusFromProblems([p('INCOMPLETE')])).toBe('INCOMPLETE'));
  it('is INVALID when anything is wrong', () => expect(statusFromProblems([p('INCOMPLETE'), p('INVALID')])).toBe('INVALID'));
});

describe('decidePurchaseFailure', () => {
  it('slows down on a rate limit, honouring Retry-After, whatever the failure count', () => {
    expect(decidePurchaseFailure({ code: 'rate_limited', retryable: true, retryAfterMs: 7000 }, 99)).toEqual({
      action: 'slow_down',
      delayMs: 7000,
    });
  });
  it('retries retryable failures with growing backoff', () => {
    const first = decidePurchaseFailure({ code: 'unavailable', retryable: true }, 1);
    const second = decidePurchaseFailure({ code: 'unavailable', retryable: true }, 2);
    expect(first.action).toBe('retry');
    expect(second.action).toBe('retry');
    if (first.action === 'retry' && second.action === 'retry') expect(second.delayMs).toBeGreaterThan(first.delayMs);
  });
  it('fails after the last allowed attempt', () => {
    expect(decidePurchaseFailure({ code: 'unavailable', retryable: true }, MAX_PURCHASE_FAILURES)).toEqual({ action: 'fail' });
  });
  it('fails at once on a non-retryable error', () => {
    expect(decidePurchaseFailure({ code: 'insufficient_funds', retryable: false }, 1)).toEqual({ action: 'fail' });
  });
});
