import { anAddress, aPurchaseCommand, aShipmentWithSenderPhone } from '@shipbatch/providers/testing';
import {
  batchErrorCode,
  batchErrorsByReference,
  batchPhase,
  createdShipments,
  listPages,
  processErrorMessages,
  toBatchLabel,
  toNativeBatchStatus,
  toProcessRequest,
  toSsShipmentCreate,
  warehouseFor,
} from './shipstation-batch.mapper';
import type { SsListedLabel } from './shipstation-batch.types';

const aListedLabel = (overrides: Partial<SsListedLabel> = {}): SsListedLabel => ({
  label_id: 'se-200001',
  status: 'completed',
  shipment_id: 'se-700001',
  batch_id: 'se-900001',
  external_shipment_id: 'ref-1',
  created_at: '2026-04-07T09:04:00.000Z',
  shipment_cost: { currency: 'usd', amount: 7.58 },
  insurance_cost: { currency: 'usd', amount: 0 },
  tracking_number: '9400111000000000000001',
  service_code: 'usps_priority_mail',
  voided: false,
  label_format: 'pdf',
  label_layout: '4x6',
  label_download: { href: 'https://api.shipstation.com/v2/downloads/10/abc/label-200001.pdf' },
  ...overrides,
});

describe('ShipStation batch mapper', () => {
  it('sends a batch shipment with its warehouse instead of ship_from, our reference as external_shipment_id', () => {
    const command = aPurchaseCommand({
      reference: 'ref-1',
      serviceLevelToken: 'fedex_2_day',
      shipment: aShipmentWithSenderPhone({ addressReturn: anAddress({ name: 'Returns' }), shipmentDate: '2026-04-08' }),
    });
    expect(toSsShipmentCreate(command, 'se-1001', 'se-3001')).toEqual({
      validate_address: 'no_validation',
      carrier_id: 'se-1001',
      service_code: 'fedex_2day',
      external_shipment_id: 'ref-1',
      warehouse_id: 'se-3001',
      ship_date: '2026-04-08T00:00:00Z',
      ship_to: { name: 'Mr Hippo', address_line1: '965 Mission St', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94103', country_code: 'US' },
      packages: [{ weight: { value: 2, unit: 'pound' }, dimensions: { length: 10, width: 8, height: 4, unit: 'inch' } }],
    });
    const plain = toSsShipmentCreate(aPurchaseCommand({ shipment: aShipmentWithSenderPhone() }), 'se-1001', 'se-3001');
    expect(plain).not.toHaveProperty('ship_date');
    expect(plain).not.toHaveProperty('ship_from');
    expect(plain).not.toHaveProperty('return_to');
  });

  it('names one warehouse per ship-from and return address pair, whatever the case and spacing', () => {
    const from = anAddress({ name: 'Shippo Warehouse', street1: '215 Clayton St.', zip: '94117', phone: '415-555-0100' });
    const same = warehouseFor(from);
    expect(same.name).toMatch(/^Shipbatch [0-9a-f]{16}$/);
    expect(warehouseFor({ ...from, street1: ' 215 CLAYTON ST. ', city: 'san francisco' }).name).toBe(same.name);
    // No return address: the ship-from is the return address.
    expect(warehouseFor(from, from).name).toBe(same.name);
    expect(warehouseFor(from, anAddress({ name: 'Returns' })).name).not.toBe(same.name);
    expect(warehouseFor({ ...from, zip: '94118' }).name).not.toBe(same.name);
    expect(same.request).toEqual({
      name: same.name,
      is_default: false,
      origin_address: { name: 'Shippo Warehouse', phone: '415-555-0100', address_line1: '215 Clayton St.', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94117', country_code: 'US' },
      return_address: { name: 'Shippo Warehouse', phone: '415-555-0100', address_line1: '215 Clayton St.', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94117', country_code: 'US' },
    });
    expect(warehouseFor(from, anAddress({ name: 'Returns' })).request.return_address.name).toBe('Returns');
  });

  it('reads a bulk create answer per reference sent: the shipment id, or ShipStation\'s errors', () => {
    const out = createdShipments(
      {
        has_errors: true,
        shipments: [
          { shipment_id: 'se-702', external_shipment_id: 'ref-2', errors: ["Parameter value '100000000.00' is out of range."] },
          { shipment_id: 'se-701', external_shipment_id: 'ref-1', errors: [] },
        ],
      },
      ['ref-1', 'ref-2', 'ref-3'],
    );
    expect(out).toEqual([
      { reference: 'ref-1', shipmentId: 'se-701', messages: [] },
      { reference: 'ref-2', messages: [{ source: 'shipstation', code: 'shipment_error', text: "Parameter value '100000000.00' is out of range." }] },
      { reference: 'ref-3', messages: [{ source: 'shipstation', code: 'shipment_not_created', text: "ShipStation's answer names no shipment with external_shipment_id ref-3." }] },
    ]);
    // An answer without external ids, one shipment per shipment sent: matched by place.
    expect(createdShipments({ has_errors: false, shipments: [{ shipment_id: 'se-1' }, { shipment_id: 'se-2' }] }, ['a', 'b']).map((s) => s.shipmentId)).toEqual(['se-1', 'se-2']);
  });

  it('tells where a batch is from its status; only completed, completed_with_errors, invalid and archived are final', () => {
    expect(batchPhase('open')).toBe('OPEN');
    for (const s of ['queued', 'processing', 'notifying', 'something_new']) expect(batchPhase(s)).toBe('PROCESSING');
    for (const s of ['completed', 'completed_with_errors', 'invalid', 'archived']) expect(batchPhase(s)).toBe('DONE');
  });

  it('gives the core a status: open READY, invalid FAILED, final ones PURCHASED, the rest PURCHASING', () => {
    expect(toNativeBatchStatus('open')).toBe('READY');
    expect(toNativeBatchStatus('invalid')).toBe('FAILED');
    for (const s of ['completed', 'completed_with_errors', 'archived']) expect(toNativeBatchStatus(s)).toBe('PURCHASED');
    for (const s of ['queued', 'processing', 'notifying', 'something_new']) expect(toNativeBatchStatus(s)).toBe('PURCHASING');
  });

  it('counts a list\'s pages from its answer: pages, else the last link, else a next link', () => {
    expect(listPages(1, { pages: 3 })).toBe(3);
    expect(listPages(2, { pages: 0, links: { last: { href: 'https://api.shipstation.com/v2/batches/se-1/errors?page=4&pagesize=500' } } })).toBe(4);
    expect(listPages(1, { links: { last: { href: '/v2/batches/se-1/errors?page=1' }, next: {} } })).toBe(1);
    expect(listPages(2, { links: { next: { href: '/v2/labels?page=3' } } })).toBe(3);
    expect(listPages(2, { links: { next: {} } })).toBe(2);
    expect(listPages(1, {})).toBe(1);
  });

  it('puts batch errors on the right shipments, keeping ShipStation\'s text, and tells insufficient funds by its words', () => {
    const refs = new Map([['se-702', 'ref-2']]);
    const { byReference, unmatched } = batchErrorsByReference(
      [
        { error: 'Insufficient account balance', shipment_id: 'se-701', external_shipment_id: 'ref-1' },
        { error: 'Recipient address has not been verified.', shipment_id: 'se-702' },
        { error: 'Something else', shipment_id: 'se-799' },
        { shipment_id: 'se-702' },
      ],
      (id) => refs.get(id),
    );
    expect(byReference.get('ref-1')).toEqual([{ source: 'shipstation', code: 'insufficient_funds', text: 'Insufficient account balance' }]);
    expect(byReference.get('ref-2')).toEqual([
      { source: 'shipstation', code: 'batch_error', text: 'Recipient address has not been verified.' },
      { source: 'shipstation', code: 'batch_error', text: 'ShipStation reported an error for this shipment without a message.' },
    ]);
    expect(unmatched).toEqual([{ source: 'shipstation', code: 'batch_error', text: 'Something else' }]);
    expect(batchErrorCode('Insufficient funds to purchase label')).toBe('insufficient_funds');
    expect(batchErrorCode('insufficient balance')).toBe('insufficient_funds');
    expect(batchErrorCode('Funds are fine')).toBe('batch_error');
  });

  it('keeps the code and text of a batch\'s process errors', () => {
    expect(
      processErrorMessages({ process_errors: [{ error_source: 'shipengine', error_type: 'business_rules', error_code: 'insufficient_funds', message: 'Your account balance is too low.' }, { message: '' }] }),
    ).toEqual([
      { source: 'shipstation', code: 'insufficient_funds', text: 'Your account balance is too low.' },
      { source: 'shipstation', code: 'batch_process_error', text: 'ShipStation could not process the batch.' },
    ]);
    expect(processErrorMessages({ process_errors: null })).toEqual([]);
  });

  it('processes a batch in its one label format and layout, leaving each shipment its own ship_date', () => {
    expect(toProcessRequest('PDF')).toEqual({ label_format: 'pdf', label_layout: 'letter' });
    expect(toProcessRequest('PDF_4x6')).toEqual({ label_format: 'pdf', label_layout: '4x6' });
    expect(toProcessRequest('ZPLII')).toEqual({ label_format: 'zpl', label_layout: '4x6' });
    expect(toProcessRequest('PNG')).toEqual({ label_format: 'png', label_layout: '4x6' });
    expect(toProcessRequest('PDF_A4')).toBeUndefined();
  });

  it('turns a label listed by batch into our reference and a PurchasedLabel; other labels are not ours to record', () => {
    const refs = new Map([['se-700002', 'ref-2']]);
    const referenceOf = (id: string) => refs.get(id);
    expect(toBatchLabel(aListedLabel(), referenceOf, 'usps')).toEqual({
      reference: 'ref-1',
      label: {
        providerLabelId: 'se-200001',
        reference: 'ref-1',
        trackingNumber: '9400111000000000000001',
        carrier: 'usps',
        serviceLevelToken: 'usps_priority',
        cost: { amountMinor: 758, currency: 'usd' },
        createdAt: '2026-04-07T09:04:00.000Z',
        documentUrl: 'https://api.shipstation.com/v2/downloads/10/abc/label-200001.pdf',
      },
    });
    expect(toBatchLabel(aListedLabel({ external_shipment_id: null, shipment_id: 'se-700002' }), referenceOf, 'usps')?.reference).toBe('ref-2');
    expect(toBatchLabel(aListedLabel({ external_shipment_id: null, shipment_id: 'se-700003' }), referenceOf, 'usps')).toBeUndefined();
    expect(toBatchLabel(aListedLabel({ status: 'processing' }), referenceOf, 'usps')).toBeUndefined();
    expect(toBatchLabel(aListedLabel({ status: 'error' }), referenceOf, 'usps')).toBeUndefined();
    expect(toBatchLabel(aListedLabel({ voided: true }), referenceOf, 'usps')).toBeUndefined();
  });
});
