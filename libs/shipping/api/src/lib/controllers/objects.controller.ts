import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import {
  CarrierAccountsService,
  type FundingPolicy,
  FundingService,
  LabelQueriesService,
  ReusableObjectsService,
} from '@shipbatch/shipping/application';
import { Money } from '@shipbatch/shipping/domain';
import { AddressDto } from '../dto/address.dto';
import { ListQueryDto } from '../dto/batch.dto';
import { AddFundsDto, CreateCarrierAccountDto, type FundingPolicyDto, UpdateCarrierAccountDto } from '../dto/carrier-account.dto';
import { ParcelDto } from '../dto/parcel.dto';
import { ListCarrierAccountsQueryDto, ListTransactionsQueryDto, ShippoPageQueryDto } from '../dto/shippo-list.dto';
import { ApiError } from '../http/api-error';
import {
  presentAddress,
  presentBalance,
  presentCarrierAccount,
  presentFundingEvent,
  presentParcel,
  presentShipment,
  presentTransaction,
  shippoPage,
} from '../presenters/shippo.presenters';

/** Shippo's page sizes: 5 by default for addresses and carrier accounts, 25 elsewhere. */
const pageOf = (query: ShippoPageQueryDto, defaultSize: number) => {
  const page = query.page ?? 1;
  const results = query.results ?? defaultSize;
  return { page, results, offset: (page - 1) * results, limit: results };
};

@ApiTags('addresses')
@UseGuards(ApiKeyGuard)
@Controller('addresses')
export class AddressesController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: AddressDto) {
    return presentAddress(await this.objects.createAddress(tenantId, { ...dto }));
  }

  @Get()
  @ApiOperation({ summary: "The tenant's addresses (created here or inline in a batch), newest first; 5 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 5);
    const found = await this.objects.listAddresses(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/addresses', ...p }, presentAddress);
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentAddress(await this.objects.getAddress(tenantId, id));
  }
}

@ApiTags('parcels')
@UseGuards(ApiKeyGuard)
@Controller('parcels')
export class ParcelsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: ParcelDto) {
    return presentParcel(await this.objects.createParcel(tenantId, { ...dto }));
  }

  @Get()
  @ApiOperation({ summary: "The tenant's parcels (created here or inline in a batch), newest first; 25 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 25);
    const found = await this.objects.listParcels(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/parcels', ...p }, presentParcel);
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentParcel(await this.objects.getParcel(tenantId, id));
  }
}

@ApiTags('shipments')
@UseGuards(ApiKeyGuard)
@Controller('shipments')
export class ShipmentsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's shipments (one per batch shipment that validated), newest first; 25 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 25);
    const found = await this.objects.listShipments(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/shipments', ...p }, presentShipment);
  }

  @Get(':id')
  @ApiOperation({ summary: "A shipment in Shippo's shape, with its addresses and parcels (a batch shipment's `shipment`)" })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentShipment(await this.objects.getShipment(tenantId, id));
  }
}

@ApiTags('transactions')
@UseGuards(ApiKeyGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    private readonly labels: LabelQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's transactions (bought labels), newest first; 25 a page by default",
    description: 'A transaction is SUCCESS, or REFUNDED once its label is voided. Shipbatch buys without rate objects and does not track parcels: `rate` matches nothing and every `tracking_status` is UNKNOWN.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ListTransactionsQueryDto) {
    const p = pageOf(query, 25);
    const filters = { object_status: query.object_status, tracking_status: query.tracking_status, rate: query.rate };
    const status = query.object_status === 'SUCCESS' ? 'completed' : query.object_status === 'REFUNDED' ? 'voided' : undefined;
    const matchesNothing =
      (query.object_status !== undefined && status === undefined) ||
      (query.tracking_status !== undefined && query.tracking_status !== 'UNKNOWN') ||
      query.rate !== undefined;
    const found = matchesNothing ? { items: [], total: 0 } : await this.objects.listTransactions(tenantId, { ...p, status });
    const views = found.items.map((l) => this.labels.view(l));
    return shippoPage(
      { items: views, total: found.total },
      { baseUrl: this.config.publicBaseUrl, path: '/transactions', ...p, query: filters },
      presentTransaction,
    );
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentTransaction(this.labels.view(await this.objects.getTransaction(tenantId, id)));
  }
}

