import { ValidationPipe } from '@nestjs/common';
import { ApiError, validationExceptionFactory } from '../http/api-error';
import { CreateBatchDto } from './create-batch.dto';

const pipe = new ValidationPipe({ whitelist: true, transform: true, exceptionFactory: validationExceptionFactory, validationError: { target: false, value: true } });
const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: CreateBatchDto });
const fieldOf = async (body: unknown) => {
  try {
    await validate(body);
    return null;
  } catch (e) {
    return (e as ApiError).items[0].field_name;
  }
};

const ok = { shipment: { address_from: 'a1', address_to: { street1: '1 Main', zip: '94103' }, parcels: [{ length: 1, width: '2', height: 3, distance_unit: 'in', weight: '1', mass_unit: 'lb' }] } };
const base = { default_carrier_account: 'ca', default_servicelevel_token: 'usps_priority' };

describe('CreateBatchDto', () => {
  it('accepts ids, inline objects and numbers for parcel sizes', async () => {
    const dto = await validate({ ...base, batch_shipments: [ok, { shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } }] });
    expect(dto.batch_shipments).toHaveLength(2);
  });

  it('names the field of a nested problem', async () => {
    expect(await fieldOf({ ...base, batch_shipments: [ok, { shipment: { ...ok.shipment, address_to: 5 } }] })).toBe(
      'batch_shipments[1].shipment.address_to',
    );
    expect(await fieldOf({ ...base, label_filetype: 'GIF', batch_shipments: [ok] })).toBe('label_filetype');
    expect(await fieldOf({ ...base, metadata: 'x'.repeat(101), batch_shipments: [ok] })).toBe('metadata');
    expect(await fieldOf({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, shipment_date: 'yesterday' } }] })).toBe(
      'batch_shipments[0].shipment.shipment_date',
    );
  });

  it('says which sub-field of an inline object is wrong', async () => {
    try {
      await validate({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, address_to: { zip: 94103 } } }] });
      throw new Error('expected a validation error');
    } catch (e) {
      expect((e as ApiError).items[0].message).toMatch(/address_to\.zip/);
    }
  });

  it('judges repeated inline objects the same way every time, stripping unknown fields from each copy', async () => {
    const from = { street1: '215 Clayton St.', city: 'San Francisco', zip: '94117', country: 'US' };
    const shipments = Array.from({ length: 3 }, () => ({
      shipment: { ...ok.shipment, address_from: { ...from }, address_to: { ...from, color: 'red' } },
    }));
    const dto = await validate({ ...base, batch_shipments: shipments });
    for (const s of dto.batch_shipments) {
      expect(s.shipment.address_from).toEqual(from);
      expect(s.shipment.address_to).toEqual(from);
    }
    const bad = { shipment: { ...ok.shipment, address_from: { ...from, zip: 94117 } } };
    expect(await fieldOf({ ...base, batch_shipments: [ok, bad] })).toBe('batch_shipments[1].shipment.address_from.zip');
    expect(await fieldOf({ ...base, batch_shipments: [bad, ok, bad] })).toBe('batch_shipments[0].shipment.address_from.zip');
  });

  it('names the item of an array of arrays, where ValidateNested alone would find nothing to check', async () => {
    expect(await fieldOf({ ...base, batch_shipments: [[]] })).toBe('batch_shipments[0]');
    expect(await fieldOf({ ...base, batch_shipments: [ok, [ok]] })).toBe('batch_shipments[1]');
    expect(await fieldOf({ ...base, batch_shipments: [null] })).toBe('batch_shipments[0]');
    expect(await fieldOf({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, parcels: [[]] } }] })).toBe('batch_shipments[0].shipment.parcels[0]');
  });

  it('names the parcel and the sub-field of an inline parcel at fault', async () => {
    const parcel = ok.shipment.parcels[0];
    const withParcels = (parcels: unknown[]) => ({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, parcels } }] });
    expect(await fieldOf(withParcels(['p1', { ...parcel, weight: '-1' }]))).toBe('batch_shipments[0].shipment.parcels[1].weight');
    expect(await fieldOf(withParcels([parcel, '']))).toBe('batch_shipments[0].shipment.parcels[1]');
    expect(await fieldOf({ ...base, batch_shipments: [{ shipment: { address_from: 'a', address_to: 'b', parcel: { ...parcel, height: 0 } } }] })).toBe(
      'batch_shipments[0].shipment.parcel.height',
    );
  });

  it('says a missing list is required, not that it is too long', async () => {
    try {
      await validate({ ...base });
      throw new Error('accepted');
    } catch (e) {
      expect((e as ApiError).items[0]).toMatchObject({ field_name: 'batch_shipments', message: 'batch_shipments is required' });
    }
  });

  it('says a list that is not one must be an array', async () => {
    try {
      await validate({ ...base, batch_shipments: 'many' });
      throw new Error('accepted');
    } catch (e) {
      expect((e as ApiError).items[0].message).toMatch(/^batch_shipments must be an array/);
    }
  });
});
