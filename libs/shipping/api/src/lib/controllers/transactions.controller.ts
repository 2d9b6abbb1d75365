import { Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { LabelQueriesService, ReusableObjectsService } from '@shipbatch/shipping/application';
import { presentTransaction, shippoPage, shippoPageSchema, TRANSACTION_SCHEMA } from '@shipbatch/shipping/presentation';
import { ListTransactionsQueryDto } from '../dto/list-transactions-query.dto';
import { shippoPageWindow } from '../dto/shippo-page-query.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Shippo's transactions: the tenant's bought labels (the same rows as /v2/labels), read-only. */
@TenantController('transactions')
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
    operationId: 'listTransactions',
    summary: "The tenant's transactions (bought labels), newest first",
    description: 'A transaction is SUCCESS, or REFUNDED once its label is voided; 25 a page by default. Shipbatch buys without rate objects and does not track parcels: `rate` matches nothing and every `tracking_status` is UNKNOWN.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ListTransactionsQueryDto) {
    const p = shippoPageWindow(query, 25);
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
      { baseUrl: linkBase(this.config), path: '/transactions', ...p, query: filters },
      presentTransaction,
    );
  }

  @ApiAnswer(200, TRANSACTION_SCHEMA, 'The transaction')
  @ApiErrors({ 404: 'no transaction of the tenant has this id' })
  @Get(':id')
  @ApiOperation({
    operationId: 'getTransaction',
    summary: 'Get a transaction',
    description: "One bought label in Shippo's transaction shape (the same label as `GET /v2/labels/{label_id}`).",
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentTransaction(this.labels.view(await this.objects.getTransaction(tenantId, id)));
  }
}
