/** A merged PDF and what could not go into it. */
export interface PdfMergeResult {
  pdf: Buffer;
  /** Documents that could not be merged (index in the input, and why); left out of `pdf`. */
  skipped: Array<{ index: number; reason: string }>;
}

/**
 * Port (LABEL_MERGER): merges label documents (PDF pages, PNG images one a page), in order, into
 * one PDF. A document that cannot be merged is left out and reported, never fails the merge.
 * The implementation (pdf-lib, on a worker thread or not) is infrastructure:
 * `@shipbatch/shipping/label-merger`. ZPL needs no merger: its blocks are concatenated.
 */
export interface LabelMerger {
  mergePdf(docs: Buffer[]): Promise<PdfMergeResult>;
}
