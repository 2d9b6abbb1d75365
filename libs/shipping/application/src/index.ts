// DI tokens of every port this library defines
export * from './lib/tokens';

// Common to several features: provider gateway, pages, idempotency, provider failures, metrics
export * from './lib/common/express-first';
export * from './lib/common/idempotency.store';
export * from './lib/common/page';
export * from './lib/common/provider-failure';
export * from './lib/common/provider.gateway';
export * from './lib/common/shipping-metrics.port';

// Reusable objects: addresses, parcels, shipments
export * from './lib/objects/address.repository';
export * from './lib/objects/parcel.repository';
export * from './lib/objects/reusable-objects.service';
export * from './lib/objects/shipment.repository';

// Carrier accounts
export * from './lib/carrier-accounts/carrier-account.repository';
export * from './lib/carrier-accounts/carrier-accounts.boot-check';
export * from './lib/carrier-accounts/carrier-accounts.service';

// Batches: create, change, validate, reconcile, query
export * from './lib/batches/batch-queries.service';
export * from './lib/batches/batch.repository';
export * from './lib/batches/change-batch-shipments.use-case';
export * from './lib/batches/create-batch.use-case';
export * from './lib/batches/reconcile.repository';
export * from './lib/batches/reconcile.use-case';
export * from './lib/batches/shipment-input';
export * from './lib/batches/shipment-extras.policy';
export * from './lib/batches/validate-batch.use-case';
export * from './lib/batches/validation-lease';
export * from './lib/batches/validation-lease-lost.error';
export * from './lib/batches/validation.repository';

// Purchase: one shipment or a group, bought exactly once
export * from './lib/purchase/purchase-batch.use-case';
export * from './lib/purchase/purchase-job-id';
export * from './lib/purchase/purchase-shipment.use-case';
export * from './lib/purchase/purchase.repository';

// Native batches: a provider's own batch API
export * from './lib/native-batch/native-batch.collector';
export * from './lib/native-batch/native-batch.creation';
export * from './lib/native-batch/native-batch.jobs';
export * from './lib/native-batch/native-batch.repository';
export * from './lib/native-batch/native-batch.router';
export * from './lib/native-batch/native-batch.pages';
export * from './lib/native-batch/native-batch.settlement';
export * from './lib/native-batch/native-batch.steps';
export * from './lib/native-batch/native-batch.use-case';

// Funding: balances, top-ups, insufficient funds
export * from './lib/funding/funding.repository';
export * from './lib/funding/add-funds.use-case';
export * from './lib/funding/fund-ahead.use-case';
export * from './lib/funding/funding-cost.estimator';
export * from './lib/funding/funding-lock';
export * from './lib/funding/funding.providers';
export * from './lib/funding/handle-insufficient-funds.use-case';
export * from './lib/funding/list-funding-events.use-case';

// Label files: storage, merging into files of at most 100 labels
export * from './lib/label-files/file-storage';
export * from './lib/label-files/file-storage.errors';
export * from './lib/label-files/file-url';
export * from './lib/label-files/label-files.repository';
export * from './lib/label-files/merge-label-files.use-case';
export * from './lib/label-files/label-merger';
export * from './lib/label-files/purchased-label.files';

// Labels: listing and voiding
export * from './lib/labels/label-queries.service';
export * from './lib/labels/label.repository';
export * from './lib/labels/void-label.use-case';

// Webhooks: subscriptions, dispatch, delivery
export * from './lib/webhooks/deliver-webhook.use-case';
export * from './lib/webhooks/webhook-dispatch.use-case';
export * from './lib/webhooks/webhook-delivery.repository';
export * from './lib/webhooks/webhook-object.renderer';
export * from './lib/webhooks/webhook.repository';
export * from './lib/webhooks/webhooks.providers';
export * from './lib/webhooks/webhooks.service';
