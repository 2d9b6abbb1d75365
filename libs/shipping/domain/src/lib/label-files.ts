/** A batch's bought labels are merged, in batch order, into files of at most this many labels. */
export const LABELS_PER_FILE = 100;

/** What a merged file is: one PDF (PDF pages, PNG images one a page) or ZPL II blocks. */
export type MergedFileFormat = 'pdf' | 'zpl';

/** ZPLII batches merge into ZPL; every other label file type into one PDF. */
export function mergedFileFormat(labelFiletype: string): MergedFileFormat {
  return labelFiletype === 'ZPLII' ? 'zpl' : 'pdf';
}
