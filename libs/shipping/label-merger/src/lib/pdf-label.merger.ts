import { PDFDocument } from '@cantoo/pdf-lib';
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

/**
 * Builds one merged PDF from label documents added one at a time, in order: a PDF label's
 * pages are copied in (pdf-lib copyPages), a PNG label becomes a page of its own sized to
 * the image at its resolution. Holds one merged file (at most 100 labels) in memory.
 */
export class PdfLabelMerger {
  private constructor(private readonly out: PDFDocument) {}

  private pages = 0;

  static async create(): Promise<PdfLabelMerger> {
    const out = await PDFDocument.create({ updateMetadata: false });
    return new PdfLabelMerger(out);
  }

  get pageCount(): number {
    return this.pages;
  }

  async add(content: Buffer): Promise<void> {
    const kind = sniffLabelDocument(content);
    if (kind === 'pdf') {
      const src = await PDFDocument.load(content, { updateMetadata: false });
      for (const page of await this.out.copyPages(src, src.getPageIndices())) {
        this.out.addPage(page);
        this.pages++;
      }
    } else if (kind === 'png') {
      const image = await this.out.embedPng(content);
      const dpi = pngDpi(content);
      const width = (image.width * 72) / dpi.x;
      const height = (image.height * 72) / dpi.y;
      this.out.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
      this.pages++;
    } else {
      throw new Error(`a ${kind} label cannot go into a merged PDF`);
    }
  }

  async save(): Promise<Buffer> {
    // Without object streams pdf-lib writes faster, for a slightly bigger file.
    return Buffer.from(await this.out.save({ useObjectStreams: false }));
  }
}
