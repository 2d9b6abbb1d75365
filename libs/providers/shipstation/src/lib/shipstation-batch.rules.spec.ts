import { anAddress, aPurchaseCommand, aShipmentWithSenderPhone } from '@shipbatch/providers/testing';
import { batchShareExclusion, SHIPSTATION_MAX_BATCH_SIZE } from './shipstation-batch.rules';

const aCommand = (overrides: Parameters<typeof aShipmentWithSenderPhone>[0] = {}) => aPurchaseCommand({ shipment: aShipmentWithSenderPhone(overrides) });

describe('ShipStation batch rules', () => {
  it('lets a share that ships from one address, in a label file type ShipStation makes, into a batch', () => {
    const share = [aCommand(), aCommand(), aCommand({ addressTo: anAddress({ name: 'Someone else', zip: '10001' }) })];
    for (const type of ['PDF_4x6', 'PDF', 'PNG', 'ZPLII'] as const) expect(batchShareExclusion(type, share)).toBeUndefined();
  });

  it('keeps out a share in a label file type ShipStation does not make', () => {
    expect(batchShareExclusion('PDF_A4', [aCommand()])).toBe('ShipStation makes no PDF_A4 labels (it makes PDF_4x6, PDF, PNG, ZPLII)');
  });

  it('keeps out a share shipping from more than one warehouse (ship-from or return address)', () => {
    const other = aShipmentWithSenderPhone().addressFrom;
    expect(batchShareExclusion('PDF_4x6', [aCommand(), aCommand({ addressFrom: { ...other, zip: '94118' } })])).toBe(
      'a ShipStation batch ships from one warehouse, and the share ships from 2 different ship-from / return addresses',
    );
    expect(batchShareExclusion('PDF_4x6', [aCommand(), aCommand({ addressReturn: anAddress({ name: 'Returns' }) })])).toMatch(/from one warehouse/);
  });

  it('keeps out a share whose references do not fit external_shipment_id, an empty share and one past the size', () => {
    expect(batchShareExclusion('PDF_4x6', [aPurchaseCommand({ reference: 'x'.repeat(51), shipment: aShipmentWithSenderPhone() })])).toMatch(/does not fit external_shipment_id/);
    expect(batchShareExclusion('PDF_4x6', [])).toBe('the share has no shipments');
    const one = aCommand();
    expect(batchShareExclusion('PDF_4x6', new Array(SHIPSTATION_MAX_BATCH_SIZE + 1).fill(one))).toMatch(/at most 10000 shipments/);
  });
});
