import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ShipStationProviderOptions } from './shipstation-provider.options';

const problems = (plain: Record<string, unknown>): string[] =>
  validateSync(plainToInstance(ShipStationProviderOptions, plain), { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

describe('ShipStationProviderOptions', () => {
  it('needs api_key and carrier_id, and defaults the rest', () => {
    expect(problems({})).toEqual(['api_key', 'carrier_id']);
    expect(problems({ api_key: '', carrier_id: 'se-1' })).toEqual(['api_key']);
    const options = plainToInstance(ShipStationProviderOptions, { api_key: 'k', carrier_id: 'se-1' });
    expect(options).toMatchObject({ rate_limit_per_minute: 200, native_batch_min_size: 50, validate_addresses: false });
    expect(problems({ api_key: 'k', carrier_id: 'se-1' })).toEqual([]);
  });

  it('takes rate_limit_per_minute as an integer >= 1, also sent as a decimal string', () => {
    expect(plainToInstance(ShipStationProviderOptions, { api_key: 'k', carrier_id: 'se-1', rate_limit_per_minute: '120' }).rate_limit_per_minute).toBe(120);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', rate_limit_per_minute: '120.00' })).toEqual([]);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', rate_limit_per_minute: 0 })).toEqual(['rate_limit_per_minute']);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', rate_limit_per_minute: 1.5 })).toEqual(['rate_limit_per_minute']);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', rate_limit_per_minute: 'fast' })).toEqual(['rate_limit_per_minute']);
  });

  it('takes native_batch_min_size as an integer >= 1, also sent as a decimal string', () => {
    expect(plainToInstance(ShipStationProviderOptions, { api_key: 'k', carrier_id: 'se-1', native_batch_min_size: '500' }).native_batch_min_size).toBe(500);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', native_batch_min_size: 1 })).toEqual([]);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', native_batch_min_size: 0 })).toEqual(['native_batch_min_size']);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', native_batch_min_size: 2.5 })).toEqual(['native_batch_min_size']);
  });

  it('takes validate_addresses as a boolean and refuses unknown parameters', () => {
    expect(problems({ api_key: 'k', carrier_id: 'se-1', validate_addresses: true })).toEqual([]);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', validate_addresses: 'yes' })).toEqual(['validate_addresses']);
    expect(problems({ api_key: 'k', carrier_id: 'se-1', api_secret: 'x' })).toEqual(['api_secret']);
  });
});
