import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import {
  isProviderError,
  ProviderAuthError,
  type ProviderError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import type { FaultInjector } from './fake-server/fault-injector';
import type { FaultMatch } from './fake-server/fake-server.types';
import type { RecordingPacer } from './provider-contract.pacer';

/** What an HTTP adapter's setup gives the suite about the provider's (fake) server. */
export interface ContractHttp {
  /** The fake server's fault injector; the suite arms faults and clears them after each test. */
  faults: Pick<FaultInjector, 'inject' | 'clear'>;
  /** Which requests are the adapter's purchase (e.g. `{ method: 'POST', path: '/v2/labels' }`); default: any request. */
  purchase?: Omit<FaultMatch, 'times'>;
  /** With a native batch port: which request buys a provider batch (e.g. `{ method: 'POST', path: /\/purchase$/ }`). */
  nativePurchase?: Omit<FaultMatch, 'times'>;
  /** How many requests have reached the server so far (answered or not). */
  requestCount(): number;
  /** The credentials the adapter was made with: no budget key, error or message may contain them. */
  secrets: readonly string[];
  /** How many labels the provider sold under our reference. */
  sales?(reference: string): number | Promise<number>;
  /**
   * The provider's own error body for an answer of this status (a 400 that refuses the
   * shipment, a 401, a 429, a 500); default a generic `{ message, errors }`.
   */
  errorBody?(status: number): unknown;
}

/** What the HTTP cases need from the suite. */
export interface HttpCaseKit {
  http(): ContractHttp;
  pacer(): RecordingPacer;
  purchase(reference?: string): Promise<PurchasedLabel>;
  findPurchase(reference: string): Promise<PurchasedLabel | null>;
  canLookUp(): boolean;
}

const GENERIC_BODIES: Record<number, unknown> = {
  400: { message: 'The request is invalid', errors: [{ message: 'ship_to.postal_code is invalid' }] },
  401: { message: 'Unauthorized', errors: [{ message: 'The API key is invalid' }] },
  429: { message: 'Too many requests', errors: [{ message: 'Rate limit exceeded' }] },
  500: { message: 'Internal error', errors: [{ message: 'Something went wrong' }] },
};

/**
 * The ProviderError `promise` rejects with. Anything else it rejects with is thrown as it is, so
 * the case fails with that error's own message (`acme: purchaseLabel is not implemented ...`),
 * not with a comparison of constructors.
 */
export async function providerRejection(promise: Promise<unknown>): Promise<ProviderError> {
  return promise.then(
    () => {
      throw new Error('expected the call to reject, but it resolved');
    },
    (e: unknown) => {
      if (!isProviderError(e)) throw e;
      return e;
    },
  );
}
const rejection = providerRejection;

/** No credential in the error's message, its JSON or its inspection (cause and details included). */
function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  const texts = [String((error as Error)?.message), JSON.stringify(error), inspect(error, { depth: 8 }), String((error as Error)?.stack)];
  for (const secret of secrets) for (const t of texts) expect(t).not.toContain(secret);
}

