import type { UrlSigner } from '@shipbatch/platform/config';
import { InvalidFileKeyError } from './file-storage.errors';
import { isValidFileKey } from './file-storage';

/** How long a download URL handed to a client stays valid, unless the caller says otherwise (labels are printed days later). */
export const FILE_URL_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * `FileStorage.urlFor` of every driver: the API's own download route (`GET /files/<key>`),
 * signed and expiring. One URL scheme whatever holds the bytes: the route streams the file
 * through the driver's `open`, so any API process answers it and a bucket never has to be public.
 */
export function signedFileUrl(signer: Pick<UrlSigner, 'sign'>, publicBaseUrl: string, key: string, ttlMs = FILE_URL_TTL_MS): string {
  if (!isValidFileKey(key)) throw new InvalidFileKeyError(key);
  return publicBaseUrl + signer.sign(`/files/${key}`, new Date(Date.now() + ttlMs));
}
