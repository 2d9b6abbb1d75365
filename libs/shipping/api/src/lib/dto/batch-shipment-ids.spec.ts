import { ApiError } from '../http/api-error';
import { toBatchShipmentIds } from './batch-shipment-ids';

const refusal = (body: unknown) => {
  try {
    toBatchShipmentIds(body);
    return null;
  } catch (e) {
    const item = (e as ApiError).items[0];
    return { status: (e as ApiError).getStatus(), field: item.field_name, message: item.message };
  }
};

describe('toBatchShipmentIds', () => {
  it('takes a non-empty array of ids as it is', () => {
    expect(toBatchShipmentIds(['bs_1', 'x'.repeat(64)])).toEqual(['bs_1', 'x'.repeat(64)]);
  });

  it('refuses a body that is not a non-empty array, naming the body', () => {
    for (const body of [undefined, null, {}, 'bs_1', []]) {
      expect(refusal(body)).toEqual({ status: 400, field: 'body', message: 'body must be a non-empty array of batch shipment ids' });
    }
  });

  it('names the first item that is not an id of 1 to 64 characters', () => {
    expect(refusal(['bs_1', 5, ''])).toEqual({ status: 400, field: '[1]', message: '[1] must be a batch shipment id (string)' });
    expect(refusal(['bs_1', 'bs_2', ''])).toMatchObject({ field: '[2]' });
    expect(refusal(['x'.repeat(65)])).toMatchObject({ field: '[0]' });
    expect(refusal([null])).toMatchObject({ field: '[0]' });
  });
});
