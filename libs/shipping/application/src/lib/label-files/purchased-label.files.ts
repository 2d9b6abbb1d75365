import { Inject, Injectable, Logger } from '@nestjs/common';
import { isProviderError, type LabelDocument, type LabelProvider, type PurchasedLabel } from '@shipbatch/providers/core';
import type { FileStorage } from './file-storage';
import type { ClaimedPurchase, StoredLabelFile } from '../purchase/purchase.repository';
import { FILE_STORAGE } from '../tokens';

/** Tries of a label file download before the label is recorded with its provider URL only. */
export const DOCUMENT_DOWNLOAD_TRIES = 3;

/**
 * Stores a bought label's file, whichever way the provider hands it over: inline, or by URL
 * (downloaded through the adapter's transport, with its size limit and timeout). Stored files
 * go into merged files and `label_download` like any other. A label whose file cannot be had is
 * still recorded (it was paid for), with the provider's URL, and the failure is logged.
 */
@Injectable()
export class PurchasedLabelFiles {
  private readonly logger = new Logger(PurchasedLabelFiles.name);

  constructor(@Inject(FILE_STORAGE) private readonly files: FileStorage) {}

  async store(claim: ClaimedPurchase, label: PurchasedLabel, provider: LabelProvider): Promise<StoredLabelFile | null> {
    const document = label.document ?? (label.documentUrl ? await this.download(claim, label.documentUrl, provider) : null);
    if (!document) return label.documentUrl ? { key: '', url: label.documentUrl } : null;
    const key = `labels/${claim.tenantId}/${claim.id}.${document.extension}`;
    await this.files.put(key, document.content, document.contentType);
    return { key, url: this.files.urlFor(key) };
  }

  private async download(claim: ClaimedPurchase, url: string, provider: LabelProvider): Promise<LabelDocument | null> {
    if (!provider.downloadDocument) {
      this.logger.warn(`shipment ${claim.id}: provider ${provider.key} serves label files by URL but cannot download them`);
      return null;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await provider.downloadDocument(url);
      } catch (error) {
        const retryable = isProviderError(error) && error.retryable;
        const message = error instanceof Error ? error.message : String(error);
        if (!retryable || attempt >= DOCUMENT_DOWNLOAD_TRIES) {
          this.logger.warn(
            `shipment ${claim.id} (batch ${claim.batchId}): label file not downloaded after ${attempt} attempt(s): ${message}; ` +
              `the label is recorded with the provider's URL and left out of merged files`,
          );
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  }
}
