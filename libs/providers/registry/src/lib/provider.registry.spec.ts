import { randomUUID } from 'node:crypto';
import { createPgliteSqlClient } from '@shipbatch/providers/testing';
import { ProviderRegistry } from './provider.registry';

describe('ProviderRegistry', () => {
  const registry = new ProviderRegistry();

  it('registers the mock provider', () => {
    expect(registry.keys()).toContain('mock');
    expect(() => registry.get('nope')).toThrow(/no provider 'nope'/);
  });

  it('names the parameter that is wrong', () => {
    expect(registry.validateParameters('mock', { fail_rate: 0.1, latency_ms: 5 })).toEqual([]);
    expect(registry.validateParameters('mock', { fail_rate: 2 })).toEqual([
      expect.objectContaining({ field: 'parameters.fail_rate' }),
    ]);
    expect(registry.validateParameters('mock', { typo: 1 })[0].field).toBe('parameters.typo');
    expect(registry.validateParameters('mock', 'x')[0].field).toBe('parameters');
  });

  it('caches one instance per account and makes a new one when parameters change', async () => {
    const { client, close } = await createPgliteSqlClient();
    const account = { id: randomUUID(), provider: 'mock', carrier: 'usps', parameters: { fail_rate: 0 }, test: true };
    const first = registry.instanceFor(account, { sql: client });
    expect(registry.instanceFor({ ...account }, { sql: client })).toBe(first);
    expect(registry.instanceFor({ ...account, parameters: { fail_rate: 1 } }, { sql: client })).not.toBe(first);
    await registry.closeAll();
    await close();
  });
});
