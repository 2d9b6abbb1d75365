import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/api-error';
import { ListLabelsQueryDto } from './list-labels.dto';

/** What the global ValidationPipe does with a query string: transform, validate, name the fields. */
function fields(query: Record<string, unknown>): string[] {
  const dto = plainToInstance(ListLabelsQueryDto, query);
  return flattenValidationErrors(validateSync(dto, { whitelist: true })).map((e) => e.field_name ?? '');
}

describe('ListLabelsQueryDto', () => {
  it('accepts the seed query and every filter', () => {
    expect(fields({ label_status: 'completed', page_size: '1' })).toEqual([]);
    expect(
      fields({
        label_status: 'voided',
        carrier_id: 'se-28529731',
        service_code: 'usps_first_class_mail',
        tracking_number: '1Z5615280351136446',
        batch_id: 'b',
        warehouse_id: 'w',
        created_at_start: '2019-07-25T15:24:46.657Z',
        created_at_end: '2019-07-26',
        page: '100',
        page_size: '500',
        sort_dir: 'asc',
        sort_by: 'modified_at',
      }),
    ).toEqual([]);
  });

  it.each([
    [{ label_status: 'shipped' }, 'label_status'],
    [{ label_status: ['completed', 'voided'] }, 'label_status'],
    [{ page_size: '0' }, 'page_size'],
    [{ page_size: '501' }, 'page_size'],
    [{ page_size: 'many' }, 'page_size'],
    [{ page: '0' }, 'page'],
    [{ page: '-3' }, 'page'],
    [{ page: '2.5' }, 'page'],
    [{ created_at_start: 'not a date' }, 'created_at_start'],
    [{ created_at_end: '2019-02-30T00:00:00Z' }, 'created_at_end'],
    [{ sort_dir: 'DESCENDING' }, 'sort_dir'],
    [{ sort_by: 'cost' }, 'sort_by'],
    [{ carrier_id: '' }, 'carrier_id'],
    [{ batch_id: ['a', 'b'] }, 'batch_id'],
  ])('refuses %j naming %s', (query, field) => {
    expect(fields(query)).toEqual([field]);
  });

  it('says what a page size that is not a number must be, not that it is too large', () => {
    const dto = plainToInstance(ListLabelsQueryDto, { page_size: 'abc' });
    expect(flattenValidationErrors(validateSync(dto, { whitelist: true }))[0].message).toBe('page_size must be an integer from 1 to 500');
  });
});
