export * from './lib/webhook-signature';
export * from './lib/webhook-url.policy';
export * from './lib/webhook.sender';
export * from './lib/webhook-retry';
