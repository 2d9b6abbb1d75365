import { OBJECT_RESULT_STATES, type ObjectResultsFilter } from '@shipbatch/shipping/domain';
import { sqlStates } from './state.sql';

/** SQL condition on batch_shipments for Shippo's object_results filter (the domain's OBJECT_RESULT_STATES); none: true. */
export function objectResultsCondition(filter: ObjectResultsFilter | undefined): string {
  const states = filter === undefined ? undefined : OBJECT_RESULT_STATES[filter];
  if (!states) return 'true';
  return 'status' in states ? `status IN ${sqlStates(states.status)}` : `purchase_state IN ${sqlStates(states.purchaseState)}`;
}
