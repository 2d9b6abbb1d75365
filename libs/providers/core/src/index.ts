export * from './lib/provider-errors';
export * from './lib/provider.models';
export * from './lib/label-provider.port';
export * from './lib/pacing';
export * from './lib/options/is-number-like.decorator';
export * from './lib/http/http-transport.types';
export * from './lib/http/http-transport';
export { redactSecrets, REDACTED } from './lib/http/redact';
export * from './lib/http/retry-after';
