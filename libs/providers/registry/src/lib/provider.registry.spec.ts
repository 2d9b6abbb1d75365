import { randomUUID } from 'node:crypto';
import { IsOptional, IsString } from 'class-validator';
import type { LabelProvider, ProviderContext, ProviderDefinition, SqlClient } from '@shipbatch/providers/core';
import { mockProviderDefinition } from '@shipbatch/providers/mock';
import { ProviderRegistry } from './provider.registry';
import { PROVIDER_DEFINITIONS } from './providers';
import { InvalidAccountOptionsError } from './invalid-account-options.error';
import { UnknownProviderError } from './unknown-provider.error';

/** Never queried: instances are made lazily and touch no database until called. */
const sql: SqlClient = {
  query: () => Promise.reject(new Error('not in this test')),
  transaction: () => Promise.reject(new Error('not in this test')),
};

class FakeOptions {
  @IsOptional() @IsString() region?: string = 'eu';
}

/** A definition that records what it was asked to create. */
function fakeDefinition(key = 'fake') {
  const created: Array<{ options: FakeOptions; context: ProviderContext; provider: LabelProvider & { closed: boolean } }> = [];
  const definition: ProviderDefinition<FakeOptions> = {
    key,
    displayName: 'Fake',
    optionsClass: FakeOptions,
    capabilities: mockProviderDefinition.capabilities,
    create(options, context) {
      const provider = {
        key,
        capabilities: mockProviderDefinition.capabilities,
        closed: false,
        validateShipment: async () => [],
        purchaseLabel: () => Promise.reject(new Error('fake')),
        findPurchase: async () => null,
        close: async () => {
          provider.closed = true;
        },
      };
      created.push({ options, context, provider });
      return provider;
    },
  };
  return { definition, created };
}

const account = (over: Partial<{ id: string; provider: string; carrier: string; parameters: Record<string, unknown>; test: boolean }> = {}) => ({
  id: randomUUID(),
  provider: 'fake',
  carrier: 'usps',
  parameters: {},
  test: true,
  ...over,
});

