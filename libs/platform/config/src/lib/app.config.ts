import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError } from './config.errors';
import { type FileStorageSettings, fileStorageSettings } from './file-storage.settings';
import { type HttpSettings, httpSettings } from './http.settings';

export { ConfigError } from './config.errors';

export type RunMode = 'embedded' | 'scale-out';

/** pino's levels, most to least severe, and `silent` (nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service's configuration, read once from the environment. See the README's table. */
export interface AppConfig {
  /** embedded when DATABASE_URL is unset (PGlite + in-process queue), scale-out otherwise. */
  mode: RunMode;
  port: number;
  /** The worker's HTTP port for /metrics and /health/* (`METRICS_PORT`); unset: no listener. The API serves them on `port`. */
  metricsPort?: number;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Key prefix for Redis (queues, rate limits); lets test runs share one Redis. */
  queuePrefix: string;
  adminToken?: string;
  /**
   * Requests a minute each tenant (or, without a valid API key, each client address) may make to
   * the API, shared by every API process (`API_RATE_LIMIT_PER_MINUTE`, 6000; 0: no limit).
   */
  apiRateLimitPerMinute: number;
  encryptionKey: Buffer;
  /** Base URL used in links (pagination `next`, label files). */
  publicBaseUrl: string;
  /** The provider of a carrier account created without one (a Shippo client sends none): DEFAULT_PROVIDER, default `mock`. */
  defaultProvider: string;
  /** Whether this process runs queue workers (embedded: yes; api: no; worker: yes). */
  runWorkers: boolean;
  /** Seconds between reconciler passes. */
  reconcileIntervalSeconds: number;
  /**
   * After SIGTERM, how long in-flight work may take before the process exits anyway
   * (`SHUTDOWN_GRACE_SECONDS`, 30, 0 to 3600): purchases in flight on a worker, requests in
   * flight on an API process.
   */
  shutdownGraceMs: number;
  /**
   * Provider base URLs set by the operator, by variable name (`SHIPSTATION_BASE_URL` ->
   * `https://...`): every `*_BASE_URL` variable of the environment. A provider definition names
   * its variable; unset ones fall back to the definition's default.
   */
  providerBaseUrls: Record<string, string>;
  webhooks: WebhookSettings;
  /** The least severe level written to the log (`LOG_LEVEL`, default `info`). */
  logLevel: LogLevel;
  /** Memory settings of embedded mode (ignored in scale-out). */
  embedded: EmbeddedSettings;
  /** The queue workers' leases, concurrency and PDF merging. */
  workers: WorkerSettings;
  /** Where label files are kept: `FILE_STORAGE` (`local`, default, or `s3` with the `S3_*` settings). */
  fileStorage: FileStorageSettings;
  /** CORS and proxies: `CORS_ORIGINS`, `TRUST_PROXY`. */
  http: HttpSettings;
}

/** What a worker process runs and how long it holds what it took (README, "Configuration"). */
export interface WorkerSettings {
  /** How long a worker holds a shipment in PURCHASING before others treat it as crashed (`PURCHASE_LEASE_SECONDS`, 120). */
  purchaseLeaseMs: number;
  /** How long a validator holds a batch before others treat it as crashed; renewed every third of it (`VALIDATION_LEASE_SECONDS`, 60). */
  validationLeaseMs: number;
  /** Merge PDFs on a worker thread instead of the worker's event loop (`MERGE_THREAD`: 1 or 0, default 0). */
  mergeThread: boolean;
  /** Jobs at once per worker process, by queue. */
  concurrency: WorkerConcurrency;
  /**
   * A purchase request goes to the express lane when its tenant then has at most this many
   * shipments queued or being bought, the request's own included (`PURCHASE_EXPRESS_MAX_SHIPMENTS`,
   * 40: what the 4 express slots of one worker take in groups of 10; 0: no express lane).
   * README, "Fair between tenants".
   */
  expressMaxShipments: number;
  /** How native batches (a provider's own batch API) are driven. */
  nativeBatch: NativeBatchSettings;
}

