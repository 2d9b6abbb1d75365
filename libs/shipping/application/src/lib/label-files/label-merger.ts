/** A document the merge left out: its index in the input, and why. */
export interface SkippedLabelDocument {
  index: number;
  reason: string;
}

/**
 * Port (LABEL_MERGER): merges label documents (PDF pages, PNG images one a page), in order, into
 * one PDF. The implementation (pdf-lib, on a worker thread or not) is infrastructure:
 * `@shipbatch/shipping/label-merger`. ZPL needs no merger: its blocks are concatenated.
 */
export interface LabelMerger {
  /**
   * Reads `docs` one at a time, as the returned stream is consumed, and yields the merged PDF's
   * bytes as they are written: memory holds about one document, never the file. A document that
   * cannot be merged is left out and passed to `onSkipped` (before the stream ends), never fails
   * the merge. An error thrown by `docs` ends the stream with that error, so that a `FileStorage`
   * write fed by it stores nothing.
   */
  mergePdf(docs: AsyncIterable<Buffer>, onSkipped?: (skipped: SkippedLabelDocument) => void): AsyncIterable<Buffer>;
}
