import { inspect } from 'node:util';
import { isProviderError } from '@shipbatch/providers/core';
import type { FaultInjector } from './fake-server/fault-injector';

/** What expectConformingRequests needs of a fake provider (FakeShippo, FakeShipStation). */
export interface ConformanceCheckedFake {
  violations(): string[];
  faults: Pick<FaultInjector, 'clear'>;
}

/**
 * Hooks for a spec file against a fake provider: after each test the faults it injected are
 * cleared, and nothing the adapter sent during the test may break the provider's OpenAPI file.
 * The fake's own answers are its specs' concern, unless `answers` asks for them too. `fake` is a
 * getter, since the fake is started in beforeAll.
 */
export function expectConformingRequests(fake: () => ConformanceCheckedFake, options: { answers?: boolean } = {}): void {
  const violations = () => fake().violations().filter((v) => options.answers || !/: answer does not conform: /.test(v));
  let before = 0;
  beforeEach(() => {
    before = violations().length;
  });
  afterEach(() => {
    fake().faults.clear();
    expect(violations().slice(before)).toEqual([]);
  });
}

/** The provider error `call` rejects with; fails the test when it resolves or rejects with anything else. */
export async function providerFailure(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
  expect(isProviderError(error)).toBe(true);
  return error;
}

/** `secret` appears nowhere an error is shown: message, stack, JSON, util.inspect (hidden properties, cause and details included). */
export function expectSecretHidden(error: Error, secret: string): void {
  const cause = (error as { cause?: unknown }).cause;
  const shown = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), inspect(cause, { depth: 10 }), JSON.stringify(cause ?? null)];
  for (const text of shown) expect(text).not.toContain(secret);
}