/** The contract's HTTP cases (error mapping, a lost answer, pacing). Defined inside the suite's describe. */
export function describeHttpCases(kit: HttpCaseKit): void {
  const faultOnPurchase = (fault: Parameters<FaultInjector['inject']>[0]) => kit.http().faults.inject(fault, { ...kit.http().purchase, times: 1 });
  const body = (status: number): unknown => (kit.http().errorBody ? kit.http().errorBody?.(status) : undefined) ?? GENERIC_BODIES[status];

  describe('HTTP error mapping', () => {
    it('maps a 401 to a non-retryable ProviderAuthError without the credential', async () => {
      faultOnPurchase({ kind: 'status', status: 401, body: body(401) });
      const error = await rejection(kit.purchase());
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect(error).toMatchObject({ code: 'auth', retryable: false });
      expectNoSecret(error, kit.http().secrets);
    });

    it("maps a 400 with the provider's error body to a non-retryable ProviderValidationError", async () => {
      faultOnPurchase({ kind: 'status', status: 400, body: body(400) });
      const error = await rejection(kit.purchase());
      expect(error).toBeInstanceOf(ProviderValidationError);
      expect(error).toMatchObject({ code: 'validation', retryable: false, possiblyCommitted: false });
      expect(error.message.length).toBeGreaterThan(10);
    });

    it('maps a 500 on a purchase to a retryable ProviderUnavailableError that may have committed', async () => {
      faultOnPurchase({ kind: 'status', status: 500, body: body(500) });
      const error = await rejection(kit.purchase());
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true, possiblyCommitted: true });
    });

    it('maps a 429 with Retry-After: 7 to ProviderRateLimitedError(7000 ms) and pauses the budget 7000 ms', async () => {
      faultOnPurchase({ kind: 'status', status: 429, headers: { 'Retry-After': '7' }, body: body(429) });
      const error = await rejection(kit.purchase());
      expect(error).toBeInstanceOf(ProviderRateLimitedError);
      expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7000 });
      const acquired = kit.pacer().acquires().at(-1);
      expect(acquired).toBeDefined();
      expect(kit.pacer().pauses()).toEqual([expect.objectContaining({ budget: acquired?.budget, ms: 7000 })]);
    });

    it('maps a reset connection on a purchase to ProviderUnavailableError that may have committed', async () => {
      faultOnPurchase({ kind: 'reset' });
      const error = await rejection(kit.purchase());
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true, possiblyCommitted: true });
      expectNoSecret(error, kit.http().secrets);
    });
  });

  it('a purchase whose answer was lost is found by reference, and was sold once', async () => {
    if (!kit.canLookUp()) throw new Error('an HTTP adapter must find a purchase by reference (purchaseDeduplication: lookup)');
    const reference = randomUUID();
    faultOnPurchase({ kind: 'lost_answer' });
    const error = await rejection(kit.purchase(reference));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.possiblyCommitted).toBe(true);
    const found = await kit.findPurchase(reference);
    expect(found).toMatchObject({ reference, providerLabelId: expect.any(String), trackingNumber: expect.any(String) });
    const sales = kit.http().sales;
    if (sales) expect(await sales(reference)).toBe(1);
  });

  it('a lookup is a read, tried again by the transport: a 503 and then a lost answer do not fail it', async () => {
    if (!kit.canLookUp()) throw new Error('an HTTP adapter must find a purchase by reference (purchaseDeduplication: lookup)');
    const reference = randomUUID();
    await kit.purchase(reference);
    // Lookups read (GET); a purchase is never repeated blind, so only reads are hit here.
    kit.http().faults.inject({ kind: 'status', status: 503, body: body(500) }, { method: 'GET', times: 1 });
    kit.http().faults.inject({ kind: 'lost_answer' }, { method: 'GET', times: 1 });
    const found = await kit.findPurchase(reference);
    expect(found).toMatchObject({ reference, providerLabelId: expect.any(String) });
  });

  describe('pacing under a rate limit', () => {
    it('acquires a slot before every request, on a budget whose key holds no credential', async () => {
      const { requestCount, secrets } = kit.http();
      const start = requestCount();
      const startAcquires = kit.pacer().acquires().length;
      const reference = randomUUID();
      await kit.purchase(reference);
      await kit.findPurchase(reference);
      await kit.findPurchase(randomUUID());
      const sent = requestCount() - start;
      const acquires = kit.pacer().acquires().slice(startAcquires);
      expect(sent).toBeGreaterThan(0);
      expect(acquires.length).toBeGreaterThanOrEqual(sent);
      // The k-th acquire saw at most k of this test's requests already sent: none went out unpaced.
      acquires.forEach((a, k) => expect((a.requestsBefore ?? 0) - start).toBeLessThanOrEqual(k));
      for (const a of acquires) {
        expect(a.budget.key.length).toBeGreaterThan(0);
        expect(a.budget.perMinute).toBeGreaterThan(0);
        for (const secret of secrets) expect(a.budget.key).not.toContain(secret);
      }
    });

    it('sends nothing when the pacer refuses the slot, and rejects with the paced ProviderRateLimitedError', async () => {
      const before = kit.http().requestCount();
      kit.pacer().rejectNextAcquire(4_000);
      const error = await rejection(kit.purchase());
      expect(error).toBe(kit.pacer().rejection);
      expect(error).toBeInstanceOf(ProviderRateLimitedError);
      expect(error).toMatchObject({ retryAfterMs: 4_000, details: { paced: true } });
      expect(kit.http().requestCount()).toBe(before);
    });
  });
}
