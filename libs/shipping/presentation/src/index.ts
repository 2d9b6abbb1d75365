// Presenters: records of the application rendered as the public JSON (Shippo's and ShipStation's shapes).
export * from './lib/presenters/address.presenter';
export * from './lib/presenters/balance.presenter';
export * from './lib/presenters/batch.presenter';
export * from './lib/presenters/carrier-account.presenter';
export * from './lib/presenters/funding-event.presenter';
export * from './lib/presenters/label-list.presenter';
export * from './lib/presenters/label.presenter';
export * from './lib/presenters/parcel.presenter';
export * from './lib/presenters/shipment.presenter';
export * from './lib/presenters/shippo-page.presenter';
export * from './lib/presenters/transaction.presenter';
export * from './lib/presenters/void-result.presenter';
export * from './lib/presenters/webhook-delivery.presenter';
export * from './lib/presenters/webhook.presenter';
// The OpenAPI schema of each presenter's answer, and the builders they are made with.
export * from './lib/openapi/schema.builders';
export * from './lib/presenters/address.schema';
export * from './lib/presenters/balance.schema';
export * from './lib/presenters/batch.schema';
export * from './lib/presenters/carrier-account.schema';
export * from './lib/presenters/funding-event.schema';
export * from './lib/presenters/label-list.schema';
export * from './lib/presenters/label.schema';
export * from './lib/presenters/message.schema';
export * from './lib/presenters/money.schema';
export * from './lib/presenters/parcel.schema';
export * from './lib/presenters/shipment.schema';
export * from './lib/presenters/shippo-page.schema';
export * from './lib/presenters/transaction.schema';
export * from './lib/presenters/void-result.schema';
export * from './lib/presenters/webhook-delivery.schema';
export * from './lib/presenters/webhook.schema';
// A webhook delivery's `data`, rendered by the presenters (for the worker and the API alike).
export * from './lib/webhooks/webhook-object.renderer';
export * from './lib/webhooks/webhook-object-renderer.module';
