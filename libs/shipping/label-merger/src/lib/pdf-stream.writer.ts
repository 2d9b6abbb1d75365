import { PDFDict, PDFDocument, PDFImage, PDFName, PDFNumber, PDFPage, type PDFRef, PngEmbedder } from '@cantoo/pdf-lib';
import { sniffLabelDocument } from '@shipbatch/shipping/domain';

/** Resolution assumed for a PNG label without a pHYs chunk: thermal label printers' 203 dpi. */
export const DEFAULT_PNG_DPI = 203;

/** A PNG's resolution from its pHYs chunk (pixels per metre), or DEFAULT_PNG_DPI. */
export function pngDpi(png: Buffer): { x: number; y: number } {
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'pHYs' && length >= 9 && at + 17 <= png.length) {
      const unit = png[at + 16];
      const x = png.readUInt32BE(at + 8);
      const y = png.readUInt32BE(at + 12);
      if (unit === 1 && x > 0 && y > 0) return { x: x * 0.0254, y: y * 0.0254 };
      break;
    }
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + length;
  }
  return { x: DEFAULT_PNG_DPI, y: DEFAULT_PNG_DPI };
}

const NL = 0x0a;

/**
 * Writes one merged PDF a label at a time, so that memory holds one label, never the file.
 *
 * pdf-lib builds a document in memory and `save()` serializes all of it; here its document is
 * only a workbench. `header()` gives the file's first bytes; `add(label)` copies the label's pages
 * in (a PDF: `copyPages`; a PNG: a page of the image's size, the image embedded at once), then
 * serializes every indirect object the label created, as pdf-lib's `PDFWriter` does (`n 0 obj`,
 * the object's bytes, `endobj`), records each object's byte offset and deletes it from the
 * document. Only the catalog and the page tree root stay, with the page references; `finish()`
 * writes them, then the classic cross-reference table, the trailer and `startxref`.
 * A label that cannot be merged throws from `add` and leaves nothing behind.
 */
export class PdfStreamWriter {
  /** Byte offset of each object number written; holes are free entries of the xref table. */
  private readonly offsets: number[] = [];
  private readonly pageRefs: PDFRef[] = [];
  private written = 0;
  private finished = false;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly rootRef: PDFRef,
    private readonly pagesRef: PDFRef,
  ) {}

  static async create(): Promise<PdfStreamWriter> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const rootRef = doc.context.trailerInfo.Root as PDFRef;
    const pagesRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
    return new PdfStreamWriter(doc, rootRef, pagesRef);
  }

  /** Pages written so far. */
  get pageCount(): number {
    return this.pageRefs.length;
  }

  /** Bytes written so far (header included). */
  get size(): number {
    return this.written;
  }

  /** The file's header: `%PDF-1.7` and a binary comment. Call once, first. */
  header(): Buffer {
    const header = this.doc.context.header;
    const bytes = Buffer.alloc(header.sizeInBytes() + 2);
    const n = header.copyBytesInto(bytes, 0);
    bytes[n] = NL;
    bytes[n + 1] = NL;
    this.written += bytes.length;
    return bytes;
  }

  /**
   * Adds one label (a PDF's pages, or a PNG as a page) and returns the bytes of the objects it
   * made. Throws (leaving the file as it was) when the label cannot be read.
   */
  async add(content: Buffer): Promise<Buffer> {
    if (this.finished) throw new Error('the merged PDF is finished');
    const mark = this.doc.context.largestObjectNumber;
    let pages: PDFPage[];
    try {
      pages = await this.pagesOf(content);
    } catch (error) {
      this.discardFrom(mark + 1);
      throw error;
    }
    for (const page of pages) {
      page.node.setParent(this.pagesRef);
      this.pageRefs.push(page.ref);
    }
    return this.drain();
  }

  /** The page tree root, the catalog, the xref table and the trailer: the file's last bytes. */
  finish(): Buffer {
    if (this.finished) throw new Error('the merged PDF is finished');
    this.finished = true;
    const { context } = this.doc;
    const tree = context.lookup(this.pagesRef, PDFDict);
    tree.set(PDFName.of('Kids'), context.obj(this.pageRefs));
    tree.set(PDFName.of('Count'), PDFNumber.of(this.pageRefs.length));
    const objects = this.drain(true);
    const xrefOffset = this.written;
    const size = context.largestObjectNumber + 1;
    // Free entries: object 0 heads the list of unused numbers (a label left out leaves some).
    const free: number[] = [];
    for (let n = 1; n < size; n++) if (this.offsets[n] === undefined) free.push(n);
    const entries = ['xref', `0 ${size}`, `${pad(free[0] ?? 0, 10)} 65535 f `];
    let nextFree = 1;
    for (let n = 1; n < size; n++) {
      const offset = this.offsets[n];
      if (offset !== undefined) entries.push(`${pad(offset, 10)} 00000 n `);
      else entries.push(`${pad(free[nextFree++] ?? 0, 10)} 00001 f `);
    }
    const root = `${this.rootRef.objectNumber} ${this.rootRef.generationNumber} R`;
    const tail = `${entries.join('\n')}\ntrailer\n<<\n/Size ${size}\n/Root ${root}\n>>\nstartxref\n${xrefOffset}\n%%EOF`;
    const bytes = Buffer.concat([objects, Buffer.from(tail, 'latin1')]);
    this.written += bytes.length - objects.length;
    return bytes;
  }

  private async pagesOf(content: Buffer): Promise<PDFPage[]> {
    const kind = sniffLabelDocument(content);
    if (kind === 'pdf') {
      const src = await PDFDocument.load(content, { updateMetadata: false });
      return this.doc.copyPages(src, src.getPageIndices());
    }
    if (kind === 'png') {
      // Not doc.embedPng: the document would keep every image; embedded now, written with the page.
      const image = PDFImage.of(this.doc.context.nextRef(), this.doc, await PngEmbedder.for(content));
      await image.embed();
      const dpi = pngDpi(content);
      const width = (image.width * 72) / dpi.x;
      const height = (image.height * 72) / dpi.y;
      const page = PDFPage.create(this.doc);
      page.setSize(width, height);
      page.drawImage(image, { x: 0, y: 0, width, height });
      return [page];
    }
    throw new Error(`a ${kind} label cannot go into a merged PDF`);
  }

  /** Serializes the objects still in the document (all but the catalog and page tree root unless `all`), and forgets them. */
  private drain(all = false): Buffer {
    const { context } = this.doc;
    const objects = context
      .enumerateIndirectObjects()
      .filter(([ref]) => all || (ref !== this.rootRef && ref !== this.pagesRef));
    let size = 0;
    for (const [ref, object] of objects) size += ref.sizeInBytes() + 3 + object.sizeInBytes() + 9;
    const bytes = Buffer.alloc(size);
    let at = 0;
    for (const [ref, object] of objects) {
      this.offsets[ref.objectNumber] = this.written + at;
      at += bytes.write(`${ref.objectNumber} ${ref.generationNumber} obj\n`, at, 'latin1');
      at += object.copyBytesInto(bytes, at);
      at += bytes.write('\nendobj\n\n', at, 'latin1');
      context.delete(ref);
    }
    this.written += at;
    return at === size ? bytes : bytes.subarray(0, at);
  }

  /** Drops the objects a label that failed had made (numbers from `first` on). */
  private discardFrom(first: number): void {
    const { context } = this.doc;
    for (const [ref] of context.enumerateIndirectObjects()) if (ref.objectNumber >= first) context.delete(ref);
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
