import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, UrlSigner } from '@shipbatch/platform/config';
import type { LabelFileStore } from '@shipbatch/shipping/application';

/** How long a download URL handed to a client stays valid. */
export const FILE_URL_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Label files on local disk under DATA_DIR/files (the default driver). Writes go to a temp
 * file renamed into place, so a reader never sees half a file and a rewrite is harmless.
 */
@Injectable()
export class LocalLabelFileStore implements LabelFileStore {
  readonly root: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signer: UrlSigner,
  ) {
    this.root = join(config.dataDir, 'files');
  }

  async put(key: string, content: Buffer): Promise<void> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, content);
    await rename(tmp, path);
  }

  urlFor(key: string): string {
    return this.config.publicBaseUrl + this.signer.sign(`/files/${key}`, new Date(Date.now() + FILE_URL_TTL_MS));
  }

  /** The file's path on disk; refuses keys that would leave the root. */
  pathFor(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`bad file key: ${key}`);
    return path;
  }
}
