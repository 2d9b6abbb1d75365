import type { SkippedLabelDocument } from '@shipbatch/shipping/application';
import { PdfStreamWriter } from './pdf-stream.writer';

/**
 * Merges `docs` into one PDF on this thread, reading one document at a time and yielding the
 * file's bytes as they are written (the header, then each label's objects, then the page tree,
 * the xref table and the trailer). A document that cannot be merged is left out and reported to
 * `onSkipped`; an error thrown by `docs` ends the stream with it.
 */
export async function* mergePdfStream(
  docs: AsyncIterable<Buffer> | Iterable<Buffer>,
  onSkipped?: (skipped: SkippedLabelDocument) => void,
): AsyncGenerator<Buffer> {
  const writer = await PdfStreamWriter.create();
  yield writer.header();
  let index = 0;
  for await (const doc of docs) {
    let bytes: Buffer | null = null;
    try {
      bytes = await writer.add(doc);
    } catch (error) {
      onSkipped?.({ index, reason: String(error) });
    }
    index++;
    // Outside the try: an error thrown into the generator is not a skipped label.
    if (bytes && bytes.length > 0) yield bytes;
  }
  yield writer.finish();
}
