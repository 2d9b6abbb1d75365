import type { ParameterProblem } from './provider.registry';

/**
 * A stored carrier account whose parameters its provider no longer accepts (saved before a
 * validation rule existed, or edited in the database). Its shipments fail with this message; no
 * process crashes over it. The message names the fields, never their values.
 */
export class InvalidAccountOptionsError extends Error {
  constructor(
    readonly carrierAccountId: string,
    readonly provider: string,
    readonly problems: ParameterProblem[],
  ) {
    super(
      `carrier account ${carrierAccountId} (${provider}) has invalid parameters: ` +
        `${problems.map((p) => p.message).join('; ')}; fix them with PUT /carrier_accounts/${carrierAccountId}`,
    );
    this.name = 'InvalidAccountOptionsError';
  }
}
