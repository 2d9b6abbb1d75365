import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from '../http/api-error';
import { BatchShipmentDto, toBatchShipmentInput } from './batch-shipment.dto';

const pipe = new ValidationPipe({ whitelist: true, transform: true, exceptionFactory: validationExceptionFactory });
const validate = (body: unknown): Promise<BatchShipmentDto> => pipe.transform(body, { type: 'body', metatype: BatchShipmentDto });

describe('toBatchShipmentInput', () => {
  it('carries every field the client sent, addresses and parcels by id or inline', async () => {
    const dto = await validate({
      carrier_account: 'ca_1',
      servicelevel_token: 'usps_priority',
      metadata: 'order 7',
      shipment: {
        object_purpose: 'PURCHASE',
        address_from: 'adr_1',
        address_to: { name: 'Ann', street1: '1 Main', city: 'SF', state: 'CA', zip: '94103', country: 'US' },
        address_return: 'adr_2',
        parcels: ['prc_1', { length: 1, width: '2', height: 3, distance_unit: 'in', weight: '1.5', mass_unit: 'lb' }],
        shipment_date: '2026-01-02T00:00:00Z',
        metadata: 'm',
        external_shipment_id: 'ext_1',
      },
    });

    const input = toBatchShipmentInput(dto);

    expect(input).toEqual({
      carrier_account: 'ca_1',
      servicelevel_token: 'usps_priority',
      metadata: 'order 7',
      shipment: {
        object_purpose: 'PURCHASE',
        address_from: 'adr_1',
        address_to: expect.objectContaining({ name: 'Ann', street1: '1 Main', city: 'SF', state: 'CA', zip: '94103', country: 'US' }),
        address_return: 'adr_2',
        parcels: ['prc_1', expect.objectContaining({ length: '1', width: '2', height: '3', distance_unit: 'in', weight: '1.5', mass_unit: 'lb' })],
        parcel: undefined,
        shipment_date: '2026-01-02T00:00:00Z',
        metadata: 'm',
        external_shipment_id: 'ext_1',
      },
    });
  });

  it('leaves out what the client did not send', async () => {
    const input = toBatchShipmentInput(await validate({ shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } }));
    expect(JSON.parse(JSON.stringify(input))).toEqual({ shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } });
  });
});
