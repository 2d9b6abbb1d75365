import { InitialSchema1732262400000 } from './1732262400000-initial-schema.migration';
import { MergedLabelFiles1763856000000 } from './1763856000000-merged-label-files.migration';
import { LabelListing1763870400000 } from './1763870400000-label-listing.migration';
import { IdempotencyKeys1763942400000 } from './1763942400000-idempotency-keys.migration';
import { Funding1764547200000 } from './1764547200000-funding.migration';
import { NativeBatches1764633600000 } from './1764633600000-native-batches.migration';
import { Webhooks1764720000000 } from './1764720000000-webhooks.migration';
import { WebhookDeliveryLeases1764806400000 } from './1764806400000-webhook-delivery-leases.migration';
import { ShippoListRoutes1764892800000 } from './1764892800000-shippo-list-routes.migration';
import { ValidationLease1764979200000 } from './1764979200000-validation-lease.migration';
import { WebhookHoldsRemoved1765065600000 } from './1765065600000-webhook-holds-removed.migration';
import { NativeBatchPages1765152000000 } from './1765152000000-native-batch-pages.migration';
import { ShipmentExtra1765238400000 } from './1765238400000-shipment-extra.migration';

/**
 * Every migration of the service's database, oldest first: the composition hands this list to
 * DatabaseModule.forRoot (platform/database only runs it). The first one also made platform/auth's
 * `tenants` and `api_keys`. Add new ones at the end; never edit, rename or reorder an applied one
 * (databases know them by class name, timestamp included).
 */
export const SHIPPING_MIGRATIONS = [
  InitialSchema1732262400000,
  MergedLabelFiles1763856000000,
  LabelListing1763870400000,
  IdempotencyKeys1763942400000,
  Funding1764547200000,
  NativeBatches1764633600000,
  Webhooks1764720000000,
  WebhookDeliveryLeases1764806400000,
  ShippoListRoutes1764892800000,
  ValidationLease1764979200000,
  WebhookHoldsRemoved1765065600000,
  NativeBatchPages1765152000000,
  ShipmentExtra1765238400000,
];