/** How the core drives a provider's batch API (README, "Configuration"). */
export interface NativeBatchSettings {
  /** The longest wait between two reads of a provider batch still validating or purchasing (`NATIVE_BATCH_POLL_MS`, 2000). */
  pollMs: number;
  /** How long a worker holds a native batch's step or one of its pages before others treat it as crashed (`NATIVE_BATCH_LEASE_SECONDS`, 120). */
  leaseMs: number;
  /** A purchase never acknowledged whose provider batch is still unpurchased this long after was not made (`NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS`, 300). */
  purchaseUntakenMs: number;
  /** Labels of one page read at once while collecting (`NATIVE_BATCH_LABEL_READS`, 100). */
  labelReads: number;
  /** Label files of one page downloaded at once, apart from the reads (`NATIVE_BATCH_DOWNLOADS`, 32). */
  downloads: number;
}

/** Jobs of each queue at once per worker process. */
export interface WorkerConcurrency {
  /** `PURCHASE_CONCURRENCY`, 16. */
  purchase: number;
  /** `PURCHASE_EXPRESS_CONCURRENCY`, 4: the express lane's purchase jobs, on top of `purchase`. */
  purchaseExpress: number;
  /** `MERGE_CONCURRENCY`, 4. */
  merge: number;
  /** `NATIVE_BATCH_CONCURRENCY`, 4. */
  nativeBatch: number;
  /** `WEBHOOK_DELIVERY_CONCURRENCY`, 4. */
  webhookDelivery: number;
}

export const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  purchaseLeaseMs: 120_000,
  validationLeaseMs: 60_000,
  mergeThread: false,
  concurrency: Object.freeze({ purchase: 16, purchaseExpress: 4, merge: 4, nativeBatch: 4, webhookDelivery: 4 }),
  expressMaxShipments: 40,
  nativeBatch: Object.freeze({ pollMs: 2_000, leaseMs: 120_000, purchaseUntakenMs: 300_000, labelReads: 100, downloads: 32 }),
});

/** `SHUTDOWN_GRACE_SECONDS` unset. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

/** API requests a minute per tenant unless `API_RATE_LIMIT_PER_MINUTE` says otherwise: 100 a second, more than any client of ours sends. */
export const DEFAULT_API_RATE_LIMIT_PER_MINUTE = 6_000;

/** The longest lease taken, in seconds (a day). */
const MAX_LEASE_SECONDS = 86_400;
/** The most jobs of one queue at once per process. */
const MAX_CONCURRENCY = 1_000;

/** Embedded mode's memory settings (README, "Embedded memory and the first start"). */
export interface EmbeddedSettings {
  /** PostgreSQL `shared_buffers` of the embedded database, e.g. `64MB` (`EMBEDDED_SHARED_BUFFERS`). */
  sharedBuffers: string;
  /**
   * How far V8 lets the JS heap grow past what a full GC left alive, in percent
   * (`EMBEDDED_HEAP_GROWING_PERCENT`); 0 leaves V8's own heuristic.
   */
  heapGrowingPercent: number;
}

export const DEFAULT_EMBEDDED_SETTINGS: Readonly<EmbeddedSettings> = { sharedBuffers: '64MB', heapGrowingPercent: 50 };

/** Outgoing webhooks: operator settings (README, "Webhooks"). */
export interface WebhookSettings {
  /** Hosts a webhook may point at although they resolve to private addresses (`WEBHOOK_ALLOWED_HOSTS`, comma-separated). */
  allowedHosts: string[];
  /** How long an attempt waits for the receiver's answer (`WEBHOOK_TIMEOUT_MS`, 10 000). */
  timeoutMs: number;
  /** The first retry's delay; each next one doubles, with jitter (`WEBHOOK_RETRY_BASE_MS`, 10 000). */
  retryBaseMs: number;
  /** How long a delivery is retried after its first attempt before it is `failed` (`WEBHOOK_RETRY_WINDOW_SECONDS`, 86 400). */
  retryWindowMs: number;
  /** How often each worker turns new events into deliveries and sends the due ones (`WEBHOOK_POLL_MS`, 1 000). */
  pollMs: number;
}

