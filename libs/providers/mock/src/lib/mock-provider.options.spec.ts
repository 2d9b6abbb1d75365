import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MockProviderOptions } from './mock-provider.options';

const problems = (plain: object) =>
  validateSync(plainToInstance(MockProviderOptions, plain), { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

describe('MockProviderOptions', () => {
  it('defaults to no latency, no failures and a balance of 1,000,000 dollars', () => {
    expect(plainToInstance(MockProviderOptions, {})).toMatchObject({ latency_ms: 0, fail_rate: 0, initial_balance: 1_000_000 });
    expect(plainToInstance(MockProviderOptions, {}).label_cost).toBeUndefined();
    expect(plainToInstance(MockProviderOptions, {}).rate_limit_per_minute).toBeUndefined();
  });

  it('accepts every option within range', () => {
    expect(problems({ latency_ms: 5, fail_rate: 0.25, rate_limit_per_minute: 60, initial_balance: 10.5, label_cost: 0 })).toEqual([]);
    expect(problems({ fail_rate: 1, initial_balance: 0 })).toEqual([]);
  });

  it('refuses values out of range, of the wrong type, or unknown', () => {
    expect(problems({ latency_ms: -1 })).toEqual(['latency_ms']);
    expect(problems({ latency_ms: 1.5 })).toEqual(['latency_ms']);
    expect(problems({ fail_rate: 1.01 })).toEqual(['fail_rate']);
    expect(problems({ fail_rate: 'half' })).toEqual(['fail_rate']);
    expect(problems({ rate_limit_per_minute: 0 })).toEqual(['rate_limit_per_minute']);
    expect(problems({ initial_balance: -5 })).toEqual(['initial_balance']);
    expect(problems({ label_cost: -0.01 })).toEqual(['label_cost']);
    expect(problems({ failRate: 0.5 })).toEqual(['failRate']);
  });

  it('takes numbers sent as decimal strings, and says "must be a number" of anything else', () => {
    expect(plainToInstance(MockProviderOptions, { label_cost: '5.00', fail_rate: '0.5', latency_ms: ' 7 ', initial_balance: '100' })).toMatchObject({
      label_cost: 5,
      fail_rate: 0.5,
      latency_ms: 7,
      initial_balance: 100,
    });
    expect(problems({ label_cost: '5.00', rate_limit_per_minute: '60' })).toEqual([]);
    expect(problems({ latency_ms: '1.5' })).toEqual(['latency_ms']);
    const [error] = validateSync(plainToInstance(MockProviderOptions, { label_cost: 'abc' }));
    expect(Object.values(error.constraints ?? {})[0]).toBe('label_cost must be a number');
  });
});
