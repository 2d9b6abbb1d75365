import { type LabelProvider, ProviderNotFoundError, ProviderUnavailableError, type VoidResult } from '@shipbatch/providers/core';
import { NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { LabelRecord, LabelRepository } from './label.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { VoidLabelUseCase } from './void-label.use-case';

const base = { id: 'l1', tenantId: 't1', carrierAccountId: 'ca1', providerLabelId: 'p1', status: 'completed', voidedAt: null } as LabelRecord;

function setup(opts: { label?: LabelRecord | null; voidLabel?: () => Promise<VoidResult>; canVoid?: boolean; afterRefusal?: LabelRecord }) {
  const log: string[] = [];
  let current = opts.label === undefined ? base : opts.label;
  const labels = {
    findById: async (tenantId: string, id: string) => {
      log.push(`find ${tenantId}/${id}`);
      if (log.filter((l) => l.startsWith('find')).length > 1 && opts.afterRefusal) return opts.afterRefusal;
      return current;
    },
    markVoided: async () => {
      log.push('markVoided');
      current = current && { ...current, status: 'voided' as const, voidedAt: new Date(0) };
      return current;
    },
  } as unknown as LabelRepository;
  const provider: LabelProvider = {
    key: 'fake',
    capabilities: {
      rates: false,
      addressValidation: false,
      purchaseDeduplication: 'none',
      labelFileTypes: ['PDF_4x6'],
      funding: { prepaidBalance: false, addFunds: false },
      serviceLevels: {},
      shipmentExtras: {},
      voidWindowHours: opts.canVoid === false ? undefined : 24,
    },
    validateShipment: async () => [],
    purchaseLabel: async () => {
      throw new Error('not here');
    },
    findPurchase: async () => null,
    voidLabel:
      opts.canVoid === false
        ? undefined
        : async (id) => {
            log.push(`provider void ${id}`);
            return (opts.voidLabel ?? (async () => ({ approved: true, message: 'ok' })))();
          },
  };
  const accounts = {
    findById: async (tenantId: string, id: string) => ({ id, tenantId, provider: 'fake' }) as CarrierAccountRecord,
  } as unknown as CarrierAccountRepository;
  const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
  return { log, useCase: new VoidLabelUseCase(labels, accounts, gateway) };
}

describe('VoidLabelUseCase', () => {
  it('voids through the provider and records the void', async () => {
    const { log, useCase } = setup({});
    expect(await useCase.execute('t1', 'l1')).toEqual({ approved: true, message: 'ok' });
    expect(log).toEqual(['find t1/l1', 'provider void p1', 'markVoided']);
  });

  it('answers a second void as approved without asking the provider again', async () => {
    const { log, useCase } = setup({ label: { ...base, status: 'voided', voidedAt: new Date(Date.UTC(2026, 0, 1)) } });
    expect(await useCase.execute('t1', 'l1')).toEqual({ approved: true, message: 'Label l1 was already voided at 2026-01-01T00:00:00.000Z.' });
    expect(log).toEqual(['find t1/l1']);
  });

  it('passes a provider refusal on and records nothing', async () => {
    const { log, useCase } = setup({ voidLabel: async () => ({ approved: false, message: 'too late' }) });
    expect(await useCase.execute('t1', 'l1')).toEqual({ approved: false, message: 'too late' });
    expect(log).not.toContain('markVoided');
  });

  it('answers approved when the refusal came from a void that raced this one and won', async () => {
    const { useCase } = setup({
      voidLabel: async () => ({ approved: false, message: 'already voided' }),
      afterRefusal: { ...base, status: 'voided', voidedAt: new Date(0) },
    });
    expect((await useCase.execute('t1', 'l1')).approved).toBe(true);
  });

  it('says clearly when the provider cannot void labels', async () => {
    const { log, useCase } = setup({ canVoid: false });
    const result = await useCase.execute('t1', 'l1');
    expect(result.approved).toBe(false);
    expect(result.message).toMatch(/cannot void labels/);
    expect(log).toEqual(['find t1/l1']);
  });

  it('turns provider failures into approved: false with the reason', async () => {
    const down = setup({ voidLabel: async () => Promise.reject(new ProviderUnavailableError('timeout')) });
    expect(await down.useCase.execute('t1', 'l1')).toEqual({ approved: false, message: expect.stringMatching(/timeout.*try again later/) });
    const gone = setup({ voidLabel: async () => Promise.reject(new ProviderNotFoundError('no such label')) });
    expect(await gone.useCase.execute('t1', 'l1')).toEqual({ approved: false, message: expect.stringMatching(/no such label/) });
    expect(gone.log).not.toContain('markVoided');
  });

  it("answers 404 for an unknown label or another tenant's", async () => {
    const { useCase } = setup({ label: null });
    await expect(useCase.execute('t2', 'l1')).rejects.toBeInstanceOf(NotFoundError);
  });
});
