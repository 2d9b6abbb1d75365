import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/api-error';
import { ShippoPageQueryDto } from './shippo-page-query.dto';
import { MAX_PAGE } from './query-int.decorator';

const check = (query: Record<string, unknown>) => {
  const dto = plainToInstance(ShippoPageQueryDto, query);
  return { dto, errors: flattenValidationErrors(validateSync(dto, { whitelist: true })) };
};

describe('QueryInt (page, results)', () => {
  it('takes plain digits within the bounds', () => {
    const { dto, errors } = check({ page: String(MAX_PAGE), results: '100' });
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({ page: MAX_PAGE, results: 100 });
  });

  it.each([
    ['99999999999999999999', 'page'],
    [String(MAX_PAGE + 1), 'page'],
    ['1e3', 'page'],
    ['0x10', 'page'],
    ['1.5', 'page'],
    ['-1', 'page'],
    ['0', 'page'],
    ['', 'page'],
    [['1', '2'], 'page'],
  ])('refuses page=%j naming it, with its bounds', (page, field) => {
    const { errors } = check({ page });
    expect(errors.map((e) => e.field_name)).toEqual([field]);
    expect(errors[0].message).toBe(`page must be an integer from 1 to ${MAX_PAGE}`);
  });

  it('bounds the page size', () => {
    expect(check({ results: '101' }).errors.map((e) => e.field_name)).toEqual(['results']);
  });
});
