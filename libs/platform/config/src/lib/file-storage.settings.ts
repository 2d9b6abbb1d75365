import { ConfigError } from './config.errors';

/** Where label files are kept (`FILE_STORAGE`): local disk under `DATA_DIR/files`, or an S3-compatible bucket. */
export type FileStorageDriver = 'local' | 's3';

/** An S3-compatible bucket for label files (README, "Label files in object storage"). Credentials come from the AWS SDK's default chain, never from here. */
export interface S3Settings {
  /** `S3_BUCKET` (required with `FILE_STORAGE=s3`). */
  bucket: string;
  /** `S3_PREFIX`: prepended to every key, normalised to `''` or `segment/.../` (no leading `/`). */
  prefix: string;
  /** `S3_ENDPOINT`: an http(s) URL for an S3-compatible store (MinIO, R2, ...); unset for AWS. */
  endpoint?: string;
  /** `S3_REGION`, default `us-east-1`. */
  region: string;
  /** `S3_FORCE_PATH_STYLE`: `bucket` in the path rather than the host name (most self-hosted stores need it). */
  forcePathStyle: boolean;
}

/** The `FileStorage` driver and its settings. */
export type FileStorageSettings = { driver: 'local' } | { driver: 's3'; s3: S3Settings };

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const REGION = /^[a-z0-9][a-z0-9-]*$/;

/** Reads `FILE_STORAGE` and, with `s3`, the `S3_*` variables; names the variable that is wrong. */
export function fileStorageSettings(env: NodeJS.ProcessEnv): FileStorageSettings {
  const driver = (env['FILE_STORAGE'] ?? '').trim().toLowerCase() || 'local';
  if (driver === 'local') return { driver };
  if (driver !== 's3') throw new ConfigError(`FILE_STORAGE must be local or s3, got '${env['FILE_STORAGE']}'`);
  return { driver, s3: s3Settings(env) };
}

function s3Settings(env: NodeJS.ProcessEnv): S3Settings {
  const bucket = (env['S3_BUCKET'] ?? '').trim();
  if (!bucket) throw new ConfigError('S3_BUCKET is required when FILE_STORAGE=s3');
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new ConfigError(`S3_BUCKET must be a bucket name (3 to 63 lower-case letters, digits, dots and hyphens), got '${bucket}'`);
  }
  const region = (env['S3_REGION'] ?? '').trim() || 'us-east-1';
  if (!REGION.test(region)) throw new ConfigError(`S3_REGION must be a region name such as us-east-1, got '${region}'`);
  return { bucket, prefix: prefix(env['S3_PREFIX']), endpoint: endpoint(env['S3_ENDPOINT']), region, forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE') };
}

/** `labels/`, `/a/b/` and `a/b` alike become `a/b/`; each segment as a file key's. */
function prefix(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/');
  if (!segments.every((s) => PREFIX_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new ConfigError(`S3_PREFIX must be segments of letters, digits, '.', '_' and '-' separated by '/', got '${raw}'`);
  }
  return `${segments.join('/')}/`;
}

function endpoint(raw: string | undefined): string | undefined {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new ConfigError(`S3_ENDPOINT must be an http(s) URL, got '${trimmed}'`);
  return trimmed.replace(/\/+$/, '');
}

/** `1`/`true` or `0`/`false` (unset or empty: false). */
function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1, 0, true or false, got '${env[name]}'`);
}
