import type { LabelProvider } from '@shipbatch/providers/core';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';

/** Hands out the provider adapter instance serving a carrier account. */
export interface ProviderGateway {
  forAccount(account: CarrierAccountRecord): LabelProvider;
  /** Problems with an account's parameters, with field names (`parameters.x`). */
  validateParameters(provider: string, parameters: unknown): Array<{ field: string; message: string }>;
  knownProviders(): string[];
}
