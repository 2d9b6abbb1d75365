import type { LabelDocument, LabelFileType } from '@shipbatch/providers/core';
import { LABEL_PAGE_POINTS, layoutLabel, type MockLabelContent } from './label-layout';
import { writeLabelPdf } from './label-pdf.writer';
import { writeLabelPng } from './label-png.writer';
import { writeLabelZpl } from './label-zpl.writer';

export { LABEL_PAGE_POINTS, type MockLabelContent, type MockLabelParties } from './label-layout';

/**
 * Renders a mock label in the file type asked for. One layout (points, y down) drawn three ways:
 *
 * - PDF types: one page of the type's size (letter, 4x6, 4x8, A4, A5, A6, 2.3x7.5) written with
 *   @cantoo/pdf-lib; text in the standard Helvetica fonts, the Code 128 bars as one filled path;
 * - PNG types: a 1-bit PNG at 203 dpi (4x6 in = 812 x 1218 px; 2.3x7.5 in = 467 x 1523 px);
 * - ZPLII: one `^XA ... ^XZ` block for a 203 dpi printer, the barcode as `^BC`.
 *
 * The same content always gives the same bytes.
 */
export async function renderMockLabel(fileType: LabelFileType, content: MockLabelContent): Promise<LabelDocument> {
  const size = LABEL_PAGE_POINTS[fileType];
  if (!size) throw new Error(`mock: cannot render label file type '${String(fileType)}'`);
  if (fileType === 'ZPLII') return { contentType: 'application/zpl', extension: 'zpl', content: writeLabelZpl(layoutLabel(content, size, 'width-only')) };
  const layout = layoutLabel(content, size);
  if (fileType === 'PNG' || fileType === 'PNG_2.3x7.5') return { contentType: 'image/png', extension: 'png', content: await writeLabelPng(layout) };
  return { contentType: 'application/pdf', extension: 'pdf', content: await writeLabelPdf(layout) };
}
