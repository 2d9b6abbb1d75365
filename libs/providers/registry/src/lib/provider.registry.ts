import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { HttpObserver, LabelProvider, ProviderDefinition, ProviderPacer, SqlClient } from '@shipbatch/providers/core';
import { InvalidAccountOptionsError } from './invalid-account-options.error';
import { PROVIDER_DEFINITIONS } from './providers';
import { UnknownProviderError } from './unknown-provider.error';

/** The parts of a carrier account the registry needs. */
export interface RegistryAccount {
  id: string;
  provider: string;
  carrier: string;
  parameters: Record<string, unknown>;
  test: boolean;
}

/** What the service hands every instance besides the account itself. */
export interface RegistryContextExtras {
  sql?: SqlClient;
  /** Overrides the provider's base URL (tests); otherwise `baseUrls` or the definition's default. */
  baseUrl?: string;
  /** The operator's base URLs by environment variable name (AppConfig.providerBaseUrls). */
  baseUrls?: Readonly<Record<string, string>>;
  pacer?: ProviderPacer;
  /** Sees every HTTP try of every instance (metrics). */
  observer?: HttpObserver;
}

export interface ParameterProblem {
  field: string;
  message: string;
}

// Definitions differ in their options type; the registry only passes options through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = ProviderDefinition<any>;

function flatten(errors: ValidationError[], parent: string): ParameterProblem[] {
  return errors.flatMap((e) => {
    const field = `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) => ({
      field,
      message: `${field}: ${m.startsWith(e.property) ? m.slice(e.property.length).trim() : m}`,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** JSON with object keys sorted, so that the same parameters always hash the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Maps a carrier account to an adapter instance: one cached instance per account, made again
 * when the account's provider, carrier, test flag, parameters or SQL client change.
 */
export class ProviderRegistry {
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly instances = new Map<string, { fingerprint: string; sql?: SqlClient; pacer?: ProviderPacer; provider: LabelProvider }>();

  constructor(definitions: readonly AnyDefinition[] = PROVIDER_DEFINITIONS) {
    for (const d of definitions) {
      if (this.definitions.has(d.key)) throw new Error(`provider '${d.key}' is registered twice`);
      this.definitions.set(d.key, d);
    }
  }

  /** The keys of every registered provider, in registration order. */
  keys(): string[] {
    return [...this.definitions.keys()];
  }

  /** The definition registered under `key`; throws UnknownProviderError when there is none. */
  get(key: string): AnyDefinition {
    const d = this.definitions.get(key);
    if (!d) throw new UnknownProviderError(key, this.keys());
    return d;
  }

  /** Problems with an account's parameters, each naming its field as `parameters.<name>`. */
  validateParameters(key: string, parameters: unknown): ParameterProblem[] {
    const definition = this.get(key);
    if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
      return [{ field: 'parameters', message: 'parameters must be an object' }];
    }
    const options = plainToInstance(definition.optionsClass, parameters);
    const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
    return flatten(errors, 'parameters');
  }

  /** The base URL an instance of `key` talks to: the override, the operator's setting, or the default. */
  baseUrlFor(key: string, extras: RegistryContextExtras = {}): string | undefined {
    const definition = this.get(key);
    if (extras.baseUrl) return extras.baseUrl;
    if (!definition.baseUrl) return undefined;
    return extras.baseUrls?.[definition.baseUrl.env] ?? definition.baseUrl.default;
  }

  /**
   * The instance serving `account`, made on first use and cached by account id. Parameters the
   * provider does not accept throw InvalidAccountOptionsError (naming the fields, never values).
   */
  instanceFor(account: RegistryAccount, extras: RegistryContextExtras = {}): LabelProvider {
    const baseUrl = this.baseUrlFor(account.provider, extras);
    const fingerprint = createHash('sha256')
      .update(canonical([account.provider, account.carrier, account.test, account.parameters ?? {}, baseUrl ?? null]))
      .digest('hex');
    const cached = this.instances.get(account.id);
    if (cached && cached.fingerprint === fingerprint && cached.sql === extras.sql && cached.pacer === extras.pacer) return cached.provider;
    const definition = this.get(account.provider);
    const problems = this.validateParameters(account.provider, account.parameters ?? {});
    if (problems.length > 0) throw new InvalidAccountOptionsError(account.id, account.provider, problems);
    const options = plainToInstance(definition.optionsClass, account.parameters ?? {});
    const provider = definition.create(options, {
      carrierAccountId: account.id,
      carrier: account.carrier,
      test: account.test,
      sql: extras.sql,
      baseUrl,
      pacer: extras.pacer,
      observer: extras.observer,
    });
    // The replaced instance may still be finishing a call; closing it is best effort.
    if (cached) void cached.provider.close?.()?.catch(() => undefined);
    this.instances.set(account.id, { fingerprint, sql: extras.sql, pacer: extras.pacer, provider });
    return provider;
  }

  /** Closes every cached instance and forgets them. */
  async closeAll(): Promise<void> {
    const open = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(open.map((i) => i.provider.close?.()));
  }
}
