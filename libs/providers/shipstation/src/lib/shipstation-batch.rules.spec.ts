import { anAddress, aPurchaseCommand, aShipmentWithSenderPhone, aValidShipment } from '@shipbatch/providers/testing';
import { admitToBatch } from './shipstation-batch.rules';

const aCommand = (overrides: Parameters<typeof aShipmentWithSenderPhone>[0] = {}) => aPurchaseCommand({ shipment: aShipmentWithSenderPhone(overrides) });

describe('ShipStation batch rules', () => {
  it('admits shipments in a label file type ShipStation makes, grouped by warehouse (ship-from and return address)', () => {
    const one = admitToBatch('PDF_4x6', aCommand(), 'usps');
    expect(one).toEqual({ group: expect.stringMatching(/^Shipbatch [0-9a-f]{16}$/) });
    expect(admitToBatch('PDF_4x6', aCommand({ addressTo: anAddress({ name: 'Someone else', zip: '10001' }) }), 'usps')).toEqual(one);
    for (const type of ['PDF', 'PNG', 'ZPLII'] as const) expect(admitToBatch(type, aCommand(), 'usps')).toEqual(one);
    const from = aShipmentWithSenderPhone().addressFrom;
    expect(admitToBatch('PDF_4x6', aCommand({ addressFrom: { ...from, zip: '94118' } }), 'usps')).not.toEqual(one);
    expect(admitToBatch('PDF_4x6', aCommand({ addressReturn: anAddress({ name: 'Returns' }) }), 'usps')).not.toEqual(one);
  });

  it('refuses a label file type ShipStation does not make', () => {
    expect(admitToBatch('PDF_A4', aCommand(), 'usps')).toEqual({ refused: 'ShipStation makes no PDF_A4 labels (it makes PDF_4x6, PDF, PNG, ZPLII)' });
  });

  it('refuses a reference that does not fit external_shipment_id, another carrier, and a shipment ShipStation cannot take', () => {
    expect(admitToBatch('PDF_4x6', aPurchaseCommand({ reference: 'x'.repeat(51), shipment: aShipmentWithSenderPhone() }), 'usps')).toEqual({
      refused: 'the reference does not fit external_shipment_id (1 to 50 characters)',
    });
    expect(admitToBatch('PDF_4x6', aCommand(), 'ups')).toEqual({ refused: "the shipment's carrier usps is not the account's (ups)" });
    // No sender phone: ShipStation's ship_from (and a warehouse's origin address) needs one.
    expect(admitToBatch('PDF_4x6', aPurchaseCommand({ shipment: aValidShipment() }), 'usps')).toEqual({ refused: 'ShipStation cannot take the shipment as it is (bought alone, where its problems are named)' });
  });
});
