import type { AppConfig } from '@shipbatch/platform/config';
import type { BatchDetails, BatchQueriesService, LabelQueriesService, LabelView, WebhookObjectRef } from '@shipbatch/shipping/application';
import { Batch, BatchCounts, NotFoundError } from '@shipbatch/shipping/domain';
import { PresentedObjectRenderer } from './webhook-object.renderer';

const BASE_URL = 'https://ship.example';

const batch = (id: string, status: 'VALIDATING' | 'VALID' | 'PURCHASED' = 'VALID') =>
  new Batch({
    id,
    tenantId: 't1',
    status,
    defaultCarrierAccount: 'ca_1',
    defaultServicelevelToken: 'usps_priority',
    labelFiletype: 'PDF_4x6',
    metadata: 'm',
    labelFileKeys: [],
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    updatedAt: new Date('2026-01-02T03:04:06.000Z'),
  });

const details = (b: Batch, total = 1): BatchDetails => ({
  batch: b,
  counts: new BatchCounts({ VALID: total }, { NONE: total }),
  page: 1,
  labelUrls: [],
  shipments: {
    total,
    items: [
      {
        id: 'bs_1',
        status: 'VALID',
        purchaseState: 'NONE',
        shipmentId: 'shp_1',
        transactionId: null,
        carrierAccount: null,
        servicelevelToken: null,
        metadata: '',
        messages: [],
      },
    ],
  },
});

const label = (id: string, tenantId: string): LabelView => ({
  id,
  tenantId,
  batchId: 'b1',
  batchShipmentId: 'bs_1',
  shipmentId: 'shp_1',
  carrierAccountId: 'ca_1',
  provider: 'mock',
  providerLabelId: `p_${id}`,
  status: 'completed',
  trackingNumber: `TRK${id}`,
  carrier: 'usps',
  serviceCode: 'usps_priority',
  costMinor: 1234,
  currency: 'usd',
  labelFileType: 'PDF_4x6',
  fileKey: `labels/${id}.pdf`,
  fileUrl: null,
  warehouseId: null,
  externalShipmentId: null,
  isInternational: false,
  isReturnLabel: false,
  shipDate: null,
  voidedAt: null,
  metadata: '',
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  updatedAt: new Date('2026-01-02T03:04:05.000Z'),
  download: { format: 'pdf', url: `${BASE_URL}/files/labels/${id}.pdf?sig=x` },
});

const ref = (event: string, objectId: string, tenantId = 't1', eventPayload: Record<string, unknown> = {}): WebhookObjectRef => ({ tenantId, event, objectId, eventPayload });

function renderer(reads: { get?: BatchQueriesService['get']; getMany?: LabelQueriesService['getMany'] }) {
  const batches = { get: reads.get ?? (async () => Promise.reject(new Error('not expected'))) } as unknown as BatchQueriesService;
  const labels = { getMany: reads.getMany ?? (async () => new Map()) } as unknown as LabelQueriesService;
  return new PresentedObjectRenderer(batches, labels, { publicBaseUrl: BASE_URL } as AppConfig);
}

describe('PresentedObjectRenderer', () => {
  it('renders a batch event as GET /batches/{id} shows its first page, with the status the event announced', async () => {
    const get = jest.fn(async (_tenantId: string, id: string) => details(batch(id, 'PURCHASED')));
    const [data] = await renderer({ get }).renderMany([ref('batch_created', 'b1', 't1', { status: 'VALID' })]);

    expect(get).toHaveBeenCalledWith('t1', 'b1', 1);
    expect(data).toMatchObject({
      object_id: 'b1',
      object_owner: 't1',
      object_status: 'VALID',
      status: 'PURCHASED',
      object_created: '2026-01-02T03:04:05.000Z',
      batch_shipments: { count: 1, next: null, previous: null, results: [{ object_id: 'bs_1', shipment: 'shp_1' }] },
    });
  });

  it('keeps the batch status when the event names none', async () => {
    const [data] = await renderer({ get: async (_t, id) => details(batch(id, 'VALIDATING')) }).renderMany([ref('batch_purchased', 'b1')]);
    expect(data).toMatchObject({ object_status: 'VALIDATING', status: 'VALIDATING' });
  });

  it('links the next page of shipments with the public base URL', async () => {
    const [data] = await renderer({ get: async (_t, id) => details(batch(id), 150) }).renderMany([ref('batch_created', 'b1')]);
    expect(data).toMatchObject({ batch_shipments: { count: 150, next: `${BASE_URL}/batches/b1?page=2`, previous: null } });
  });

  it('renders null for a batch that is gone, and lets any other failure through', async () => {
    const gone = renderer({ get: async (_t, id) => Promise.reject(new NotFoundError('Batch', id)) });
    expect(await gone.renderMany([ref('batch_created', 'b1')])).toEqual([null]);

    const broken = renderer({ get: async () => Promise.reject(new Error('database down')) });
    await expect(broken.renderMany([ref('batch_created', 'b1')])).rejects.toThrow('database down');
  });

  it('reads transactions in one query a tenant and renders each as GET /transactions/{id}, null when gone', async () => {
    const getMany = jest.fn(async (tenantId: string, ids: readonly string[]) => new Map(ids.filter((id) => id !== 'l_gone').map((id) => [id, label(id, tenantId)])));
    const out = await renderer({ getMany }).renderMany([
      ref('transaction_created', 'l1', 't1'),
      ref('transaction_created', 'l2', 't2'),
      ref('transaction_updated', 'l_gone', 't1'),
      ref('transaction_updated', 'l3', 't1'),
    ]);

    expect(getMany.mock.calls).toEqual([
      ['t1', ['l1', 'l_gone', 'l3']],
      ['t2', ['l2']],
    ]);
    expect(out[0]).toMatchObject({ object_id: 'l1', object_owner: 't1', status: 'SUCCESS', amount: '12.34', currency: 'USD', label_url: `${BASE_URL}/files/labels/l1.pdf?sig=x` });
    expect(out[1]).toMatchObject({ object_id: 'l2', object_owner: 't2' });
    expect(out[2]).toBeNull();
    expect(out[3]).toMatchObject({ object_id: 'l3', tracking_number: 'TRKl3' });
  });

  it('renders null for an event about nothing it knows', async () => {
    expect(await renderer({}).renderMany([ref('something_else', 'x')])).toEqual([null]);
  });
});
