export * from './lib/app.config';
export * from './lib/secret-box';
export * from './lib/ids';
export * from './lib/url-signer';
export * from './lib/config.module';
export * from './lib/file-storage.settings';
export * from './lib/http.settings';
export * from './lib/link-base';
