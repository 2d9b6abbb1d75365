import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/**
 * ShipStation's `label_download_type`: `url` (the default) is how every label is served here
 * (`label_download.href`, a signed link); `inline` (the file, base64, in the answer) is not
 * offered and is refused rather than ignored.
 */
export function LabelDownloadType(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: ['url'], default: 'url', description: 'url only: labels are served by link (label_download); inline is not offered' }),
    IsOptional(),
    IsIn(['url'], { message: 'label_download_type must be url: labels are served by link (label_download.href); inline is not offered' }),
  );
}

/** `label_download_type` of the routes that answer one label (by id, by external_shipment_id). */
export class LabelDownloadQueryDto {
  @LabelDownloadType() label_download_type?: 'url';
}
