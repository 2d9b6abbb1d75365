import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/api-error';
import { STRICT_VALIDATION } from '../http/validation-options';
import { queryListsOf } from '../http/query-list.decorator';
import { LabelDownloadQueryDto } from './label-download-query.dto';
import { ListLabelsQueryDto } from './list-labels.dto';

/** What the global ValidationPipe does with a query string: transform, validate, name the fields. */
function fields(query: Record<string, unknown>): string[] {
  const dto = plainToInstance(ListLabelsQueryDto, query);
  return flattenValidationErrors(validateSync(dto, STRICT_VALIDATION)).map((e) => e.field_name ?? '');
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
        shipment_id: 's1',
        rate_id: 'se-1',
        refund_status: 'pending,approved',
        label_download_type: 'url',
      }),
    ).toEqual([]);
    expect(fields({ sort_by: 'voided_at' })).toEqual([]);
  });

  it('takes refund_status repeated, comma-separated, or both, as one list; it is the one list parameter', () => {
    const of = (refund_status: unknown) => plainToInstance(ListLabelsQueryDto, { refund_status }).refund_status;
    expect(of('approved')).toEqual(['approved']);
    expect(of('pending,approved')).toEqual(['pending', 'approved']);
    expect(of(['rejected', 'pending,approved'])).toEqual(['rejected', 'pending', 'approved']);
    expect(queryListsOf(ListLabelsQueryDto)).toEqual(['refund_status']);
    expect(queryListsOf(LabelDownloadQueryDto)).toEqual([]);
  });

  it('refuses label_download_type inline (labels are served by link) and an unknown parameter, naming each', () => {
    expect(fields({ label_download_type: 'inline' })).toEqual(['label_download_type']);
    expect(flattenValidationErrors(validateSync(plainToInstance(LabelDownloadQueryDto, { label_download_type: 'inline' }), STRICT_VALIDATION))[0].message).toContain(
      'inline is not offered',
    );
    expect(fields({ page: '1', label_format: 'pdf' })).toEqual(['label_format']);
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
    [{ refund_status: 'refunded' }, 'refund_status'],
    [{ refund_status: 'approved,' }, 'refund_status'],
    [{ shipment_id: '' }, 'shipment_id'],
  ])('refuses %j naming %s', (query, field) => {
    expect(fields(query)).toEqual([field]);
  });

  it('says what a page size that is not a number must be, not that it is too large', () => {
    const dto = plainToInstance(ListLabelsQueryDto, { page_size: 'abc' });
    expect(flattenValidationErrors(validateSync(dto, { whitelist: true }))[0].message).toBe('page_size must be an integer from 1 to 500');
  });
});
