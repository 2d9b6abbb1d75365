import { ProviderRegistry } from '@shipbatch/providers/registry';
import type { CarrierAccountRecord, CarrierAccountRepository } from './carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CarrierAccountsBootCheck } from './carrier-accounts.boot-check';

const account = (id: string, provider: string, parameters: Record<string, unknown>) => ({ id, tenantId: 't1', provider, parameters }) as CarrierAccountRecord;

describe('CarrierAccountsBootCheck', () => {
  const registry = new ProviderRegistry();
  // The real registry's validation behind the gateway port: what a process checks at start.
  const gateway = {
    knownProviders: () => registry.keys(),
    validateParameters: (provider: string, parameters: unknown) => registry.validateParameters(provider, parameters),
  } as unknown as ProviderGateway;
  const repo = (accounts: CarrierAccountRecord[]) => ({ listActiveUnscoped: async () => accounts }) as unknown as CarrierAccountRepository;

  it('reports each stored account its provider refuses, naming the fields and never the values', async () => {
    const check = new CarrierAccountsBootCheck(
      repo([
        account('ok', 'mock', { label_cost: '5.00' }),
        account('bad', 'shipstation', { api_key: 'TEST_secret_value', carrier_id: 7 }),
        account('gone', 'acme_post', {}),
      ]),
      gateway,
    );
    const report = await check.check();
    expect(report.checked).toBe(3);
    expect(report.invalid.map((i) => i.carrierAccountId)).toEqual(['bad', 'gone']);
    expect(report.invalid[0].problems.join(' ')).toMatch(/parameters\.carrier_id/);
    expect(report.invalid[1].problems).toEqual(["provider 'acme_post' is not registered in this build"]);
    expect(JSON.stringify(report)).not.toContain('TEST_secret_value');
  });

  it('never stops a process from starting, even when the accounts cannot be read', async () => {
    const broken = { listActiveUnscoped: async () => Promise.reject(new Error('cannot decrypt')) } as unknown as CarrierAccountRepository;
    await expect(new CarrierAccountsBootCheck(broken, gateway).onApplicationBootstrap()).resolves.toBeUndefined();
  });
});
