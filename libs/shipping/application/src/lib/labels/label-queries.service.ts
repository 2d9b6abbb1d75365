import { Inject, Injectable } from '@nestjs/common';
import { fileFormatOf, type LabelFormat, labelFormatOf, type LabelListQuery, NotFoundError } from '@shipbatch/shipping/domain';
import type { FileStorage } from '../label-files/file-storage';
import type { LabelRecord, LabelRepository } from './label.repository';
import { FILE_STORAGE, LABEL_REPOSITORY } from '../tokens';

/** A label as read: its record plus the download link signed now (links expire; keys do not). */
export interface LabelView extends LabelRecord {
  download: { format: LabelFormat['format']; url: string } | null;
}

export interface LabelListView {
  labels: LabelView[];
  total: number;
}

/** Reads of bought labels (ShipStation's GET /v2/labels family). */
@Injectable()
export class LabelQueriesService {
  constructor(
    @Inject(LABEL_REPOSITORY) private readonly labels: LabelRepository,
    @Inject(FILE_STORAGE) private readonly files: Pick<FileStorage, 'urlFor'>,
  ) {}

  async list(tenantId: string, query: LabelListQuery): Promise<LabelListView> {
    const page = await this.labels.list(tenantId, query);
    return { total: page.total, labels: page.labels.map((l) => this.view(l)) };
  }

  async get(tenantId: string, id: string): Promise<LabelView> {
    const found = await this.labels.findById(tenantId, id);
    if (!found) throw new NotFoundError('Label', id);
    return this.view(found);
  }

  /** The tenant's labels among `ids`, by id (unknown ids are missing from the map). */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, LabelView>> {
    const found = await this.labels.findManyByIds(tenantId, ids);
    return new Map(found.map((l) => [l.id, this.view(l)]));
  }

  async getByExternalShipmentId(tenantId: string, externalShipmentId: string): Promise<LabelView> {
    const found = await this.labels.findByExternalShipmentId(tenantId, externalShipmentId);
    if (!found) throw new NotFoundError('Label with external_shipment_id', externalShipmentId);
    return this.view(found);
  }

  view(label: LabelRecord): LabelView {
    if (label.fileKey) {
      const format = fileFormatOf(label.fileKey) ?? labelFormatOf(label.labelFileType).format;
      return { ...label, download: { format, url: this.files.urlFor(label.fileKey) } };
    }
    if (label.fileUrl) return { ...label, download: { format: labelFormatOf(label.labelFileType).format, url: label.fileUrl } };
    return { ...label, download: null };
  }
}