describe('ProviderRegistry', () => {
  it('registers the mock provider by default, in providers.ts', () => {
    expect(PROVIDER_DEFINITIONS).toContain(mockProviderDefinition);
    const registry = new ProviderRegistry();
    // Every registered definition, in providers.ts order (a new adapter's line adds its key here).
    expect(registry.keys()).toEqual(PROVIDER_DEFINITIONS.map((d) => d.key));
    expect(registry.keys().slice(0, 3)).toEqual(['mock', 'shipstation', 'shippo']);
    expect(registry.get('mock')).toBe(mockProviderDefinition);
  });

  it('throws a clear error for an unknown provider, and refuses a key registered twice', () => {
    const registry = new ProviderRegistry();
    expect(() => registry.get('nope')).toThrow(UnknownProviderError);
    expect(() => registry.get('nope')).toThrow(`no provider 'nope' is registered (registered: ${PROVIDER_DEFINITIONS.map((d) => d.key).join(', ')})`);
    expect(() => registry.instanceFor(account({ provider: 'nope' }), { sql })).toThrow(UnknownProviderError);
    expect(() => new ProviderRegistry([mockProviderDefinition, mockProviderDefinition])).toThrow(/registered twice/);
  });

  describe('validateParameters', () => {
    const registry = new ProviderRegistry();

    it('accepts valid parameters', () => {
      expect(registry.validateParameters('mock', {})).toEqual([]);
      expect(registry.validateParameters('mock', { fail_rate: 0.1, latency_ms: 5, rate_limit_per_minute: 100, initial_balance: 10, label_cost: 1.5 })).toEqual([]);
    });

    it('names the parameter that is wrong', () => {
      expect(registry.validateParameters('mock', { fail_rate: 2 })).toEqual([
        { field: 'parameters.fail_rate', message: 'parameters.fail_rate: must not be greater than 1' },
      ]);
      expect(registry.validateParameters('mock', { latency_ms: -1, label_cost: 'x' }).map((p) => p.field)).toEqual([
        'parameters.latency_ms',
        'parameters.label_cost',
        'parameters.label_cost',
      ]);
    });

    it('takes numbers sent as decimal strings, and says "must be a number" of anything else', () => {
      expect(registry.validateParameters('mock', { label_cost: '5.00', initial_balance: ' 100 ', latency_ms: '0' })).toEqual([]);
      expect(registry.validateParameters('mock', { label_cost: 'abc' })[0]).toEqual({
        field: 'parameters.label_cost',
        message: 'parameters.label_cost: must be a number',
      });
      const provider = registry.instanceFor(account({ provider: 'mock', parameters: { label_cost: '5.00' } }), { sql });
      expect(provider.key).toBe('mock');
    });

    it('refuses unknown parameters and parameters that are not an object', () => {
      expect(registry.validateParameters('mock', { typo: 1 })).toEqual([
        { field: 'parameters.typo', message: 'parameters.typo: property typo should not exist' },
      ]);
      for (const bad of ['x', null, [], 3]) expect(registry.validateParameters('mock', bad)).toEqual([{ field: 'parameters', message: 'parameters must be an object' }]);
    });

    it('throws for an unknown provider', () => {
      expect(() => registry.validateParameters('nope', {})).toThrow(UnknownProviderError);
    });
  });

  describe('instanceFor', () => {
    it('creates an instance with the account\'s options (defaults applied) and context', () => {
      const { definition, created } = fakeDefinition();
      const registry = new ProviderRegistry([definition]);
      const a = account({ carrier: 'ups', test: false });
      registry.instanceFor(a, { sql, baseUrl: 'http://127.0.0.1:1' });
      expect(created).toHaveLength(1);
      expect(created[0].options).toBeInstanceOf(FakeOptions);
      expect(created[0].options.region).toBe('eu');
      expect(created[0].context).toEqual({ carrierAccountId: a.id, carrier: 'ups', test: false, sql, baseUrl: 'http://127.0.0.1:1' });
    });

    it('caches one instance per account id', () => {
      const { definition, created } = fakeDefinition();
      const registry = new ProviderRegistry([definition]);
      const a = account({ parameters: { region: 'us' } });
      const first = registry.instanceFor(a, { sql });
      expect(registry.instanceFor({ ...a, parameters: { region: 'us' } }, { sql })).toBe(first);
      expect(registry.instanceFor(account(), { sql })).not.toBe(first);
      expect(created).toHaveLength(2);
    });

    it('makes a new instance when the parameters change, and closes the old one', () => {
      const { definition, created } = fakeDefinition();
      const registry = new ProviderRegistry([definition]);
      const a = account({ parameters: { region: 'us' } });
      const first = registry.instanceFor(a, { sql });
      const second = registry.instanceFor({ ...a, parameters: { region: 'ca' } }, { sql });
      expect(second).not.toBe(first);
      expect(created[0].provider.closed).toBe(true);
      expect(created[1].options.region).toBe('ca');
      expect(registry.instanceFor({ ...a, parameters: { region: 'ca' } }, { sql })).toBe(second);
    });

    it('hashes parameters without regard to key order', () => {
      const registry = new ProviderRegistry();
      const a = account({ provider: 'mock', parameters: { fail_rate: 0.1, latency_ms: 1 } });
      const first = registry.instanceFor(a, { sql });
      expect(registry.instanceFor({ ...a, parameters: { latency_ms: 1, fail_rate: 0.1 } }, { sql })).toBe(first);
      expect(registry.instanceFor({ ...a, parameters: { latency_ms: 2, fail_rate: 0.1 } }, { sql })).not.toBe(first);
    });

    it('makes a new instance when the carrier, test flag or SQL client change', () => {
      const registry = new ProviderRegistry();
      const a = account({ provider: 'mock' });
      const first = registry.instanceFor(a, { sql });
      expect(registry.instanceFor({ ...a, carrier: 'ups' }, { sql })).not.toBe(first);
      const second = registry.instanceFor({ ...a, carrier: 'ups' }, { sql });
      expect(registry.instanceFor({ ...a, carrier: 'ups', test: false }, { sql })).not.toBe(second);
      const third = registry.instanceFor({ ...a, carrier: 'ups', test: false }, { sql });
      expect(registry.instanceFor({ ...a, carrier: 'ups', test: false }, { sql: { ...sql } })).not.toBe(third);
    });

    it('gives the instance the operator\'s base URL for its variable, else the definition\'s default', () => {
      const { definition, created } = fakeDefinition();
      const withUrl = { ...definition, baseUrl: { env: 'FAKE_BASE_URL', default: 'https://api.fake.test' } };
      const registry = new ProviderRegistry([withUrl]);
      registry.instanceFor(account(), { sql });
      registry.instanceFor(account(), { sql, baseUrls: { FAKE_BASE_URL: 'http://127.0.0.1:9' } });
      registry.instanceFor(account(), { sql, baseUrls: { FAKE_BASE_URL: 'http://127.0.0.1:9' }, baseUrl: 'http://127.0.0.1:10' });
      expect(created.map((c) => c.context.baseUrl)).toEqual(['https://api.fake.test', 'http://127.0.0.1:9', 'http://127.0.0.1:10']);
    });

    it('refuses stored parameters the provider does not accept, naming the fields and not the values', () => {
      const registry = new ProviderRegistry();
      const a = account({ provider: 'mock', parameters: { fail_rate: 7, secret_typo: 'sk_live_123' } });
      const attempt = () => registry.instanceFor(a, { sql });
      expect(attempt).toThrow(InvalidAccountOptionsError);
      expect(attempt).toThrow(/parameters\.fail_rate/);
      expect(attempt).toThrow(/parameters\.secret_typo/);
      expect(attempt).not.toThrow(/sk_live_123/);
    });

    it('passes on the definition\'s refusal (mock without SQL)', () => {
      expect(() => new ProviderRegistry().instanceFor(account({ provider: 'mock' }))).toThrow(/needs context\.sql/);
    });
  });

  it('closes every instance on closeAll and starts afresh', async () => {
    const { definition, created } = fakeDefinition();
    const registry = new ProviderRegistry([definition]);
    const a = account();
    const first = registry.instanceFor(a, { sql });
    registry.instanceFor(account(), { sql });
    await registry.closeAll();
    expect(created.map((c) => c.provider.closed)).toEqual([true, true]);
    expect(registry.instanceFor(a, { sql })).not.toBe(first);
  });
});