@ApiTags('carrier_accounts')
@UseGuards(ApiKeyGuard)
@Controller('carrier_accounts')
export class CarrierAccountsController {
  constructor(
    private readonly accounts: CarrierAccountsService,
    private readonly funding: FundingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: CreateCarrierAccountDto) {
    // A Shippo client has no provider field: it may come inside parameters, else the default.
    const { provider: inParameters, ...parameters } = dto.parameters ?? {};
    if (inParameters !== undefined && (typeof inParameters !== 'string' || inParameters.trim() === '')) {
      throw ApiError.validation('parameters.provider', 'parameters.provider must be a non-empty string (a registered provider)');
    }
    const record = await this.accounts.create(tenantId, {
      provider: dto.provider ?? (inParameters as string | undefined) ?? this.config.defaultProvider,
      carrier: dto.carrier,
      accountId: dto.account_id,
      parameters,
      active: dto.active,
      test: dto.test,
      metadata: dto.metadata,
      funding: fundingPolicy(dto.funding),
    });
    return presentCarrierAccount(record);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's carrier accounts in the order they were created; 5 a page by default, filtered by carrier or account_id" })
  async list(@TenantId() tenantId: string, @Query() query: ListCarrierAccountsQueryDto) {
    const p = pageOf(query, 5);
    const matching = (await this.accounts.list(tenantId)).filter(
      (a) => (query.carrier === undefined || a.carrier === query.carrier) && (query.account_id === undefined || a.accountId === query.account_id),
    );
    return shippoPage(
      { items: matching.slice(p.offset, p.offset + p.limit), total: matching.length },
      { baseUrl: this.config.publicBaseUrl, path: '/carrier_accounts', ...p, query: { carrier: query.carrier, account_id: query.account_id } },
      presentCarrierAccount,
    );
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentCarrierAccount(await this.accounts.get(tenantId, id));
  }

  @Put(':id')
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateCarrierAccountDto) {
    return presentCarrierAccount(
      await this.accounts.update(tenantId, id, {
        parameters: dto.parameters,
        active: dto.active,
        metadata: dto.metadata,
        funding: fundingPolicy(dto.funding),
      }),
    );
  }

  @Get(':id/balance')
  async balance(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentBalance(await this.accounts.balance(tenantId, id));
  }

  @Post(':id/add_funds')
  @HttpCode(200)
  @ApiOperation({ summary: 'Top up the prepaid balance by hand; answers the new balance (counted toward the daily cap, never refused by it)' })
  async addFunds(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: AddFundsDto) {
    const currency = (dto.currency ?? 'usd').toLowerCase();
    return presentBalance(await this.funding.addFundsManually(tenantId, id, { amountMinor: Money.ofMajor(dto.amount, currency).minor, currency }));
  }

  @Get(':id/funding_events')
  @ApiOperation({ summary: 'Every top-up of the account, newest first' })
  async fundingEvents(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: ListQueryDto) {
    const page = query.page ?? 1;
    const size = query.results ?? 25;
    const { items, total } = await this.funding.listEvents(tenantId, id, page, size);
    const link = (p: number) => `${this.config.publicBaseUrl}/carrier_accounts/${encodeURIComponent(id)}/funding_events?page=${p}&results=${size}`;
    return {
      count: total,
      next: page * size < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.map(presentFundingEvent),
    };
  }
}

/** The DTO's major units as the policy's minor units; fields not given stay undefined. */
function fundingPolicy(dto: FundingPolicyDto | undefined | null): Partial<FundingPolicy> | undefined {
  if (!dto) return undefined;
  const minor = (v: number | undefined) => (v === undefined || v === null ? undefined : Money.ofMajor(v).minor);
  return {
    enabled: dto.enabled ?? undefined,
    minBalanceMinor: minor(dto.min_balance),
    topUpAmountMinor: minor(dto.top_up_amount),
    dailyCapMinor: minor(dto.daily_cap),
  };
}
