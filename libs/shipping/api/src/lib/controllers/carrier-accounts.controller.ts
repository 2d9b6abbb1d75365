import { Body, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { AddFundsUseCase, CarrierAccountsService, ListFundingEventsUseCase } from '@shipbatch/shipping/application';
import { Money } from '@shipbatch/shipping/domain';
import {
  BALANCE_SCHEMA,
  CARRIER_ACCOUNT_SCHEMA,
  FUNDING_EVENT_SCHEMA,
  presentBalance,
  presentCarrierAccount,
  presentFundingEvent,
  shippoPage,
  shippoPageSchema,
} from '@shipbatch/shipping/presentation';
import { AddFundsDto } from '../dto/add-funds.dto';
import { CreateCarrierAccountDto } from '../dto/create-carrier-account.dto';
import { FundingPolicyDto, toFundingPolicy } from '../dto/funding-policy.dto';
import { ListCarrierAccountsQueryDto } from '../dto/list-carrier-accounts-query.dto';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { UpdateCarrierAccountDto } from '../dto/update-carrier-account.dto';
import { ApiError } from '../http/api-error';
import { TenantController } from '../http/tenant-controller.decorator';
import { carrierAccountCreateSchema } from '../openapi/carrier-account.schemas';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Carrier accounts of any provider (credentials never returned), their balance and funding. */
@TenantController('carrier_accounts')
@ApiExtraModels(FundingPolicyDto)
export class CarrierAccountsController {
  constructor(
    private readonly accounts: CarrierAccountsService,
    private readonly addFundsUseCase: AddFundsUseCase,
    private readonly listFundingEvents: ListFundingEventsUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiBody({ schema: carrierAccountCreateSchema() })
  @ApiAnswer(201, CARRIER_ACCOUNT_SCHEMA, 'The carrier account (credentials never returned)')
  @ApiErrors({ 400: 'a field is invalid (named): provider unknown or missing, parameters.<field>, funding.<field>' }, { body: true, idempotent: true })
  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createCarrierAccount',
    summary: 'Create a carrier account',
    description: "An account of one provider (`provider`: mock, shipstation, shippo or another registered one) with that provider's `parameters`, validated now (400 naming `parameters.<field>`), encrypted at rest and never returned.",
  })
  async create(@TenantId() tenantId: string, @Body() dto: CreateCarrierAccountDto) {
    // A Shippo client has no provider field: it may come inside parameters, else the default.
    const { provider: inParameters, ...parameters } = dto.parameters ?? {};
    let providerInParameters: string | undefined;
    if (inParameters !== undefined) {
      if (typeof inParameters !== 'string' || inParameters.trim() === '') {
        throw ApiError.validation('parameters.provider', 'parameters.provider must be a non-empty string (a registered provider)');
      }
      providerInParameters = inParameters;
    }
    const record = await this.accounts.create(tenantId, {
      provider: dto.provider ?? providerInParameters ?? this.config.defaultProvider,
      carrier: dto.carrier,
      accountId: dto.account_id,
      parameters,
      active: dto.active,
      test: dto.test,
      metadata: dto.metadata,
      funding: toFundingPolicy(dto.funding),
    });
    return presentCarrierAccount(record);
  }

  @ApiAnswer(200, shippoPageSchema(CARRIER_ACCOUNT_SCHEMA), 'One page of carrier accounts')
  @ApiErrors({ 400: 'a query parameter is invalid (named)' })
  @Get()
  @ApiOperation({
    operationId: 'listCarrierAccounts',
    summary: "The tenant's carrier accounts",
    description: "In the order they were created; 5 a page by default (Shippo's own); filtered by `carrier` or `account_id`.",
  })
  async list(@TenantId() tenantId: string, @Query() query: ListCarrierAccountsQueryDto) {
    const p = shippoPageWindow(query, 5);
    const matching = (await this.accounts.list(tenantId)).filter(
      (a) => (query.carrier === undefined || a.carrier === query.carrier) && (query.account_id === undefined || a.accountId === query.account_id),
    );
    return shippoPage(
      { items: matching.slice(p.offset, p.offset + p.limit), total: matching.length },
      { baseUrl: linkBase(this.config), path: '/carrier_accounts', ...p, query: { carrier: query.carrier, account_id: query.account_id } },
      presentCarrierAccount,
    );
  }

  @ApiAnswer(200, CARRIER_ACCOUNT_SCHEMA, 'The carrier account')
  @ApiErrors({ 404: 'no carrier account of the tenant has this id' })
  @Get(':id')
  @ApiOperation({
    operationId: 'getCarrierAccount',
    summary: 'Get a carrier account',
    description: 'One carrier account of the tenant (its credentials are never returned).',
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentCarrierAccount(await this.accounts.get(tenantId, id));
  }

  @ApiAnswer(200, CARRIER_ACCOUNT_SCHEMA, 'The carrier account as changed')
  @ApiErrors({ 400: 'a field is invalid (named), or carrier or account_id differs from the account’s (they cannot change)', 404: 'no carrier account of the tenant has this id' }, { body: true })
  @Put(':id')
  @ApiOperation({
    operationId: 'updateCarrierAccount',
    summary: 'Change a carrier account',
    description: '`parameters` given are merged with those stored and checked again; `funding` fields given replace those stored; fields not given keep their values.',
  })
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateCarrierAccountDto) {
    return presentCarrierAccount(
      await this.accounts.update(tenantId, id, {
        parameters: dto.parameters,
        active: dto.active,
        metadata: dto.metadata,
        funding: toFundingPolicy(dto.funding),
        unchanged: { carrier: dto.carrier, account_id: dto.account_id },
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
  @ApiOperation({
    operationId: 'getCarrierAccountBalance',
    summary: 'The prepaid balance at the provider',
    description: 'Asked of the provider now. 409 when the provider keeps no prepaid balance; 503 with Retry-After when it cannot be reached.',
  })
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
  @ApiOperation({
    operationId: 'addCarrierAccountFunds',
    summary: 'Top up the prepaid balance by hand',
    description: 'Answers the new balance. Counted toward the daily cap of automatic funding, never refused by it; recorded as a funding event either way.',
  })
  async addFunds(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: AddFundsDto) {
    const currency = (dto.currency ?? 'usd').toLowerCase();
    return presentBalance(await this.addFundsUseCase.run(tenantId, id, { amountMinor: Money.ofMajor(dto.amount, currency).minor, currency }));
  }

  @ApiAnswer(200, shippoPageSchema(FUNDING_EVENT_SCHEMA), 'One page of top-ups, newest first')
  @ApiErrors({ ...SHIPPO_PAGE_400, 404: 'no carrier account of the tenant has this id' })
  @Get(':id/funding_events')
  @ApiOperation({
    operationId: 'listFundingEvents',
    summary: 'Top-ups of the account, newest first',
    description: 'Every top-up, automatic (before a batch, on insufficient funds) or by hand, succeeded or failed; 25 a page by default.',
  })
  async fundingEvents(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: ShippoPageQueryDto) {
    const { page, results: size } = shippoPageWindow(query, 25);
    const { items, total } = await this.listFundingEvents.run(tenantId, id, page, size);
    const link = (p: number) => `${linkBase(this.config)}/carrier_accounts/${encodeURIComponent(id)}/funding_events?page=${p}&results=${size}`;
    return {
      count: total,
      next: page * size < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.map(presentFundingEvent),
    };
  }
}
