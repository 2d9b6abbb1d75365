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
  ADDRESS_SCHEMA,
  ApiAnswer,
  ApiErrors,
  ApiTenantAuth,
  BALANCE_SCHEMA,
  CARRIER_ACCOUNT_SCHEMA,
  FUNDING_EVENT_SCHEMA,
  PARCEL_SCHEMA,
  SHIPMENT_SCHEMA,
  shippoPageSchema,
  TRANSACTION_SCHEMA,
} from '../openapi';
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

const PAGE400 = { 400: 'page or results is not a positive integer (results at most 100)' } as const;

/** Shippo's page sizes: 5 by default for addresses and carrier accounts, 25 elsewhere. */
const pageOf = (query: ShippoPageQueryDto, defaultSize: number) => {
  const page = query.page ?? 1;
  const results = query.results ?? defaultSize;
  return { page, results, offset: (page - 1) * results, limit: results };
};

@ApiTags('addresses')
@ApiTenantAuth()
@UseGuards(ApiKeyGuard)
@Controller('addresses')
export class AddressesController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(201, ADDRESS_SCHEMA, 'The address')
  @ApiErrors({ 400: 'a field is invalid (named in field_name)' }, { body: true, idempotent: true })
  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: AddressDto) {
    return presentAddress(await this.objects.createAddress(tenantId, { ...dto }));
  }

  @ApiAnswer(200, shippoPageSchema(ADDRESS_SCHEMA), 'One page of addresses, newest first')
  @ApiErrors(PAGE400)
  @Get()
  @ApiOperation({ summary: "The tenant's addresses (created here or inline in a batch), newest first; 5 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 5);
    const found = await this.objects.listAddresses(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/addresses', ...p }, presentAddress);
  }

  @ApiAnswer(200, ADDRESS_SCHEMA, 'The address')
  @ApiErrors({ 404: 'no address of the tenant has this id' })
  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentAddress(await this.objects.getAddress(tenantId, id));
  }
}

@ApiTags('parcels')
@ApiTenantAuth()
@UseGuards(ApiKeyGuard)
@Controller('parcels')
export class ParcelsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(201, PARCEL_SCHEMA, 'The parcel')
  @ApiErrors({ 400: 'a field is invalid (named in field_name)' }, { body: true, idempotent: true })
  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: ParcelDto) {
    return presentParcel(await this.objects.createParcel(tenantId, { ...dto }));
  }

  @ApiAnswer(200, shippoPageSchema(PARCEL_SCHEMA), 'One page of parcels, newest first')
  @ApiErrors(PAGE400)
  @Get()
  @ApiOperation({ summary: "The tenant's parcels (created here or inline in a batch), newest first; 25 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 25);
    const found = await this.objects.listParcels(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/parcels', ...p }, presentParcel);
  }

  @ApiAnswer(200, PARCEL_SCHEMA, 'The parcel')
  @ApiErrors({ 404: 'no parcel of the tenant has this id' })
  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentParcel(await this.objects.getParcel(tenantId, id));
  }
}

@ApiTags('shipments')
@ApiTenantAuth()
@UseGuards(ApiKeyGuard)
@Controller('shipments')
export class ShipmentsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(200, shippoPageSchema(SHIPMENT_SCHEMA), 'One page of shipments, newest first')
  @ApiErrors(PAGE400)
  @Get()
  @ApiOperation({ summary: "The tenant's shipments (one per batch shipment that validated), newest first; 25 a page by default" })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = pageOf(query, 25);
    const found = await this.objects.listShipments(tenantId, p);
    return shippoPage(found, { baseUrl: this.config.publicBaseUrl, path: '/shipments', ...p }, presentShipment);
  }

  @ApiAnswer(200, SHIPMENT_SCHEMA, 'The shipment')
  @ApiErrors({ 404: 'no shipment of the tenant has this id' })
  @Get(':id')
  @ApiOperation({ summary: "A shipment in Shippo's shape, with its addresses and parcels (a batch shipment's `shipment`)" })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentShipment(await this.objects.getShipment(tenantId, id));
  }
}

@ApiTags('transactions')
@ApiTenantAuth()
@UseGuards(ApiKeyGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    private readonly labels: LabelQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(200, shippoPageSchema(TRANSACTION_SCHEMA), 'One page of transactions, newest first')
  @ApiErrors({ 400: 'a query parameter is invalid (named)' })
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

  @ApiAnswer(200, TRANSACTION_SCHEMA, 'The transaction')
  @ApiErrors({ 404: 'no transaction of the tenant has this id' })
  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentTransaction(this.labels.view(await this.objects.getTransaction(tenantId, id)));
  }
}

@ApiTags('carrier_accounts')
@ApiTenantAuth()
@UseGuards(ApiKeyGuard)
@Controller('carrier_accounts')
export class CarrierAccountsController {
  constructor(
    private readonly accounts: CarrierAccountsService,
    private readonly funding: FundingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(201, CARRIER_ACCOUNT_SCHEMA, 'The carrier account (credentials never returned)')
  @ApiErrors({ 400: 'a field is invalid (named): provider unknown or missing, parameters.<field>, funding.<field>' }, { body: true, idempotent: true })
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

  @ApiAnswer(200, shippoPageSchema(CARRIER_ACCOUNT_SCHEMA), 'One page of carrier accounts')
  @ApiErrors({ 400: 'a query parameter is invalid (named)' })
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

  @ApiAnswer(200, CARRIER_ACCOUNT_SCHEMA, 'The carrier account')
  @ApiErrors({ 404: 'no carrier account of the tenant has this id' })
  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentCarrierAccount(await this.accounts.get(tenantId, id));
  }

  @ApiAnswer(200, CARRIER_ACCOUNT_SCHEMA, 'The carrier account as changed')
  @ApiErrors({ 400: 'a field is invalid (named)', 404: 'no carrier account of the tenant has this id' }, { body: true })
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

  @ApiAnswer(200, BALANCE_SCHEMA, 'The provider balance')
  @ApiErrors({
    404: 'no carrier account of the tenant has this id',
    409: 'the provider keeps no prepaid balance, or refused to tell it',
    503: 'the provider could not be reached (error_code provider_unavailable, naming the provider and the cause; Retry-After says when to ask again)',
  })
  @Get(':id/balance')
  async balance(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentBalance(await this.accounts.balance(tenantId, id));
  }

  @ApiAnswer(200, BALANCE_SCHEMA, 'The balance after the top-up')
  @ApiErrors(
    {
      400: 'amount is invalid or refused by the provider',
      404: 'no carrier account of the tenant has this id',
      409: 'the provider cannot add funds, another top-up is in progress, or the provider refused',
      503: 'the provider could not be reached (error_code provider_unavailable; the top-up may or may not have been made: see funding_events and the balance)',
    },
    { body: true, idempotent: true },
  )
  @Post(':id/add_funds')
  @HttpCode(200)
  @ApiOperation({ summary: 'Top up the prepaid balance by hand; answers the new balance (counted toward the daily cap, never refused by it)' })
  async addFunds(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: AddFundsDto) {
    const currency = (dto.currency ?? 'usd').toLowerCase();
    return presentBalance(await this.funding.addFundsManually(tenantId, id, { amountMinor: Money.ofMajor(dto.amount, currency).minor, currency }));
  }

  @ApiAnswer(200, shippoPageSchema(FUNDING_EVENT_SCHEMA), 'One page of top-ups, newest first')
  @ApiErrors({ ...PAGE400, 404: 'no carrier account of the tenant has this id' })
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
