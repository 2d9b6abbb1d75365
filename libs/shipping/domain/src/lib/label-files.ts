/** A batch's bought labels are merged, in batch order, into files of at most this many labels. */
export const LABELS_PER_FILE = 100;

/** What a merged file is: one PDF (PDF pages, PNG images one a page) or ZPL II blocks. */
export type MergedFileFormat = 'pdf' | 'zpl';

/** ZPLII batches merge into ZPL; every other label file type into one PDF. */
export function mergedFileFormat(labelFiletype: string): MergedFileFormat {
  return labelFiletype === 'ZPLII' ? 'zpl' : 'pdf';
}

/** What a label file is, by its first bytes (providers' content types are not always right). */
export type LabelDocumentKind = 'pdf' | 'png' | 'zpl' | 'unknown';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffLabelDocument(content: Buffer): LabelDocumentKind {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (content.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (/^\s*\^XA/.test(content.subarray(0, 64).toString('latin1'))) return 'zpl';
  return 'unknown';
}

/** Whether a label of this kind can go into a merged file of this format. */
export function fitsMergedFormat(kind: LabelDocumentKind, format: MergedFileFormat): boolean {
  return format === 'zpl' ? kind === 'zpl' : kind === 'pdf' || kind === 'png';
}

/** ZPL II labels are self-contained `^XA ... ^XZ` blocks: merging is concatenation. */
export function zplBlock(content: Buffer): Buffer {
  return content.length > 0 && content[content.length - 1] !== 0x0a ? Buffer.concat([content, Buffer.from('\n')]) : content;
}
