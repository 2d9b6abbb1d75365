import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, Min, validateSync } from 'class-validator';
import { IsNumberLike, toNumberLike } from './is-number-like.decorator';

class Options {
  @IsOptional() @Min(0) @IsNumberLike() amount?: number;
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() count?: number = 3;
}

const check = (plain: object) => {
  const o = plainToInstance(Options, plain);
  return { o, errors: validateSync(o, { whitelist: true, forbidNonWhitelisted: true }) };
};

describe('IsNumberLike', () => {
  it('turns decimal strings into numbers and leaves numbers alone', () => {
    expect(check({ amount: '50.00', count: ' 7 ' })).toMatchObject({ o: { amount: 50, count: 7 }, errors: [] });
    expect(check({ amount: 12.5 }).o.amount).toBe(12.5);
    expect(check({ amount: '.25' }).o.amount).toBe(0.25);
    expect(check({}).o.count).toBe(3);
  });

  it('refuses anything that is not a number, with "must be a number" first', () => {
    for (const bad of ['abc', '', ' ', '1e3', '1,000', '5.00 usd', true, {}, []]) {
      const { errors } = check({ amount: bad });
      expect(errors.map((e) => e.property)).toEqual(['amount']);
      expect(Object.values(errors[0].constraints ?? {})[0]).toBe('amount must be a number');
    }
  });

  it('still applies the other rules to the number', () => {
    expect(Object.values(check({ amount: '-1' }).errors[0].constraints ?? {})).toEqual(['amount must not be less than 0']);
    expect(check({ count: '1.5' }).errors.map((e) => e.property)).toEqual(['count']);
  });

  it('leaves non-numeric values unchanged', () => {
    expect(toNumberLike('x')).toBe('x');
    expect(toNumberLike(undefined)).toBeUndefined();
    expect(toNumberLike(' -3.10 ')).toBe(-3.1);
  });
});
