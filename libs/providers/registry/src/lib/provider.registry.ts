import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { LabelProvider, ProviderDefinition, SqlClient } from '@shipbatch/providers/core';
import { PROVIDER_DEFINITIONS } from './providers';

export interface RegistryAccount {
  id: string;
  provider: string;
  carrier: string;
  parameters: Record<string, unknown>;
  test: boolean;
}

export class UnknownProviderError extends Error {}

function flatten(errors: ValidationError[], parent: string): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) => ({
      field,
      message: `${field}: ${m.startsWith(e.property) ? m.slice(e.property.length).trim() : m}`,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Maps a carrier account to an adapter instance: one cached instance per account and parameters. */
export class ProviderRegistry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly definitions = new Map<string, ProviderDefinition<any>>();
  private readonly instances = new Map<string, { fingerprint: string; provider: LabelProvider }>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(definitions: ReadonlyArray<ProviderDefinition<any>> = PROVIDER_DEFINITIONS) {
    for (const d of definitions) {
      if (this.definitions.has(d.key)) throw new Error(`provider '${d.key}' is registered twice`);
      this.definitions.set(d.key, d);
    }
  }

  keys(): string[] {
    return [...this.definitions.keys()];
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(key: string): ProviderDefinition<any> {
    const d = this.definitions.get(key);
    if (!d) throw new UnknownProviderError(`no provider '${key}' is registered (registered: ${this.keys().join(', ')})`);
    return d;
  }

  /** Problems with an account's parameters, named `parameters.<field>`. */
  validateParameters(key: string, parameters: unknown): Array<{ field: string; message: string }> {
    const definition = this.get(key);
    if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
      return [{ field: 'parameters', message: 'parameters must be an object' }];
    }
    const options = plainToInstance(definition.optionsClass, parameters);
    const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
    return flatten(errors, 'parameters');
  }

  instanceFor(account: RegistryAccount, extras: { sql?: SqlClient; baseUrl?: string } = {}): LabelProvider {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([account.provider, account.carrier, account.test, account.parameters]))
      .digest('hex');
    const cached = this.instances.get(account.id);
    if (cached && cached.fingerprint === fingerprint) return cached.provider;
    const definition = this.get(account.provider);
    const options = plainToInstance(definition.optionsClass, account.parameters);
    const provider = definition.create(options, {
      carrierAccountId: account.id,
      carrier: account.carrier,
      test: account.test,
      sql: extras.sql,
      baseUrl: extras.baseUrl,
    });
    if (cached) void cached.provider.close?.();
    this.instances.set(account.id, { fingerprint, provider });
    return provider;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.instances.values()].map((i) => i.provider.close?.()));
    this.instances.clear();
  }
}
