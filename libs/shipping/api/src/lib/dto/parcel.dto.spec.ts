import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/api-error';
import { ParcelDto } from './parcel.dto';

const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
const check = (body: Record<string, unknown>) => {
  const dto = plainToInstance(ParcelDto, body);
  return { dto, fields: flattenValidationErrors(validateSync(dto, { whitelist: true })).map((e) => e.field_name) };
};

describe('ParcelDto', () => {
  it('takes sizes and weight greater than 0 as decimal strings or numbers, kept as strings', () => {
    const { dto, fields } = check({ ...PARCEL, length: 10, width: '0.5', height: 2.25, weight: '0.01' });
    expect(fields).toEqual([]);
    expect(dto).toMatchObject({ length: '10', width: '0.5', height: '2.25', weight: '0.01' });
  });

  it.each(['weight', 'length', 'width', 'height'])('refuses a %s that is not a positive number, naming it', (field) => {
    for (const bad of ['-1', '0', '0.0', 'abc', '', ' 1', '1e3', '+1', '-0.5', -1, 0, Number.NaN, Infinity, null, true, [], {}]) {
      expect({ bad, fields: check({ ...PARCEL, [field]: bad }).fields }).toEqual({ bad, fields: [field] });
    }
  });
});
