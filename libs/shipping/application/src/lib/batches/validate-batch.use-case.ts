import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, newObjectId } from '@shipbatch/platform/config';
import { isProviderError, type LabelFileType, type LabelProvider } from '@shipbatch/providers/core';
import { type ShipmentProblem, statusFromProblems, unhonouredExtras } from '@shipbatch/shipping/domain';
import { ExpressFirst } from '../common/express-first';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY, SHIPPING_METRICS, VALIDATION_REPOSITORY } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import type {
  BatchDefaults,
  PendingShipment,
  StoredAddress,
  StoredParcel,
  ValidatedShipment,
  ValidationRepository,
} from './validation.repository';
import { providerErrorText } from '../common/provider-failure';
import { ShipmentResolver, toPortAddress, toPortParcel } from './shipment-resolver';
import { ValidationLease } from './validation-lease';
import { ValidationLeaseLostError } from './validation-lease-lost.error';

const CHUNK_SIZE = 500;

/** What a validation job carries; `express`: a batch small enough for the express lane (PURCHASE_EXPRESS_MAX_SHIPMENTS). */
export interface ValidateBatchJob {
  batchId: string;
  express?: boolean;
}

/**
 * Background validation of a batch, a chunk at a time: resolves addresses and parcels (ids
 * or inline objects), the carrier account and service level, asks the account's provider
 * to validate, and freezes the purchase command of every valid shipment. A problem inside a
 * shipment makes it INVALID or INCOMPLETE; it never fails the batch, and neither does a provider
 * that cannot be reached: validation always ends. One run at a time per batch (its validation
 * lease); safe to run twice.
 */
@Injectable()
export class ValidateBatchUseCase {
  private readonly logger = new Logger(ValidateBatchUseCase.name);

  constructor(
    @Inject(VALIDATION_REPOSITORY) private readonly repo: ValidationRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
    @Optional() private readonly expressFirst?: ExpressFirst,
  ) {}

  /**
   * Validates the batch's pending shipments under its validation lease. A second run while one
   * holds the batch leaves at once; the holder, after letting go, looks for shipments added
   * meanwhile and validates them too (their own job may have found the lease held).
   * `express`: a small batch's validation, run as an express job (ExpressFirst).
   */
  async execute(batchId: string, options: { express?: boolean } = {}): Promise<void> {
    if (options.express && this.expressFirst) return this.expressFirst.expressJob(() => this.validateAll(batchId));
    return this.validateAll(batchId);
  }

