import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, TenantId } from '@shipbatch/platform/auth';
import { CarrierAccountsService, LabelQueriesService, ReusableObjectsService } from '@shipbatch/shipping/application';
import { AddressDto } from '../dto/address.dto';
import { CreateCarrierAccountDto, UpdateCarrierAccountDto } from '../dto/carrier-account.dto';
import { ParcelDto } from '../dto/parcel.dto';
import {
  presentAddress,
  presentBalance,
  presentCarrierAccount,
  presentParcel,
  presentTransaction,
} from '../presenters/shippo.presenters';

@ApiTags('addresses')
@UseGuards(ApiKeyGuard)
@Controller('addresses')
export class AddressesController {
  constructor(private readonly objects: ReusableObjectsService) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: AddressDto) {
    return presentAddress(await this.objects.createAddress(tenantId, { ...dto }));
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
  constructor(private readonly objects: ReusableObjectsService) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: ParcelDto) {
    return presentParcel(await this.objects.createParcel(tenantId, { ...dto }));
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentParcel(await this.objects.getParcel(tenantId, id));
  }
}

@ApiTags('transactions')
@UseGuards(ApiKeyGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    private readonly labels: LabelQueriesService,
  ) {}

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentTransaction(this.labels.view(await this.objects.getTransaction(tenantId, id)));
  }
}

@ApiTags('carrier_accounts')
@UseGuards(ApiKeyGuard)
@Controller('carrier_accounts')
export class CarrierAccountsController {
  constructor(private readonly accounts: CarrierAccountsService) {}

  @Post()
  @HttpCode(201)
  async create(@TenantId() tenantId: string, @Body() dto: CreateCarrierAccountDto) {
    const record = await this.accounts.create(tenantId, {
      provider: dto.provider,
      carrier: dto.carrier,
      accountId: dto.account_id,
      parameters: dto.parameters ?? {},
      active: dto.active,
      test: dto.test,
      metadata: dto.metadata,
    });
    return presentCarrierAccount(record);
  }

  @Get()
  async list(@TenantId() tenantId: string) {
    const all = await this.accounts.list(tenantId);
    return { count: all.length, next: null, previous: null, results: all.map(presentCarrierAccount) };
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentCarrierAccount(await this.accounts.get(tenantId, id));
  }

  @Put(':id')
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateCarrierAccountDto) {
    return presentCarrierAccount(await this.accounts.update(tenantId, id, dto));
  }

  @Get(':id/balance')
  async balance(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentBalance(await this.accounts.balance(tenantId, id));
  }
}
