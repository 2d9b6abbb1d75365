import type { Provider } from '@nestjs/common';
import { AddFundsUseCase } from './add-funds.use-case';
import { FundAheadUseCase } from './fund-ahead.use-case';
import { FundingCostEstimator } from './funding-cost.estimator';
import { FundingLocks } from './funding-lock';
import { HandleInsufficientFundsUseCase } from './handle-insufficient-funds.use-case';
import { ListFundingEventsUseCase } from './list-funding-events.use-case';

/** Funding's use cases and what they share (the per-account lock, the cost estimator): the API and the worker register them all. */
export const FUNDING_PROVIDERS: Provider[] = [
  FundingLocks,
  FundingCostEstimator,
  HandleInsufficientFundsUseCase,
  FundAheadUseCase,
  AddFundsUseCase,
  ListFundingEventsUseCase,
];