function parseKey(raw: string, source: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${source} must be 32 bytes, as 64 hex characters or base64 (got ${key.length} bytes)`);
  }
  return key;
}

/** ENCRYPTION_KEY, or in embedded mode a key made once and kept in DATA_DIR. */
function loadEncryptionKey(env: NodeJS.ProcessEnv, mode: RunMode, dataDir: string): Buffer {
  if (env['ENCRYPTION_KEY']) return parseKey(env['ENCRYPTION_KEY'], 'ENCRYPTION_KEY');
  if (mode === 'scale-out') {
    throw new ConfigError(
      'ENCRYPTION_KEY is required when DATABASE_URL is set (all processes must share it); ' +
        'make one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"',
    );
  }
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

function intBetween(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const n = int(env, name, fallback);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (env['LOG_LEVEL'] ?? '').trim().toLowerCase();
  if (raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${env['LOG_LEVEL']}'`);
  }
  return raw as LogLevel;
}

/** PostgreSQL's memory units; the embedded database needs at least 1MB of buffers to run a batch. */
function sharedBuffers(env: NodeJS.ProcessEnv): string {
  const raw = (env['EMBEDDED_SHARED_BUFFERS'] ?? '').trim();
  if (!raw) return DEFAULT_EMBEDDED_SETTINGS.sharedBuffers;
  const m = /^(\d+)\s*(kB|MB|GB)$/.exec(raw);
  const kb = m ? Number(m[1]) * { kB: 1, MB: 1024, GB: 1024 * 1024 }[m[2] as 'kB' | 'MB' | 'GB'] : NaN;
  if (!m || !(kb >= 1024 && kb <= 16 * 1024 * 1024)) {
    throw new ConfigError(`EMBEDDED_SHARED_BUFFERS must be a size between 1MB and 16GB such as 64MB (units kB, MB, GB), got '${raw}'`);
  }
  return `${m[1]}${m[2]}`;
}

/** `0` or `1` (unset or empty: `fallback`). */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new ConfigError(`${name} must be 0 or 1, got '${env[name]}'`);
  return raw === '1';
}

function workerSettings(env: NodeJS.ProcessEnv): WorkerSettings {
  const d = DEFAULT_WORKER_SETTINGS;
  const seconds = (name: string, fallbackMs: number) => intBetween(env, name, fallbackMs / 1000, 1, MAX_LEASE_SECONDS) * 1000;
  const jobs = (name: string, fallback: number) => intBetween(env, name, fallback, 1, MAX_CONCURRENCY);
  return {
    purchaseLeaseMs: seconds('PURCHASE_LEASE_SECONDS', d.purchaseLeaseMs),
    validationLeaseMs: seconds('VALIDATION_LEASE_SECONDS', d.validationLeaseMs),
    mergeThread: flag(env, 'MERGE_THREAD', d.mergeThread),
    concurrency: {
      purchase: jobs('PURCHASE_CONCURRENCY', d.concurrency.purchase),
      purchaseExpress: jobs('PURCHASE_EXPRESS_CONCURRENCY', d.concurrency.purchaseExpress),
      merge: jobs('MERGE_CONCURRENCY', d.concurrency.merge),
      nativeBatch: jobs('NATIVE_BATCH_CONCURRENCY', d.concurrency.nativeBatch),
      webhookDelivery: jobs('WEBHOOK_DELIVERY_CONCURRENCY', d.concurrency.webhookDelivery),
    },
    expressMaxShipments: intBetween(env, 'PURCHASE_EXPRESS_MAX_SHIPMENTS', d.expressMaxShipments, 0, 10_000),
    nativeBatch: {
      pollMs: intBetween(env, 'NATIVE_BATCH_POLL_MS', d.nativeBatch.pollMs, 50, 3_600_000),
      leaseMs: seconds('NATIVE_BATCH_LEASE_SECONDS', d.nativeBatch.leaseMs),
      purchaseUntakenMs: seconds('NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS', d.nativeBatch.purchaseUntakenMs),
      labelReads: jobs('NATIVE_BATCH_LABEL_READS', d.nativeBatch.labelReads),
      downloads: jobs('NATIVE_BATCH_DOWNLOADS', d.nativeBatch.downloads),
    },
  };
}