  private async validateAll(batchId: string): Promise<void> {
    for (;;) {
      const lease = await ValidationLease.claim(this.repo, batchId, this.config.workers.validationLeaseMs, (error) =>
        this.logger.warn(`batch ${batchId}: renewing the validation lease failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      if (!lease) return;
      try {
        await this.run(batchId, lease);
      } catch (error) {
        if (!(error instanceof ValidationLeaseLostError)) throw error;
        this.logger.warn(`batch ${batchId}: ${error.message}; this run stops`, { batch_id: batchId });
        return;
      } finally {
        await lease.release();
      }
      if ((await this.repo.pendingShipments(batchId, 1)).length === 0) return;
    }
  }

  private async run(batchId: string, lease: ValidationLease): Promise<void> {
    const defaults = await this.repo.batchDefaults(batchId);
    if (!defaults) return;
    const accounts = new Map((await this.accounts.list(defaults.tenantId)).map((a) => [a.id, a]));
    const unusable = new Map<string, AccountProblem>();
    for (;;) {
      const pending = await this.repo.pendingShipments(batchId, CHUNK_SIZE);
      if (pending.length === 0) break;
      const results = await this.validateChunk(defaults, accounts, pending, unusable, lease);
      lease.assertHeld();
      const written = await this.repo.saveChunk(defaults.tenantId, batchId, results);
      // Counted when the whole chunk was written (the lease makes that the rule: another validator wrote none of it).
      if (written === results.length) this.countOutcomes(results);
    }
    const status = await this.repo.finishValidation(batchId);
    if (status) this.metrics.batchTransition('VALIDATING', status);
    if (status) this.logger.log(`batch ${batchId} validated: ${status}`, { batch_id: batchId, tenant_id: defaults.tenantId, status });
  }

  private countOutcomes(results: ValidatedShipment[]): void {
    const counts = new Map<ValidatedShipment['outcome']['status'], number>();
    for (const r of results) counts.set(r.outcome.status, (counts.get(r.outcome.status) ?? 0) + 1);
    for (const [to, count] of counts) this.metrics.shipmentTransitions('status', to, count);
  }

  private async validateChunk(
    defaults: BatchDefaults,
    accounts: Map<string, CarrierAccountRecord>,
    pending: PendingShipment[],
    unusable: Map<string, AccountProblem>,
    lease: ValidationLease,
  ): Promise<ValidatedShipment[]> {
    const tenantId = defaults.tenantId;
    const addressIds = new Set<string>();
    const parcelIds = new Set<string>();
    const externalIds = new Set<string>();
    for (const p of pending) {
      const s = p.input.shipment;
      for (const ref of [s.address_from, s.address_to, s.address_return]) if (typeof ref === 'string') addressIds.add(ref);
      for (const ref of parcelRefs(p)) if (typeof ref === 'string') parcelIds.add(ref);
      if (s.external_shipment_id) externalIds.add(s.external_shipment_id);
    }
    const [addresses, parcels, usedExternal] = await Promise.all([
      this.repo.findAddresses(tenantId, [...addressIds]),
      this.repo.findParcels(tenantId, [...parcelIds]),
      this.repo.usedExternalIds(tenantId, [...externalIds]),
    ]);
    const addressMap = new Map<string, StoredAddress>(addresses.map((a) => [a.id, a]));
    const parcelMap = new Map<string, StoredParcel>(parcels.map((p) => [p.id, p]));
    const seenExternal = new Set(usedExternal);

    const results: ValidatedShipment[] = [];
    for (const p of pending) {
      // A validator that lost the batch to another asks no provider anything more.
      lease.assertHeld();
      results.push(await this.validateOne(defaults, accounts, p, addressMap, parcelMap, seenExternal, unusable));
    }
    return results;
  }

  private async validateOne(
    defaults: BatchDefaults,
    accounts: Map<string, CarrierAccountRecord>,
    p: PendingShipment,
    addressMap: Map<string, StoredAddress>,
    parcelMap: Map<string, StoredParcel>,
    seenExternal: Set<string>,
    unusable: Map<string, AccountProblem>,
  ): Promise<ValidatedShipment> {
    const problems: ShipmentProblem[] = [];
    const resolver = new ShipmentResolver(addressMap, parcelMap, problems);
    const s = p.input.shipment;
    const from = resolver.address('address_from', s.address_from, true);
    const to = resolver.address('address_to', s.address_to, true);
    const ret = resolver.address('address_return', s.address_return, false);
    const parcels = resolver.parcelList(parcelRefs(p));

    let externalId = s.external_shipment_id ?? null;
    if (externalId && seenExternal.has(externalId)) {
      resolver.problem('INVALID', 'external_shipment_id_duplicate', `external_shipment_id '${externalId}' is already used`);
      externalId = null;
    } else if (externalId) {
      seenExternal.add(externalId);
    }

    const accountId = p.input.carrier_account ?? defaults.defaultCarrierAccount;
    const service = p.input.servicelevel_token ?? defaults.defaultServicelevelToken;
    const account = accounts.get(accountId);
    if (!account) {
      resolver.problem('INVALID', 'carrier_account_not_found', `carrier_account '${accountId}' was not found`);
    } else if (!account.active) {
      resolver.problem('INVALID', 'carrier_account_inactive', `carrier_account '${accountId}' is not active`);
    }

    const shipment =
      from && to
        ? {
            addressFrom: toPortAddress(from),
            addressTo: toPortAddress(to),
            addressReturn: ret ? toPortAddress(ret) : undefined,
            parcels: parcels.map(toPortParcel),
            shipmentDate: s.shipment_date,
            ...(hasExtra(s.extra) ? { extra: s.extra } : {}),
          }
        : null;
    if (account && account.active && shipment && problems.length === 0) {
      const known = unusable.get(account.id);
      const provider = known ? null : this.providerFor(account, unusable);
      // Checked at creation too; again here, against the provider as it is now.
      const refused = provider ? unhonouredExtras(s.extra, provider.capabilities.shipmentExtras, account.provider) : [];
      for (const r of refused) resolver.problem('INVALID', 'extra_not_supported', `extra.${r.path}: ${r.text}`);
      const found = provider && refused.length === 0 ? await this.askProvider(account, provider, service, shipment, unusable) : [];
      const problem = unusable.get(account.id);
      if (problem) resolver.problem('INVALID', problem.code, problem.text, problem.source);
      for (const p of found) {
        const text = p.field && !p.text.includes(p.field) ? `${p.field}: ${p.text}` : p.text;
        resolver.problem(p.severity, p.code, text, account.provider);
      }
    }

    const status = statusFromProblems(problems) as 'VALID' | 'INVALID' | 'INCOMPLETE';
    const shipmentId = newObjectId();
    return {
      outcome: {
        id: p.id,
        status,
        messages: problems.map(({ source, code, text }) => ({ source, code, text })),
        shipmentId,
        effectiveCarrierAccount: account ? account.id : null,
        purchase:
          status === 'VALID' && account && shipment
            ? {
                carrierAccountId: account.id,
                command: {
                  carrier: account.carrier,
                  serviceLevelToken: service,
                  shipment,
                  labelFileType: defaults.labelFiletype as LabelFileType,
                },
                warehouseId: from?.id ?? null,
                externalShipmentId: externalId,
                isInternational: (from?.country ?? '').toUpperCase() !== (to?.country ?? '').toUpperCase(),
              }
            : null,
      },
      addresses: resolver.newAddresses,
      parcels: resolver.newParcels,
      shipment: {
        id: shipmentId,
        tenantId: defaults.tenantId,
        addressFromId: from?.id ?? null,
        addressToId: to?.id ?? null,
        addressReturnId: ret?.id ?? null,
        parcelIds: parcels.map((x) => x.id),
        objectPurpose: s.object_purpose ?? 'PURCHASE',
        shipmentDate: s.shipment_date ?? null,
        metadata: s.metadata ?? '',
        externalShipmentId: externalId,
        extra: s.extra ?? {},
      },
    };
  }

  /** The account's adapter; a stored account its provider no longer accepts is remembered as unusable. */
  private providerFor(account: CarrierAccountRecord, unusable: Map<string, AccountProblem>): LabelProvider | null {
    try {
      return this.providers.forAccount(account);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.logger.error(`carrier account ${account.id}: ${text}`, { carrier_account_id: account.id, tenant_id: account.tenantId });
      unusable.set(account.id, { source: 'shipbatch', code: 'carrier_account_invalid', text });
      return null;
    }
  }

  /**
   * The provider's problems with one shipment. A failure that concerns the account rather than
   * the shipment marks the account unusable for the rest of the run, so it costs one call, not
   * one per shipment: credentials refused, or a provider that could not be reached (after the
   * transport's tries). Such a shipment is INVALID with a message naming the provider and the
   * cause (`provider_unavailable`); validation ends and the tenant adds it again later. A rate
   * limit is thrown: the job comes back later and the batch stays VALIDATING meanwhile.
   */
  private async askProvider(
    account: CarrierAccountRecord,
    provider: LabelProvider,
    serviceLevelToken: string,
    shipment: Parameters<LabelProvider['validateShipment']>[0]['shipment'],
    unusable: Map<string, AccountProblem>,
  ) {
    try {
      return await provider.validateShipment({ carrier: account.carrier, serviceLevelToken, shipment });
    } catch (error) {
      if (!isProviderError(error) || error.code === 'rate_limited') throw error;
      const text = providerErrorText(account.provider, error);
      if (error.code === 'auth') {
        unusable.set(account.id, { source: account.provider, code: 'carrier_account_auth_failed', text });
      } else if (error.code === 'unavailable') {
        this.logger.warn(`carrier account ${account.id}: provider unreachable during validation: ${text}`, {
          carrier_account_id: account.id,
          tenant_id: account.tenantId,
        });
        unusable.set(account.id, {
          source: account.provider,
          code: 'provider_unavailable',
          text: `${text}; the provider could not be reached, so the shipment was not validated`,
        });
      } else {
        return [{ code: `provider_${error.code}`, text, severity: 'INVALID' as const }];
      }
      return [];
    }
  }
}

/** Why a carrier account cannot validate anything (bad stored options, credentials refused). */
interface AccountProblem {
  source: string;
  code: string;
  text: string;
}

function hasExtra(extra: Record<string, unknown> | undefined): extra is Record<string, unknown> {
  return extra !== undefined && extra !== null && Object.keys(extra).length > 0;
}

function parcelRefs(p: PendingShipment) {
  const s = p.input.shipment;
  return s.parcels ?? (s.parcel !== undefined ? [s.parcel] : []);
}
