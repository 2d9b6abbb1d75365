import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@shipbatch/platform/testing';
import { ConfigError, DEFAULT_API_RATE_LIMIT_PER_MINUTE, DEFAULT_EMBEDDED_SETTINGS, DEFAULT_WORKER_SETTINGS, loadConfig } from './app.config';

describe('loadConfig', () => {
  const dir = () => tempDir('shipbatch-config-');

  it('defaults to embedded mode and makes an encryption key once in DATA_DIR', () => {
    const dataDir = dir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.mode).toBe('embedded');
    expect(first.port).toBe(3000);
    expect(readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim()).toHaveLength(64);
    expect(loadConfig({ DATA_DIR: dataDir }).encryptionKey.equals(first.encryptionKey)).toBe(true);
  });

  it('is scale-out with DATABASE_URL and then requires REDIS_URL and ENCRYPTION_KEY', () => {
    const key = 'a'.repeat(64);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', ENCRYPTION_KEY: key })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' })).toThrow(/ENCRYPTION_KEY/);
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x', ENCRYPTION_KEY: key, DATA_DIR: dir() });
    expect(c.mode).toBe('scale-out');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc', DATA_DIR: dir() })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc', DATA_DIR: dir() })).toThrow(/PORT/);
    expect(() => loadConfig({ ENCRYPTION_KEY: 'short', DATA_DIR: dir() })).toThrow(/ENCRYPTION_KEY/);
  });

  it('reads the webhook settings: defaults of a day of retries from 10 s, allowed hosts lower-cased, a retry base out of range refused', () => {
    expect(loadConfig({ DATA_DIR: dir() }).webhooks).toEqual({ allowedHosts: [], timeoutMs: 10_000, retryBaseMs: 10_000, retryWindowMs: 86_400_000, pollMs: 1_000 });
    expect(loadConfig({ DATA_DIR: dir(), WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal , 127.0.0.1,' }).webhooks.allowedHosts).toEqual(['hooks.internal', '127.0.0.1']);
    expect(() => loadConfig({ DATA_DIR: dir(), WEBHOOK_RETRY_BASE_MS: '0' })).toThrow(/WEBHOOK_RETRY_BASE_MS must be between 1 and 3600000/);
    expect(() => loadConfig({ DATA_DIR: dir(), WEBHOOK_RETRY_BASE_MS: '3600001' })).toThrow(/WEBHOOK_RETRY_BASE_MS/);
  });

  it('reads LOG_LEVEL: info unless set, case-insensitive, an unknown level refused naming the variable', () => {
    expect(loadConfig({ DATA_DIR: dir() }).logLevel).toBe('info');
    expect(loadConfig({ DATA_DIR: dir(), LOG_LEVEL: ' Debug ' }).logLevel).toBe('debug');
    expect(loadConfig({ DATA_DIR: dir(), LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => loadConfig({ DATA_DIR: dir(), LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
  });

  it('reads METRICS_PORT: unset means no listener, a port out of range refused naming the variable', () => {
    expect(loadConfig({ DATA_DIR: dir() }).metricsPort).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir(), METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => loadConfig({ DATA_DIR: dir(), METRICS_PORT: '0' })).toThrow(/METRICS_PORT must be between 1 and 65535/);
    expect(() => loadConfig({ DATA_DIR: dir(), METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
  });

  it('reads API_RATE_LIMIT_PER_MINUTE: 6000 unless set, 0 for no limit, a negative or fractional value refused naming the variable', () => {
    expect(loadConfig({ DATA_DIR: dir() }).apiRateLimitPerMinute).toBe(DEFAULT_API_RATE_LIMIT_PER_MINUTE);
    expect(DEFAULT_API_RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(loadConfig({ DATA_DIR: dir(), API_RATE_LIMIT_PER_MINUTE: '120' }).apiRateLimitPerMinute).toBe(120);
    expect(loadConfig({ DATA_DIR: dir(), API_RATE_LIMIT_PER_MINUTE: '0' }).apiRateLimitPerMinute).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dir(), API_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/API_RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ DATA_DIR: dir(), API_RATE_LIMIT_PER_MINUTE: '1.5' })).toThrow(/API_RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ DATA_DIR: dir(), API_RATE_LIMIT_PER_MINUTE: '10000001' })).toThrow(/API_RATE_LIMIT_PER_MINUTE must be between 0 and 10000000/);
  });
});

describe('embedded memory settings', () => {
  it('defaults, and reads EMBEDDED_SHARED_BUFFERS and EMBEDDED_HEAP_GROWING_PERCENT', () => {
    expect(loadConfig({ DATA_DIR: dataDirForBaseUrls() }).embedded).toEqual(DEFAULT_EMBEDDED_SETTINGS);
    const config = loadConfig({ DATA_DIR: dataDirForBaseUrls(), EMBEDDED_SHARED_BUFFERS: ' 128MB ', EMBEDDED_HEAP_GROWING_PERCENT: '0' });
    expect(config.embedded).toEqual({ sharedBuffers: '128MB', heapGrowingPercent: 0 });
    expect(loadConfig({ DATA_DIR: dataDirForBaseUrls(), EMBEDDED_SHARED_BUFFERS: '16384kB' }).embedded.sharedBuffers).toBe('16384kB');
  });

  it('refuses a size PostgreSQL would not take or the batch could not run with, naming the variable', () => {
    for (const bad of ['64', '64mb', '512kB', 'lots', '-1MB', '32GB']) {
      expect(() => loadConfig({ DATA_DIR: dataDirForBaseUrls(), EMBEDDED_SHARED_BUFFERS: bad })).toThrow(/EMBEDDED_SHARED_BUFFERS must be a size between 1MB and 16GB/);
    }
    expect(() => loadConfig({ DATA_DIR: dataDirForBaseUrls(), EMBEDDED_HEAP_GROWING_PERCENT: '-5' })).toThrow(/EMBEDDED_HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ DATA_DIR: dataDirForBaseUrls(), EMBEDDED_HEAP_GROWING_PERCENT: '2000' })).toThrow(/EMBEDDED_HEAP_GROWING_PERCENT must be between 0 and 1000/);
  });
});

describe('worker settings', () => {
  const dir = () => tempDir('shipbatch-config-');

  it('defaults to leases of 120 s (purchase) and 60 s (validation), merges in process, 16, 4, 4, 4, 4 jobs at once and an express lane up to 40 shipments', () => {
    expect(loadConfig({ DATA_DIR: dir() }).workers).toEqual(DEFAULT_WORKER_SETTINGS);
    expect(DEFAULT_WORKER_SETTINGS).toEqual({
      purchaseLeaseMs: 120_000,
      validationLeaseMs: 60_000,
      mergeThread: false,
      concurrency: { purchase: 16, purchaseExpress: 4, merge: 4, nativeBatch: 4, webhookDelivery: 4 },
      expressMaxShipments: 40,
      nativeBatch: { pollMs: 2_000, leaseMs: 120_000, purchaseUntakenMs: 300_000, labelReads: 100, downloads: 32 },
    });
  });

  it('reads the leases, MERGE_THREAD, every *_CONCURRENCY, PURCHASE_EXPRESS_MAX_SHIPMENTS and the NATIVE_BATCH_* settings', () => {
    const config = loadConfig({
      DATA_DIR: dir(),
      PURCHASE_LEASE_SECONDS: '10',
      VALIDATION_LEASE_SECONDS: ' 5 ',
      MERGE_THREAD: '1',
      PURCHASE_CONCURRENCY: '32',
      PURCHASE_EXPRESS_CONCURRENCY: '2',
      PURCHASE_EXPRESS_MAX_SHIPMENTS: '0',
      MERGE_CONCURRENCY: '1',
      NATIVE_BATCH_CONCURRENCY: '2',
      WEBHOOK_DELIVERY_CONCURRENCY: '8',
      NATIVE_BATCH_POLL_MS: '500',
      NATIVE_BATCH_LEASE_SECONDS: '30',
      NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS: '60',
      NATIVE_BATCH_LABEL_READS: '10',
      NATIVE_BATCH_DOWNLOADS: '4',
    });
    expect(config.workers).toEqual({
      purchaseLeaseMs: 10_000,
      validationLeaseMs: 5_000,
      mergeThread: true,
      concurrency: { purchase: 32, purchaseExpress: 2, merge: 1, nativeBatch: 2, webhookDelivery: 8 },
      expressMaxShipments: 0,
      nativeBatch: { pollMs: 500, leaseMs: 30_000, purchaseUntakenMs: 60_000, labelReads: 10, downloads: 4 },
    });
    expect(loadConfig({ DATA_DIR: dir(), MERGE_THREAD: '0' }).workers.mergeThread).toBe(false);
    expect(loadConfig({ DATA_DIR: dir(), PURCHASE_LEASE_SECONDS: '' }).workers.purchaseLeaseMs).toBe(120_000);
  });

  it.each([
    ['PURCHASE_LEASE_SECONDS', '0', /PURCHASE_LEASE_SECONDS must be between 1 and 86400, got 0/],
    ['PURCHASE_LEASE_SECONDS', 'abc', /PURCHASE_LEASE_SECONDS must be a non-negative integer, got 'abc'/],
    ['VALIDATION_LEASE_SECONDS', '1.5', /VALIDATION_LEASE_SECONDS must be a non-negative integer/],
    ['MERGE_THREAD', 'yes', /MERGE_THREAD must be 0 or 1, got 'yes'/],
    ['PURCHASE_CONCURRENCY', '0', /PURCHASE_CONCURRENCY must be between 1 and 1000, got 0/],
    ['PURCHASE_EXPRESS_CONCURRENCY', '0', /PURCHASE_EXPRESS_CONCURRENCY must be between 1 and 1000, got 0/],
    ['PURCHASE_EXPRESS_MAX_SHIPMENTS', '10001', /PURCHASE_EXPRESS_MAX_SHIPMENTS must be between 0 and 10000, got 10001/],
    ['MERGE_CONCURRENCY', '1001', /MERGE_CONCURRENCY must be between 1 and 1000/],
    ['NATIVE_BATCH_CONCURRENCY', '-1', /NATIVE_BATCH_CONCURRENCY must be a non-negative integer/],
    ['WEBHOOK_DELIVERY_CONCURRENCY', 'many', /WEBHOOK_DELIVERY_CONCURRENCY/],
    ['NATIVE_BATCH_POLL_MS', '10', /NATIVE_BATCH_POLL_MS must be between 50 and 3600000, got 10/],
    ['NATIVE_BATCH_LEASE_SECONDS', '0', /NATIVE_BATCH_LEASE_SECONDS must be between 1 and 86400/],
    ['NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS', 'soon', /NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS must be a non-negative integer/],
    ['NATIVE_BATCH_LABEL_READS', '0', /NATIVE_BATCH_LABEL_READS must be between 1 and 1000/],
    ['NATIVE_BATCH_DOWNLOADS', '2000', /NATIVE_BATCH_DOWNLOADS must be between 1 and 1000/],
  ])('refuses %s=%j, naming it', (name, value, message) => {
    expect(() => loadConfig({ DATA_DIR: dir(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir(), [name]: value })).toThrow(message);
  });
});

describe('provider base URLs', () => {
  it('takes DEFAULT_PROVIDER for carrier accounts created without one, mock unless set', () => {
    expect(loadConfig({ DATA_DIR: dataDirForBaseUrls() }).defaultProvider).toBe('mock');
    expect(loadConfig({ DATA_DIR: dataDirForBaseUrls(), DEFAULT_PROVIDER: ' shippo ' }).defaultProvider).toBe('shippo');
  });

  it('collects every *_BASE_URL variable but PUBLIC_BASE_URL, without trailing slashes', () => {
    const config = loadConfig({ DATA_DIR: dataDirForBaseUrls(), SHIPSTATION_BASE_URL: 'http://127.0.0.1:9/', SHIPPO_BASE_URL: 'https://api.example.test', PUBLIC_BASE_URL: 'http://x' });
    expect(config.providerBaseUrls).toEqual({ SHIPSTATION_BASE_URL: 'http://127.0.0.1:9', SHIPPO_BASE_URL: 'https://api.example.test' });
  });

  it('refuses a base URL that is not http(s), naming the variable', () => {
    expect(() => loadConfig({ DATA_DIR: dataDirForBaseUrls(), SHIPSTATION_BASE_URL: 'ftp://x' })).toThrow(/SHIPSTATION_BASE_URL must be an http\(s\) URL/);
    expect(() => loadConfig({ DATA_DIR: dataDirForBaseUrls(), SHIPSTATION_BASE_URL: 'not a url' })).toThrow(/SHIPSTATION_BASE_URL/);
  });
});

describe('file storage settings', () => {
  const dir = () => tempDir('shipbatch-config-');

  it('reads FILE_STORAGE: local unless set; s3 requires S3_BUCKET and normalises the other S3 settings', () => {
    expect(loadConfig({ DATA_DIR: dir() }).fileStorage).toEqual({ driver: 'local' });
    expect(loadConfig({ DATA_DIR: dir(), FILE_STORAGE: ' Local ', S3_BUCKET: 'ignored' }).fileStorage).toEqual({ driver: 'local' });
    expect(() => loadConfig({ DATA_DIR: dir(), FILE_STORAGE: 'gcs' })).toThrow(/FILE_STORAGE must be local or s3/);
    expect(() => loadConfig({ DATA_DIR: dir(), FILE_STORAGE: 's3' })).toThrow(/S3_BUCKET is required/);
    expect(loadConfig({ DATA_DIR: dir(), FILE_STORAGE: 's3', S3_BUCKET: 'labels' }).fileStorage).toEqual({
      driver: 's3',
      s3: { bucket: 'labels', prefix: '', endpoint: undefined, region: 'us-east-1', forcePathStyle: false },
    });
    const full = loadConfig({
      DATA_DIR: dir(),
      FILE_STORAGE: 'S3',
      S3_BUCKET: 'shipbatch.labels-1',
      S3_PREFIX: '/prod/files/',
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_REGION: 'eu-west-3',
      S3_FORCE_PATH_STYLE: 'true',
    }).fileStorage;
    expect(full).toEqual({
      driver: 's3',
      s3: { bucket: 'shipbatch.labels-1', prefix: 'prod/files/', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-3', forcePathStyle: true },
    });
    const s3 = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir(), FILE_STORAGE: 's3', S3_BUCKET: 'labels', ...env });
    expect(() => s3({ S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET must be a bucket name/);
    expect(() => s3({ S3_PREFIX: 'a/../b' })).toThrow(/S3_PREFIX/);
    expect(() => s3({ S3_PREFIX: 'a b' })).toThrow(/S3_PREFIX/);
    expect(() => s3({ S3_ENDPOINT: 'ftp://x' })).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(() => s3({ S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(() => s3({ S3_REGION: 'EU West' })).toThrow(/S3_REGION/);
    expect(() => s3({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE must be 1, 0, true or false/);
    expect(s3({ S3_FORCE_PATH_STYLE: '1' }).fileStorage).toMatchObject({ s3: { forcePathStyle: true } });
    expect(s3({ S3_FORCE_PATH_STYLE: '0' }).fileStorage).toMatchObject({ s3: { forcePathStyle: false } });
  });
});

describe('shutdown grace', () => {
  const dir = () => tempDir('shipbatch-config-');

  it('defaults to 30 s, reads SHUTDOWN_GRACE_SECONDS (0 to 3600) and refuses anything else, naming it', () => {
    expect(loadConfig({ DATA_DIR: dir() }).shutdownGraceMs).toBe(30_000);
    expect(loadConfig({ DATA_DIR: dir(), SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceMs).toBe(0);
    expect(loadConfig({ DATA_DIR: dir(), SHUTDOWN_GRACE_SECONDS: '120' }).shutdownGraceMs).toBe(120_000);
    expect(() => loadConfig({ DATA_DIR: dir(), SHUTDOWN_GRACE_SECONDS: '3601' })).toThrow(/SHUTDOWN_GRACE_SECONDS must be between 0 and 3600, got 3601/);
    expect(() => loadConfig({ DATA_DIR: dir(), SHUTDOWN_GRACE_SECONDS: 'soon' })).toThrow(/SHUTDOWN_GRACE_SECONDS must be a non-negative integer/);
  });
});

function dataDirForBaseUrls(): string {
  return tempDir('shipbatch-config-');
}