/** Every `<NAME>_BASE_URL` variable, checked to be an http(s) URL, without a trailing slash. */
function providerBaseUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!/^[A-Z][A-Z0-9_]*_BASE_URL$/.test(name) || !raw || name === 'PUBLIC_BASE_URL') continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`${name} must be an http(s) URL, got '${raw}'`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must be an http(s) URL, got '${raw}'`);
    urls[name] = raw.replace(/\/+$/, '');
  }
  return urls;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const databaseUrl = env['DATABASE_URL'] || undefined;
  const redisUrl = env['REDIS_URL'] || undefined;
  const mode: RunMode = databaseUrl ? 'scale-out' : 'embedded';
  if (mode === 'scale-out' && !redisUrl && overrides.runWorkers !== false) {
    // Scale-out workers need a shared queue; an API-only process could enqueue nowhere.
    throw new ConfigError('REDIS_URL is required when DATABASE_URL is set (scale-out mode)');
  }
  const dataDir = resolve(env['DATA_DIR'] || './.data');
  const port = int(env, 'PORT', 3000);
  const config: AppConfig = {
    mode,
    port,
    metricsPort: env['METRICS_PORT'] ? intBetween(env, 'METRICS_PORT', 0, 1, 65_535) : undefined,
    dataDir,
    databaseUrl,
    redisUrl,
    queuePrefix: env['QUEUE_PREFIX'] || 'shipbatch',
    adminToken: env['ADMIN_TOKEN'] || undefined,
    apiRateLimitPerMinute: intBetween(env, 'API_RATE_LIMIT_PER_MINUTE', DEFAULT_API_RATE_LIMIT_PER_MINUTE, 0, 10_000_000),
    encryptionKey: loadEncryptionKey(env, mode, dataDir),
    publicBaseUrl: (env['PUBLIC_BASE_URL'] || `http://localhost:${port}`).replace(/\/+$/, ''),
    defaultProvider: (env['DEFAULT_PROVIDER'] || 'mock').trim(),
    runWorkers: true,
    reconcileIntervalSeconds: int(env, 'RECONCILE_INTERVAL_SECONDS', 60),
    shutdownGraceMs: intBetween(env, 'SHUTDOWN_GRACE_SECONDS', DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 3_600) * 1000,
    providerBaseUrls: providerBaseUrls(env),
    webhooks: {
      allowedHosts: (env['WEBHOOK_ALLOWED_HOSTS'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
      retryBaseMs: intBetween(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3_600_000),
      retryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_SECONDS', 86_400) * 1000,
      pollMs: int(env, 'WEBHOOK_POLL_MS', 1_000),
    },
    logLevel: logLevel(env),
    embedded: {
      sharedBuffers: sharedBuffers(env),
      heapGrowingPercent: intBetween(env, 'EMBEDDED_HEAP_GROWING_PERCENT', DEFAULT_EMBEDDED_SETTINGS.heapGrowingPercent, 0, 1000),
    },
    workers: workerSettings(env),
    fileStorage: fileStorageSettings(env),
    http: httpSettings(env),
    ...overrides,
  };
  return config;
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
