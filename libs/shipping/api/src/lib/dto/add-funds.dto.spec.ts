import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/api-error';
import { AddFundsDto } from './add-funds.dto';

const fields = (body: Record<string, unknown>) =>
  flattenValidationErrors(validateSync(plainToInstance(AddFundsDto, body), { whitelist: true })).map((e) => e.field_name);

describe('AddFundsDto', () => {
  it('takes an ISO 4217 currency in either case, or none (null is none)', () => {
    expect(fields({ amount: '5.00' })).toEqual([]);
    expect(fields({ amount: 5, currency: 'usd' })).toEqual([]);
    expect(fields({ amount: 5, currency: 'EUR' })).toEqual([]);
    expect(fields({ amount: 5, currency: null })).toEqual([]);
  });

  it.each(['NaN', 'xyz', 'us', '', 'usdd', 5])('refuses the currency %j, naming it', (currency) => {
    expect(fields({ amount: 5, currency })).toEqual(['currency']);
  });
});
