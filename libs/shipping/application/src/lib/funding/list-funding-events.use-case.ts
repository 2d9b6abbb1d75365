import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import { CARRIER_ACCOUNT_REPOSITORY, FUNDING_REPOSITORY } from '../tokens';
import type { FundingEventRecord, FundingRepository } from './funding.repository';

/** `GET /carrier_accounts/{id}/funding_events`: newest first, `page` from 1; 404 for another tenant's account. */
@Injectable()
export class ListFundingEventsUseCase {
  constructor(
    @Inject(FUNDING_REPOSITORY) private readonly funding: FundingRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
  ) {}

  async run(tenantId: string, accountId: string, page: number, results: number): Promise<{ total: number; items: FundingEventRecord[] }> {
    const account = await this.accounts.findById(tenantId, accountId);
    if (!account) throw new NotFoundError('Carrier account', accountId);
    return this.funding.listEvents(tenantId, account.id, (page - 1) * results, results);
  }
}
