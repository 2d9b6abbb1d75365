import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from '@shipbatch/platform/config';

/**
 * An S3 client for the settings (`S3_ENDPOINT`, `S3_REGION`, `S3_FORCE_PATH_STYLE`). Credentials
 * are the SDK's default chain (environment, shared files, container or instance roles) unless a
 * caller passes some (the tests' own server); they are never read or logged here.
 */
export function createS3Client(settings: Pick<S3Settings, 'endpoint' | 'region' | 'forcePathStyle'>, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    // Checksums only where S3 requires them: many S3-compatible stores refuse the SDK's default trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}
