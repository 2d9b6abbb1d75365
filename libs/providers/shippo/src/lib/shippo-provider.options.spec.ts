import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ShippoProviderOptions } from './shippo-provider.options';

const problems = (plain: Record<string, unknown>): string[] =>
  validateSync(plainToInstance(ShippoProviderOptions, plain), { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);
const base = { api_token: 'shippo_test_x', carrier_account: 'a'.repeat(32) };

describe('ShippoProviderOptions', () => {
  it('needs api_token and carrier_account, and defaults the rest', () => {
    expect(problems({})).toEqual(['api_token', 'carrier_account']);
    expect(problems({ ...base, api_token: '' })).toEqual(['api_token']);
    expect(plainToInstance(ShippoProviderOptions, base)).toMatchObject({ native_batch_min_size: 50, rate_limit_per_minute: 500 });
    expect(problems(base)).toEqual([]);
  });

  it('takes the numbers as integers >= 1, also sent as decimal strings', () => {
    expect(plainToInstance(ShippoProviderOptions, { ...base, native_batch_min_size: '100' }).native_batch_min_size).toBe(100);
    expect(problems({ ...base, rate_limit_per_minute: '250.00' })).toEqual([]);
    expect(problems({ ...base, native_batch_min_size: 0 })).toEqual(['native_batch_min_size']);
    expect(problems({ ...base, rate_limit_per_minute: 1.5 })).toEqual(['rate_limit_per_minute']);
    expect(problems({ ...base, rate_limit_per_minute: 'fast' })).toEqual(['rate_limit_per_minute']);
    expect(problems({ ...base, api_key: 'x' })).toEqual(['api_key']);
  });
});
