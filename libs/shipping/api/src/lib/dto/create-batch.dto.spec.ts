import { ValidationPipe } from '@nestjs/common';
import { ApiError, validationExceptionFactory } from '../http/api-error';
import { STRICT_VALIDATION } from '../http/validation-options';
import { CreateBatchDto } from './create-batch.dto';
import { toShipmentInput } from './shipment.dto';

const pipe = new ValidationPipe({ ...STRICT_VALIDATION, exceptionFactory: validationExceptionFactory });
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

  it('judges repeated inline objects the same way every time, refusing an unknown field in any copy', async () => {
    const from = { street1: '215 Clayton St.', city: 'San Francisco', zip: '94117', country: 'US' };
    const shipments = Array.from({ length: 3 }, () => ({ shipment: { ...ok.shipment, address_from: { ...from }, address_to: { ...from } } }));
    const dto = await validate({ ...base, batch_shipments: shipments });
    for (const s of dto.batch_shipments) {
      expect(s.shipment.address_from).toEqual(from);
      expect(s.shipment.address_to).toEqual(from);
    }
    const colored = { shipment: { ...ok.shipment, address_to: { ...from, color: 'red' } } };
    expect(await fieldOf({ ...base, batch_shipments: [...shipments, colored] })).toBe('batch_shipments[3].shipment.address_to.color');
    expect(await fieldOf({ ...base, batch_shipments: [colored, ...shipments] })).toBe('batch_shipments[0].shipment.address_to.color');
    const bad = { shipment: { ...ok.shipment, address_from: { ...from, zip: 94117 } } };
    expect(await fieldOf({ ...base, batch_shipments: [ok, bad] })).toBe('batch_shipments[1].shipment.address_from.zip');
    expect(await fieldOf({ ...base, batch_shipments: [bad, ok, bad] })).toBe('batch_shipments[0].shipment.address_from.zip');
  });

  it('refuses an unknown field anywhere, naming it; accepts the SDK fields that change nothing', async () => {
    const items = async (body: unknown) => {
      try {
        await validate(body);
        return [];
      } catch (e) {
        return (e as ApiError).items.map((i) => [i.field_name, i.error_code]);
      }
    };
    expect(await items({ ...base, batch_shipments: [ok], test: true })).toEqual([['test', 'unknown_field']]);
    expect(await items({ ...base, batch_shipments: [{ ...ok, rate: 'r1' }] })).toEqual([['batch_shipments[0].rate', 'unknown_field']]);
    expect(await items({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, customs_declaration: 'c1' } }] })).toEqual([
      ['batch_shipments[0].shipment.customs_declaration', 'unknown_field'],
    ]);
    expect(await items({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, extra: { signature: 'ADULT' } } }] })).toEqual([
      ['batch_shipments[0].shipment.extra.signature', 'unknown_field'],
    ]);
    const sdk = { shipment: { ...ok.shipment, async: false, carrier_accounts: ['ca'], object_purpose: 'PURCHASE', address_to: { zip: '94103', validate: true } } };
    expect(await items({ ...base, batch_shipments: [sdk] })).toEqual([]);
  });

  it('takes Shippo\'s extra options, checked for their type, and keeps them as sent', async () => {
    const extra = { signature_confirmation: 'ADULT', insurance: { amount: 100, currency: 'USD', content: 'books' }, reference_1: 'PO 7', billing: { type: 'SENDER' } };
    const dto = await validate({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, extra } }] });
    expect(toShipmentInput(dto.batch_shipments[0].shipment).extra).toEqual({ ...extra, insurance: { amount: '100', currency: 'USD', content: 'books' } });
    const bad = (e: unknown) => fieldOf({ ...base, batch_shipments: [{ shipment: { ...ok.shipment, extra: e } }] });
    expect(await bad({ signature_confirmation: 'YES' })).toBe('batch_shipments[0].shipment.extra.signature_confirmation');
    expect(await bad({ insurance: { amount: '-1', currency: 'USD' } })).toBe('batch_shipments[0].shipment.extra.insurance.amount');
    expect(await bad({ insurance: { amount: '1', currency: 'USD', deductible: '5' } })).toBe('batch_shipments[0].shipment.extra.insurance.deductible');
    expect(await bad({ reference_1: 'x'.repeat(51) })).toBe('batch_shipments[0].shipment.extra.reference_1');
    expect(await bad('ADULT')).toBe('batch_shipments[0].shipment.extra');
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
