import { type AppConfig, DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { type LabelProvider, ProviderUnavailableError, type ValidateShipmentCommand } from '@shipbatch/providers/core';
import {
  type CarrierAccountRecord,
  type CarrierAccountRepository,
  ExpressFirst,
  type ProviderGateway,
  ValidateBatchUseCase,
} from '@shipbatch/shipping/application';
import { TypeormBatchRepository } from './batch.repository';
import { TypeormReconcileRepository } from './reconcile.repository';
import { TypeormValidationRepository } from './validation.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const ADDRESS = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
const shipment = (name: string) => ({ shipment: { address_from: ADDRESS, address_to: { ...ADDRESS, name }, parcels: [PARCEL] } });

const UNREACHABLE = 'shipstation: GET /v2/carriers/se-1/services failed: connection refused (ECONNREFUSED) (3 attempts)';

/**
 * A provider whose validation is recorded (the recipient's name of every shipment asked about)
 * and can be held: `hold()` makes the next calls wait until `letGo()`.
 */
class RecordingProvider {
  readonly asked: string[] = [];
  failWith?: Error;
  private gate?: Promise<void>;
  private open?: () => void;
  private arrived?: () => void;

  /** The next calls wait; resolves once one has arrived. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    return new Promise((resolve) => (this.arrived = resolve));
  }

  letGo(): void {
    this.gate = undefined;
    this.open?.();
  }

  readonly provider = {
    key: 'shipstation',
    capabilities: { purchaseDeduplication: 'lookup', funding: { prepaidBalance: false, addFunds: false } },
    validateShipment: async (command: ValidateShipmentCommand) => {
      this.asked.push(command.shipment.addressTo.name ?? '');
      this.arrived?.();
      if (this.gate) await this.gate;
      if (this.failWith) throw this.failWith;
      return [];
    },
  } as unknown as LabelProvider;
}

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('validation runs of a batch on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let batches: TypeormBatchRepository;
  let reconcile: TypeormReconcileRepository;
  let stub: RecordingProvider;
  let validations: TypeormValidationRepository;
  const account = { id: 'ca', tenantId: 't1', provider: 'shipstation', carrier: 'usps', active: true } as CarrierAccountRecord;
  const accounts = { list: async () => [account] } as unknown as CarrierAccountRepository;
  const gateway = { forAccount: () => stub.provider } as unknown as ProviderGateway;
  const validator = (repo: TypeormValidationRepository = validations, workers = DEFAULT_WORKER_SETTINGS) =>
    new ValidateBatchUseCase(repo, accounts, gateway, { workers } as AppConfig);

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_validation') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-validation-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    batches = new TypeormBatchRepository(db.dataSource);
    validations = new TypeormValidationRepository(db.dataSource);
    reconcile = new TypeormReconcileRepository(db.dataSource, { mode: onPostgres ? 'scale-out' : 'embedded' } as AppConfig);
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });
  beforeEach(() => {
    stub = new RecordingProvider();
  });

  const newBatch = (id: string, names: string[]) =>
    batches.create(
      { id, tenantId: 't1', defaultCarrierAccount: 'ca', defaultServicelevelToken: 'usps_priority', labelFiletype: 'PDF_4x6', metadata: '' },
      names.map((name, i) => ({ id: `${id}-s${i}`, input: shipment(name) })),
    );
  const statusOf = async (id: string) => (await db.dataSource.query(`SELECT status FROM batches WHERE id = $1`, [id]))[0].status;
  const shipmentsOf = async (id: string): Promise<Array<{ status: string; messages: unknown[] }>> =>
    db.dataSource.query(`SELECT status, messages FROM batch_shipments WHERE batch_id = $1 ORDER BY position`, [id]);
  const events = async (id: string) =>
    (await db.dataSource.query(`SELECT type FROM outbox_events WHERE object_id = $1 ORDER BY created_at`, [id])).map((r: { type: string }) => r.type);

  it('validates a small batch as an express job: regular steps of the process are held meanwhile, and not after', async () => {
    await newBatch('express', ['A', 'B']);
    const first = new ExpressFirst();
    const useCase = new ValidateBatchUseCase(validations, accounts, gateway, { workers: DEFAULT_WORKER_SETTINGS } as AppConfig, undefined, first);
    const arrived = stub.hold();
    const run = useCase.execute('express', { express: true });
    await arrived;
    expect(first.express).toBe(1);
    stub.letGo();
    await run;
    expect(first.express).toBe(0);
    expect(await statusOf('express')).toBe('VALID');
    // Without the flag, the same batch's validation is regular work.
    await newBatch('regular', ['C']);
    const held = stub.hold();
    const regular = useCase.execute('regular');
    await held;
    expect(first.express).toBe(0);
    stub.letGo();
    await regular;
  });

  it('ends on a provider that cannot be reached: every shipment INVALID naming the provider and the cause, asked once, batch_created written', async () => {
    await newBatch('down', ['A', 'B', 'C']);
    stub.failWith = new ProviderUnavailableError(UNREACHABLE, { details: { network_error: 'ECONNREFUSED' } });
    await validator().execute('down');
    expect(await statusOf('down')).toBe('INVALID');
    const expected = {
      source: 'shipstation',
      code: 'provider_unavailable',
      text: `${UNREACHABLE}; the provider could not be reached, so the shipment was not validated`,
    };
    expect(await shipmentsOf('down')).toEqual(['A', 'B', 'C'].map(() => ({ status: 'INVALID', messages: [expected] })));
    // The account is known unreachable after the first shipment: the rest cost no call.
    expect(stub.asked).toEqual(['A']);
    expect(await events('down')).toEqual(['batch_created']);
  });

  it('runs one validation of a batch at a time: a second run leaves at once and no shipment is asked about twice', async () => {
    await newBatch('race', ['A', 'B', 'C']);
    const first = stub.hold();
    const running = validator().execute('race');
    await first;
    // The first run holds the batch (waiting on the provider); the second leaves without asking anything.
    await validator().execute('race');
    expect(stub.asked).toEqual(['A']);
    stub.letGo();
    await running;
    expect(stub.asked).toEqual(['A', 'B', 'C']);
    expect(await statusOf('race')).toBe('VALID');
  });

  it('leaves a batch a validator holds to it: the reconciler rings it only once its lease ran out, once per stale period', async () => {
    await newBatch('held', ['A']);
    const first = stub.hold();
    const running = validator().execute('held');
    await first;
    expect(await reconcile.validationsToRing(0)).not.toContain('held');
    stub.letGo();
    await running;
    expect(await statusOf('held')).toBe('VALID');

    // A validator died holding a batch: nothing rings it while its lease lasts; then once per stale period.
    await newBatch('orphan', ['A']);
    const old = `updated_at = now() - interval '2 minutes'`;
    await db.dataSource.query(`UPDATE batches SET validation_lease_until = now() + interval '1 minute', ${old} WHERE id = 'orphan'`);
    expect(await reconcile.validationsToRing(0)).not.toContain('orphan');
    await db.dataSource.query(`UPDATE batches SET validation_lease_until = now() - interval '2 minutes', ${old} WHERE id = 'orphan'`);
    expect(await reconcile.validationsToRing(60_000)).toContain('orphan');
    expect(await reconcile.validationsToRing(60_000)).not.toContain('orphan');
    await validator().execute('orphan');
    expect(await statusOf('orphan')).toBe('VALID');
  });

  it('holds the batch for the validation lease the configuration gives (VALIDATION_LEASE_SECONDS)', async () => {
    await newBatch('leased', ['A']);
    const leases: number[] = [];
    const recording = new (class extends TypeormValidationRepository {
      override async claimValidation(batchId: string, leaseMs: number) {
        leases.push(leaseMs);
        return super.claimValidation(batchId, leaseMs);
      }
    })(db.dataSource);
    await validator(recording, { ...DEFAULT_WORKER_SETTINGS, validationLeaseMs: 7_000 }).execute('leased');
    expect(leases[0]).toBe(7_000);
    expect(await statusOf('leased')).toBe('VALID');
  });

  it('validates shipments added while a run was finishing, whose own job found the batch held', async () => {
    await newBatch('late', ['A']);
    let added = false;
    const addWhileFinishing = new (class extends TypeormValidationRepository {
      override async finishValidation(batchId: string) {
        if (!added) {
          added = true;
          await batches.withLockedBatch('t1', batchId, async (scope) => {
            await scope.appendShipments([{ id: 'late-s1', input: shipment('Late') }]);
            await scope.apply(scope.batch.transition('shipments_added'));
          });
          // The job rung for the added shipment runs now and finds the batch held.
          await validator().execute(batchId);
        }
        return super.finishValidation(batchId);
      }
    })(db.dataSource);
    await validator(addWhileFinishing).execute('late');
    expect(stub.asked).toEqual(['A', 'Late']);
    expect(await statusOf('late')).toBe('VALID');
    expect(await events('late')).toEqual(['batch_created']);
  });
});
