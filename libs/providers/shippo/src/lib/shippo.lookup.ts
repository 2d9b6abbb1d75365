import { ProviderOutcomeUnknownError, ProviderUnavailableError } from '@shipbatch/providers/core';
import type { ShippoClient } from './shippo.client';
import type { ShTransaction } from './shippo.types';

export interface LookupTuning {
  /** Pages of 100 read at most before giving up; default 20 (2,000 transactions). */
  maxPages?: number;
  /** How far before `since` the scan reads, for clocks that disagree; default 10 minutes. */
  marginMs?: number;
}

export const LOOKUP_MAX_PAGES = 20;
export const LOOKUP_MARGIN_MS = 10 * 60_000;

const PENDING = new Set(['QUEUED', 'WAITING']);

/**
 * Shippo has no lookup by metadata: list the token's transactions newest first (100 a page) and
 * take the one whose `metadata` is our reference. SUCCESS is the label; QUEUED / WAITING is a
 * purchase still running (retryable: come back later); ERROR and refunded ones are no label.
 * The scan ends with null when it reached the end of the list, or transactions older than
 * `since` minus the margin; it throws ProviderOutcomeUnknownError when it read `maxPages` pages
 * without reaching either (never buy blind).
 */
export async function scanForReference(client: ShippoClient, reference: string, since: Date | undefined, tuning: LookupTuning = {}): Promise<ShTransaction | null> {
  const maxPages = tuning.maxPages ?? LOOKUP_MAX_PAGES;
  const bound = since ? since.getTime() - (tuning.marginMs ?? LOOKUP_MARGIN_MS) : undefined;
  for (let page = 1; page <= maxPages; page++) {
    const answer = await client.transactions(page);
    const results = Array.isArray(answer?.results) ? answer.results : [];
    for (const t of results) {
      if (t.metadata !== reference) continue;
      if (t.status === 'SUCCESS') return t;
      if (t.status && PENDING.has(t.status)) {
        throw new ProviderUnavailableError(client.redact(`shippo: the purchase for reference ${reference} is still ${t.status} (transaction ${t.object_id}); look again later`), {
          details: { transaction: t.object_id, status: t.status },
        });
      }
    }
    if (!answer?.next || results.length === 0) return null;
    if (bound !== undefined) {
      const oldest = Math.min(...results.map((t) => Date.parse(t.object_created ?? '')).filter((ms) => !Number.isNaN(ms)));
      if (Number.isFinite(oldest) && oldest < bound) return null;
    }
  }
  const reach = since ? `transactions back to ${new Date(bound as number).toISOString()}` : 'the end of the list';
  throw new ProviderOutcomeUnknownError(
    client.redact(`shippo: no transaction with metadata ${reference} in the newest ${maxPages} pages of transactions, which did not reach ${reach}: it cannot tell whether it was bought`),
    { details: client.redact({ reference, pages: maxPages }) },
  );
}
