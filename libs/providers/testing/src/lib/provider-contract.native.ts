import { randomUUID } from 'node:crypto';
import {
  isProviderError,
  type LabelFileType,
  type LabelProvider,
  type NativeBatchMember,
  type NativeBatchOutcome,
  type NativeBatchPort,
  type NativeBatchStatus,
  type PurchaseLabelCommand,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import type { ContractHttp } from './provider-contract.http';

/** What the native batch cases need from the suite. */
export interface NativeCaseKit {
  /** False when the cases are defined at run time and this provider has no native batch: each case then passes without a call. */
  enabled(): boolean;
  provider(): LabelProvider;
  /** A purchase the provider accepts, with a fresh reference. */
  command(): PurchaseLabelCommand;
  fileType(): LabelFileType;
  http(): ContractHttp | undefined;
}

/** Reads of a provider batch before it is taken to be stuck (the fakes settle after a read or two). */
const MAX_POLLS = 50;

function port(kit: NativeCaseKit): NativeBatchPort {
  const p = kit.provider().nativeBatch;
  if (!p) throw new Error("the provider's capabilities declare nativeBatch, but it has no nativeBatch port");
  return p;
}

async function until(p: NativeBatchPort, providerBatchId: string, done: (s: NativeBatchStatus) => boolean): Promise<NativeBatchStatus> {
  let status: NativeBatchStatus = await p.status(providerBatchId);
  for (let i = 0; i < MAX_POLLS && !done(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await p.status(providerBatchId);
  }
  return status;
}

/** The sequence up to a provider batch ready to buy, as the core runs it: admit, prepare in chunks, create. */
async function readyBatch(kit: NativeCaseKit, commands: PurchaseLabelCommand[]): Promise<{ providerBatchId: string; reference: string }> {
  const p = port(kit);
  const fileType = kit.fileType();
  if (p.admit) {
    const groups = new Set(commands.map((c) => p.admit?.(fileType, c)).map((a) => JSON.stringify(a)));
    expect(groups.size).toBe(1);
    expect([...groups][0]).toContain('"group"');
  }
  const reference = randomUUID().replace(/-/g, '');
  const members: NativeBatchMember[] = commands.map((command) => ({ command }));
  if (p.prepare) {
    expect(p.prepareChunkSize).toBeGreaterThan(0);
    const size = p.prepareChunkSize ?? commands.length;
    for (let i = 0; i < commands.length; i += size) {
      for (const made of await p.prepare({ reference, labelFileType: fileType, commands: commands.slice(i, i + size) })) {
        if (!('providerShipmentId' in made)) throw new Error(`prepare refused a valid shipment: ${JSON.stringify(made)}`);
        const member = members.find((m) => m.command.reference === made.reference);
        expect(member).toBeDefined();
        if (member) member.providerShipmentId = made.providerShipmentId;
      }
    }
    expect(members.every((m) => m.providerShipmentId)).toBe(true);
  }
  const { providerBatchId } = await p.create({ reference, batchReference: randomUUID().replace(/-/g, ''), labelFileType: fileType, members });
  expect(providerBatchId).toEqual(expect.any(String));
  expect(await until(p, providerBatchId, (s) => s !== 'VALIDATING')).toBe('READY');
  if (p.review) expect(await p.review(providerBatchId)).toEqual([]);
  return { providerBatchId, reference };
}

/** Every outcome of every page of every list of a purchased provider batch. */
async function outcomes(p: NativeBatchPort, providerBatchId: string): Promise<NativeBatchOutcome[]> {
  const all: NativeBatchOutcome[] = [];
  for (const list of p.lists) {
    const first = await p.list(providerBatchId, list, 1);
    expect(first.pages).toBeGreaterThanOrEqual(1);
    all.push(...first.items);
    for (let page = 2; page <= first.pages; page++) all.push(...(await p.list(providerBatchId, list, page)).items);
  }
  return all;
}

/** The label of a `label` or `bought` outcome. */
async function labelOf(p: NativeBatchPort, o: NativeBatchOutcome): Promise<PurchasedLabel> {
  if (o.kind === 'label') return o.label;
  if (o.kind !== 'bought') throw new Error(`${o.reference} was not bought: ${JSON.stringify(o)}`);
  if (!p.label) throw new Error('the port lists bought outcomes, so it must read their labels (label)');
  return p.label(o.labelRef, o.reference);
}

/** The contract's native batch cases, for adapters whose capabilities declare `nativeBatch`. Defined inside the suite's describe. */
export function describeNativeBatchCases(kit: NativeCaseKit): void {
  describe('nativeBatch', () => {
    it('declares what the core needs: its lists (labels first), and a chunk size with prepare, a label reader for bought outcomes', () => {
      if (!kit.enabled()) return;
      const p = port(kit);
      expect(p.lists[0]).toBe('labels');
      for (const list of p.lists) expect(['labels', 'errors']).toContain(list);
      expect(kit.provider().capabilities.nativeBatch?.maxSize).toBeGreaterThan(0);
      if (p.prepare) expect(p.prepareChunkSize).toBeGreaterThan(0);
      if (p.remove) expect(p.review).toBeDefined();
    });

    it('runs the whole sequence: each shipment bought once under our reference, its label read, and listed on exactly one page', async () => {
      if (!kit.enabled()) return;
      const p = port(kit);
      const commands = [kit.command(), kit.command(), kit.command()];
      const { providerBatchId } = await readyBatch(kit, commands);
      await p.purchase(providerBatchId, { labelFileType: kit.fileType() });
      expect(await until(p, providerBatchId, (s) => s === 'PURCHASED' || s === 'FAILED')).toBe('PURCHASED');
      const all = await outcomes(p, providerBatchId);
      expect(all.map((o) => o.reference).sort()).toEqual(commands.map((c) => c.reference).sort());
      for (const o of all) {
        const label = await labelOf(p, o);
        expect(label).toMatchObject({ reference: o.reference, carrier: commands[0].carrier, providerLabelId: expect.any(String) });
        expect(label.trackingNumber).toMatch(/^\S{8,}$/);
        expect(label.cost.amountMinor).toBeGreaterThan(0);
        expect(label.document?.content.length || label.documentUrl).toBeTruthy();
        const sales = kit.http()?.sales;
        if (sales) expect(await sales(o.reference)).toBe(1);
      }
      // A page read again (another worker, a repeated job) tells the same.
      expect((await p.list(providerBatchId, p.lists[0], 1)).items.map((o) => o.reference)).toEqual(
        (await p.list(providerBatchId, p.lists[0], 1)).items.map((o) => o.reference),
      );
    });

    it('prepare repeated (an answer lost) finds the shipments it made and makes no other (when it prepares)', async () => {
      if (!kit.enabled()) return;
      const p = port(kit);
      if (!p.prepare) return;
      const commands = [kit.command(), kit.command()];
      const input = { reference: randomUUID().replace(/-/g, ''), labelFileType: kit.fileType(), commands };
      const first = await p.prepare(input);
      const again = await p.prepare(input);
      expect(again).toEqual(first);
      expect(first.map((m) => m.reference)).toEqual(commands.map((c) => c.reference));
    });

    it('find finds a provider batch by our reference, and nothing for another (when it can)', async () => {
      if (!kit.enabled()) return;
      const p = port(kit);
      if (!p.find) return;
      const { providerBatchId, reference } = await readyBatch(kit, [kit.command()]);
      expect(await p.find(reference)).toEqual({ providerBatchId });
      expect(await p.find(randomUUID().replace(/-/g, ''))).toBeNull();
    });

    it('a purchase whose answer was lost is not repeated by the transport: it may have committed, and the batch is bought once', async () => {
      if (!kit.enabled()) return;
      const http = kit.http();
      if (!http) return;
      if (!http.nativePurchase) throw new Error("an HTTP adapter with nativeBatch names its batch purchase request (http.nativePurchase) for the contract's fault cases");
      const p = port(kit);
      const command = kit.command();
      const { providerBatchId } = await readyBatch(kit, [command]);
      http.faults.inject({ kind: 'lost_answer' }, { ...http.nativePurchase, times: 1 });
      const error = await p.purchase(providerBatchId, { labelFileType: kit.fileType() }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isProviderError(error) && error.possiblyCommitted).toBe(true);
      expect(await until(p, providerBatchId, (s) => s === 'PURCHASED' || s === 'FAILED')).toBe('PURCHASED');
      const [only] = await outcomes(p, providerBatchId);
      expect(only.reference).toBe(command.reference);
      if (http.sales) expect(await http.sales(command.reference)).toBe(1);
    });
  });
}
