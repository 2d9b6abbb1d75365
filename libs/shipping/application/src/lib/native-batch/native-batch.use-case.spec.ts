import { ProviderRateLimitedError, ProviderUnavailableError } from '@shipbatch/providers/core';
import { aLabel, ids, preparingPort, setup, validatingPort } from '../__fixtures__/native-batch.fixtures';
import { nativeJobId, nativePageJobId } from './native-batch.jobs';
import { DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import { NATIVE_MAX_FAILURES } from './native-batch.jobs';

describe('NativeBatchUseCase', () => {
  it('validating provider: creates, fails and removes what it found invalid, purchases once, reads every page once and records every label', async () => {
    const all = ids(250);
    const { natives, log, runAll, recorded } = setup(all, (l) => validatingPort(l, all, { invalid: ['s1'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.row.providerBatchId).toBe('pb1');
    expect(log.filter((l) => !l.startsWith('label'))).toEqual(['create 250', 'remove p-s1', 'purchase', 'page 1', 'page 1', 'page 2', 'page 3']);
    expect(log.filter((l) => l.startsWith('label'))).toHaveLength(249);
    expect(natives.ship.get('s1')).toBe('FAILED');
    expect(natives.messages.get('s1')).toBe('address_invalid: bad address');
    expect(new Set(recorded).size).toBe(249);
    expect(recorded).toHaveLength(249);
  });

  it('preparing provider: makes the shipments in chunks first, creates the batch with their ids, takes labels as listed and failures from their own list', async () => {
    const all = ids(620);
    const { natives, log, runAll, recorded, singles } = setup(all, (l) => preparingPort(l, all, { chunk: 100, errors: ['s3'], alone: ['s4', 's5'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(log.filter((l) => l.startsWith('prepare'))).toEqual(['prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 20']);
    expect(log.filter((l) => !l.startsWith('prepare'))).toEqual(['create 620 true', 'purchase', 'labels 1', 'errors 1', 'labels 1', 'labels 2', 'errors 1']);
    expect(natives.messages.get('s3')).toBe('batch_error: carrier refused s3');
    // Insufficient funds inside the batch: bought alone (funding applies there), looked up first.
    expect(singles).toEqual(['s4', 's5']);
    expect([...natives.lookups]).toEqual(['s4', 's5']);
    expect(recorded).toHaveLength(617);
    expect(log.filter((l) => l === 'purchase')).toHaveLength(1);
  });

  it('finds the provider batch of a create whose answer was lost instead of creating another', async () => {
    const all = ids(60);
    const { natives, log, runAll } = setup(all, (l) => preparingPort(l, all, { loseCreateAnswer: true }));
    await runAll(200);
    expect(log.filter((l) => l.startsWith('create') || l.startsWith('find'))).toEqual(['create 60 true', 'find nb1']);
    expect(natives.row.providerBatchId).toBe('se-batch-nb1');
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.row.failures).toBe(1);
  });

  it('never asks for the purchase twice: after a purchase that may have taken, it only reads', async () => {
    const all = ids(3);
    const { natives, log, runAll } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    await runAll(12);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
  });

  it('a purchase that may have taken is only read afterwards, even when earlier failures used up the retries: never given to single purchases', async () => {
    const all = ids(3);
    const { natives, log, runAll, singles } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    natives.row.failures = NATIVE_MAX_FAILURES;
    await runAll(12);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
    expect(singles).toEqual([]);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
  });

  it('a purchase of unknown outcome whose provider batch stays READY long after it was asked for was not made: bought alone, looked up first, never asked again', async () => {
    const all = ids(3);
    const { natives, log, runAll, singles } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    await runAll(6);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
    expect(singles).toEqual([]);
    // Longer ago than NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS, and still READY at the provider.
    natives.row.purchaseRequestedAt = new Date(Date.now() - DEFAULT_WORKER_SETTINGS.nativeBatch.purchaseUntakenMs - 1_000);
    await runAll(6);
    expect(natives.row.state).toBe('FAILED');
    expect(singles).toEqual(all);
    expect([...natives.lookups]).toEqual(all);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
  });

  it('a purchase whose answer was lost but which the provider made is collected, however long it took', async () => {
    const all = ids(3);
    const { natives, runAll, recorded, singles } = setup(all, (l) => validatingPort(l, all, { purchaseLost: true }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(3);
    expect(singles).toEqual([]);
  });

  it('a worker that dies in a step (its create sent, its answer never read): another takes the step up once the lease runs out, and finds the batch', async () => {
    const all = ids(60);
    let hang = true;
    const { natives, log, useCase, jobs, runAll } = setup(all, (l) => {
      const port = preparingPort(l, all);
      const create = port.create.bind(port);
      port.create = async (input) => {
        const made = await create(input);
        if (!hang) return made;
        hang = false;
        return new Promise(() => undefined); // the worker died here: no answer, no finally
      };
      return port;
    });
    while (natives.row.createSentAt === null) {
      const job = jobs.shift();
      if (!job) break;
      void useCase.execute(job.data);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    natives.leased = false; // its lease ran out
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(log.filter((l) => l.startsWith('create') || l.startsWith('find'))).toEqual(['create 60 true', 'find nb1']);
  });

  it('resumes from the recorded state after a crash, without creating the provider batch again', async () => {
    const all = ids(3);
    const { natives, log, useCase, runAll, jobs } = setup(all, (l) => validatingPort(l, all));
    await useCase.execute(jobs.shift()?.data ?? { nativeBatchId: 'nb1' });
    expect(natives.row.state).toBe('CREATED');
    // The worker died holding the lease and its next job was lost: the lease runs out, the reconciler rings it.
    jobs.splice(0);
    natives.leased = false;
    jobs.push({ data: { nativeBatchId: 'nb1' }, id: '' });
    await runAll();
    expect(log.filter((l) => l.startsWith('create'))).toHaveLength(1);
    expect(natives.row.state).toBe('COLLECTED');
  });

  it('takes no step while another worker holds the lease', async () => {
    const all = ids(3);
    const { natives, log, useCase } = setup(all, (l) => validatingPort(l, all));
    natives.leased = true;
    await useCase.execute({ nativeBatchId: 'nb1' });
    expect(log).toEqual([]);
    expect(natives.row.state).toBe('CREATING');
  });

  it('collects pages on several workers at once, and a page run twice (a repeated job, a dead worker) records nothing twice', async () => {
    const all = ids(1000);
    const { natives, jobs, runAll, runPagesAtOnce, useCase, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    expect(jobs.filter((j) => j.data.page !== undefined).map((j) => j.data.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Page 4 again, once its lease is free, as a dead worker's or a repeated job's would be.
    const again = { nativeBatchId: 'nb1', list: 'labels' as const, page: 4 };
    await runPagesAtOnce();
    for (const p of natives.pageRows.filter((row) => row.page === 4)) p.done = false;
    await useCase.execute(again);
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(1000);
    expect(new Set(recorded).size).toBe(1000);
  });

  it('rings a page a dead worker abandoned under a new job id once its lease ran out (its old job still counts as active)', async () => {
    const all = ids(300);
    const { natives, jobs, dead, runAll, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    // A worker takes page 2's job, leases the page and dies; its lease runs out.
    const taken = jobs.splice(jobs.findIndex((j) => j.data.page === 2), 1)[0];
    dead.add(taken.id);
    await natives.leasePage('nb1', 'labels', 2, 60_000);
    for (const p of natives.pageRows.filter((row) => row.page === 2)) p.leaseUntil = Date.now() - 1;
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(300);
  });

  it("finishes when the worker that took the step's look died with it: each page done rings a look of its own for after the leases", async () => {
    const all = ids(300);
    const { natives, jobs, dead, runAll, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    // One worker took the step's look and page 2, and died; its lease on page 2 runs out.
    for (const taken of jobs.splice(0).filter((j) => j.data.page === undefined || j.data.page === 2)) dead.add(taken.id);
    jobs.push(...[1, 3].map((page) => ({ data: { nativeBatchId: 'nb1', list: 'labels' as const, page }, id: `p${page}` })));
    await natives.leasePage('nb1', 'labels', 2, 60_000);
    for (const p of natives.pageRows.filter((row) => row.page === 2)) p.leaseUntil = Date.now() - 1;
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(300);
  });

  it('gives a shipment the provider batch never held back to single purchases once every page is read, looked up first', async () => {
    const all = ids(150);
    const { natives, runAll, singles, recorded } = setup(all, (l) => validatingPort(l, all, { missing: ['s7'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(singles).toEqual(['s7']);
    expect(natives.lookups.has('s7')).toBe(true);
    expect(recorded).toHaveLength(149);
  });

  it('after the purchase, a shipment of ours on no page is bought alone, looked up first', async () => {
    const all = ids(150);
    const { natives, runAll, singles } = setup(all, (l) => {
      const port = validatingPort(l, all);
      const list = port.list.bind(port);
      port.list = async (id, name, page) => {
        const read = await list(id, name, page);
        return { ...read, items: read.items.filter((i) => i.reference !== 's120') };
      };
      return port;
    });
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(singles).toEqual(['s120']);
    expect(natives.lookups.has('s120')).toBe(true);
  });

  it('waits out a rate limit on a page without counting it, however often it comes', async () => {
    const all = ids(2);
    let limited = 12;
    const { natives, runAll } = setup(all, (l) => {
      const port = validatingPort(l, all);
      const list = port.list.bind(port);
      port.list = async (id, name, page) => {
        if (natives.row.state === 'PURCHASED' && limited-- > 0) throw new ProviderRateLimitedError('429', { retryAfterMs: 3_000 });
        return list(id, name, page);
      };
      return port;
    });
    await runAll(300);
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.pageRows.map((p) => p.failures)).toEqual([0]);
    expect([...natives.ship.values()]).toEqual(['PURCHASED', 'PURCHASED']);
  });

  it('reads a page again after a failed label read, and gives a page that keeps failing up: its shipments are bought alone, looked up first', async () => {
    const all = ids(150);
    let flaky = 1;
    const { natives, runAll, recorded, singles } = setup(all, (l) => {
      const port = validatingPort(l, all);
      port.label = async (labelRef, reference) => {
        if (reference === 's3' && flaky-- > 0) throw new ProviderUnavailableError('503');
        if (reference === 's140') throw new ProviderUnavailableError('503');
        return aLabel(reference, labelRef);
      };
      return port;
    });
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.ship.get('s3')).toBe('PURCHASED');
    expect(singles).toEqual(['s140']);
    expect(natives.lookups.has('s140')).toBe(true);
    expect(recorded).toHaveLength(149);
    expect(natives.pageRows.map((p) => p.failures)).toEqual([1, 8]);
  });

  it('names its jobs with three parts: steps unique per ring, pages one per page and round', () => {
    const a = nativeJobId('nb1', 'created');
    expect(a.split(':')).toHaveLength(3);
    expect(nativeJobId('nb1', 'created')).not.toBe(a);
    expect(nativePageJobId('nb1', 'labels', 3, 0).split(':')).toHaveLength(3);
    expect(nativePageJobId('nb1', 'labels', 3, 0)).toBe(nativePageJobId('nb1', 'labels', 3, 0));
    expect(nativePageJobId('nb1', 'labels', 3, 1)).not.toBe(nativePageJobId('nb1', 'labels', 3, 0));
  });
});
