import { Inject, Injectable, Logger } from '@nestjs/common';
import { isProviderError, type LabelProvider } from '@shipbatch/providers/core';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import type { DemandShape, FundingRepository, QueuedDemand } from './funding.repository';
import { FUNDING_REPOSITORY } from '../tokens';

/**
 * At most this many quotes for one carrier account ahead of one batch, whatever its size: the
 * most common shapes are quoted (each service's largest first), the rest priced from them. They
 * are made while `POST /batches/{id}/purchase` waits, paced under the account's rate limit
 * (ShipStation's default 200 a minute: about 0.3 s apart), so few.
 */
export const ESTIMATE_MAX_QUOTES = 5;
/** Quotes in flight at once for one account (the adapter paces each under the account's rate limit). */
export const ESTIMATE_QUOTE_CONCURRENCY = 3;

/** A batch's cost on one carrier account, in the account's minor units. */
export interface CostEstimate {
  /** What the shipments that could be priced will cost. */
  amountMinor: number;
  shipments: number;
  /** Shipments that nothing could price (left out of `amountMinor`). */
  unpriced: number;
  /** Quotes asked of the provider. */
  quotes: number;
}

interface QuotePick {
  demand: QueuedDemand;
  shape: DemandShape;
  price?: number;
}

/**
 * Estimates an account's share of a batch before it is bought. For each service: the provider's
 * quote (a rate for the shipment, e.g. ShipStation's rate estimate) of its most common shapes,
 * at most ESTIMATE_MAX_QUOTES per account; the service's shipments of other shapes at the
 * average of its quoted ones; a service none of whose shapes could be quoted (no quotes, a
 * failed quote, past the cap) at the last price paid for it on the account; else unpriced.
 * A rate-limited or refused credential stops the quoting (what is left falls back).
 */
@Injectable()
export class FundingCostEstimator {
  private readonly logger = new Logger(FundingCostEstimator.name);

  constructor(@Inject(FUNDING_REPOSITORY) private readonly funding: Pick<FundingRepository, 'lastPrices'>) {}

  /**
   * `known`: a price per label already known for some services (the amount an insufficient-funds
   * answer said a label needs); those services are priced at it and not quoted.
   */
  async estimate(
    account: CarrierAccountRecord,
    provider: LabelProvider,
    demand: QueuedDemand[],
    known: ReadonlyMap<string, number> = new Map(),
  ): Promise<CostEstimate> {
    const toQuote = demand.filter((d) => !known.has(d.serviceLevelToken));
    const picks = provider.capabilities.rates && provider.quote ? choose(toQuote) : [];
    const quotes = await this.quote(account, provider, picks);
    const byService = new Map<QueuedDemand, QuotePick[]>();
    for (const p of picks) if (p.price !== undefined) byService.set(p.demand, [...(byService.get(p.demand) ?? []), p]);
    const withoutQuote = toQuote.filter((d) => !byService.has(d)).map((d) => d.serviceLevelToken);
    const lastPrices = withoutQuote.length > 0 ? await this.funding.lastPrices(account.id, withoutQuote) : new Map<string, number>();

    let amountMinor = 0;
    let shipments = 0;
    let unpriced = 0;
    for (const d of demand) {
      shipments += d.count;
      const quoted = byService.get(d) ?? [];
      const quotedCount = quoted.reduce((n, p) => n + p.shape.count, 0);
      const quotedCost = quoted.reduce((sum, p) => sum + (p.price ?? 0) * p.shape.count, 0);
      const rest = d.count - quotedCount;
      const unit = known.get(d.serviceLevelToken) ?? (quotedCount > 0 ? Math.ceil(quotedCost / quotedCount) : lastPrices.get(d.serviceLevelToken));
      amountMinor += quotedCost;
      if (rest <= 0) continue;
      if (unit === undefined) unpriced += rest;
      else amountMinor += unit * rest;
    }
    return { amountMinor, shipments, unpriced, quotes };
  }

  /** Quotes the picks (sets their price), a few at a time; answers how many quotes were asked. */
  private async quote(account: CarrierAccountRecord, provider: LabelProvider, picks: QuotePick[]): Promise<number> {
    let next = 0;
    let asked = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped && next < picks.length) {
        const pick = picks[next++];
        const { carrierAccountId, command } = pick.shape.sample;
        asked += 1;
        try {
          const price = await provider.quote?.({ reference: `quote-${carrierAccountId}-${command.serviceLevelToken}`, ...command });
          if (price && Number.isFinite(price.amountMinor) && price.amountMinor >= 0) pick.price = price.amountMinor;
        } catch (error) {
          if (isProviderError(error) && (error.code === 'rate_limited' || error.code === 'auth')) stopped = true;
          this.logger.warn(`carrier account ${account.id}: no quote for ${command.serviceLevelToken}: ${error instanceof Error ? error.message : String(error)}`, {
            carrier_account_id: account.id,
            tenant_id: account.tenantId,
            servicelevel_token: command.serviceLevelToken,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ESTIMATE_QUOTE_CONCURRENCY, picks.length) }, worker));
    return asked;
  }
}

/**
 * The shapes to quote, at most ESTIMATE_MAX_QUOTES: round by round, each service's next most
 * common shape, the services with the most shipments first (so every service gets its largest
 * shape quoted before any gets a second one).
 */
function choose(demand: QueuedDemand[]): QuotePick[] {
  const services = [...demand].sort((a, b) => b.count - a.count);
  const picks: QuotePick[] = [];
  for (let round = 0; picks.length < ESTIMATE_MAX_QUOTES; round++) {
    const inRound = services.filter((d) => d.shapes.length > round);
    if (inRound.length === 0) break;
    for (const d of inRound) {
      if (picks.length >= ESTIMATE_MAX_QUOTES) break;
      picks.push({ demand: d, shape: d.shapes[round] });
    }
  }
  return picks;
}
