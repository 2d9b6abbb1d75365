import { PDFDocument, type PDFPage } from '@cantoo/pdf-lib';
import { decodeCode128Image, decodeCode128Row } from './code128-decoder';
import { type FillMark, pageGraphics, type Point } from './pdf-graphics';
import { imageLuminance } from './pdf-image';

export interface PdfLabelPage {
  /** Page size (MediaBox) in points. */
  width: number;
  height: number;
  /** The Code 128 value decoded from what the page draws. */
  barcode: string;
  /** Text shown on the page, one entry per text object (trimmed), in content order; none for image-only pages. */
  text: string[];
}

export interface PdfLabels {
  pageCount: number;
  /** One decoded Code 128 value per page, in page order. */
  barcodes: string[];
  pages: PdfLabelPage[];
}

/** Where a scanline at `at` (on axis `across`) crosses a filled path: the inside intervals along the other axis. */
function crossings(fill: FillMark, across: 0 | 1, at: number): Array<[number, number]> {
  const along = across === 0 ? 1 : 0;
  const hits: Array<[number, number]> = [];
  for (const sp of fill.subpaths) {
    for (let i = 0; i < sp.length; i++) {
      const p = sp[i];
      const q = sp[(i + 1) % sp.length];
      if ((p[across] <= at && at < q[across]) || (q[across] <= at && at < p[across])) {
        const t = (at - p[across]) / (q[across] - p[across]);
        hits.push([p[along] + t * (q[along] - p[along]), q[across] > p[across] ? 1 : -1]);
      }
    }
  }
  hits.sort((a, b) => a[0] - b[0]);
  const inside: Array<[number, number]> = [];
  let winding = 0;
  for (let i = 0; i < hits.length - 1; i++) {
    winding += fill.evenOdd ? 1 : hits[i][1];
    const isInside = fill.evenOdd ? winding % 2 !== 0 : winding !== 0;
    if (isInside && hits[i + 1][0] > hits[i][0]) inside.push([hits[i][0], hits[i + 1][0]]);
  }
  return inside;
}

/**
 * Rasterizes the page's filled areas along one scanline at a time, in painting order (a white
 * fill covers what is under it), at a resolution that gives the narrowest interval at least
 * 6 pixels, and lets zxing decode the row. Scanlines go through the middle of the filled
 * shapes, the ones crossing most shapes first; horizontal first, then vertical (a rotated
 * symbol).
 */
function decodeVectorBarcode(fills: FillMark[]): string | null {
  for (const across of [1, 0] as const) {
    const centres = new Map<number, number>();
    for (const f of fills) {
      for (const sp of f.subpaths) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const p of sp as Point[]) {
          lo = Math.min(lo, p[across]);
          hi = Math.max(hi, p[across]);
        }
        if (hi - lo <= 0) continue;
        const key = Math.round(((lo + hi) / 2) * 100) / 100;
        centres.set(key, (centres.get(key) ?? 0) + 1);
      }
    }
    // A Code 128 symbol has at least 9 bars (start, check, stop characters: 3 + 3 + 4).
    const candidates = [...centres].filter(([, n]) => n >= 9).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [at] of candidates.slice(0, 12)) {
      const painted = fills.map((f) => ({ gray: f.gray, spans: crossings(f, across, at) })).filter((p) => p.spans.length > 0);
      const spans = painted.flatMap((p) => p.spans);
      if (spans.length < 9) continue;
      let lo = Infinity;
      let hi = -Infinity;
      let narrowest = Infinity;
      for (const [a, b] of spans) {
        lo = Math.min(lo, a);
        hi = Math.max(hi, b);
        narrowest = Math.min(narrowest, b - a);
      }
      const scale = Math.min(6 / Math.max(narrowest, 1e-6), 200_000 / Math.max(hi - lo, 1e-6));
      const row = new Float32Array(Math.ceil((hi - lo) * scale) + 1).fill(1);
      for (const p of painted) for (const [a, b] of p.spans) row.fill(p.gray, Math.round((a - lo) * scale), Math.round((b - lo) * scale));
      const value = decodeCode128Row(Array.from(row, (g) => g < 0.5));
      if (value !== null) return value;
    }
  }
  return null;
}

function pageText(page: PDFPage): string[] {
  return page
    .extractContents()
    .flatMap((a) => (a.kind === 'text' ? [a.getText().trim()] : []))
    .filter((t) => t !== '');
}

/**
 * Reads a PDF of labels (one label, or many merged with pdf-lib's copyPages) and decodes one
 * Code 128 barcode per page: from the page's vector paths (filled rectangles or any filled
 * path, `cm` transforms honoured, rasterized along scanlines), else from the images it paints
 * (image XObjects inflated with node:zlib, predictors, bit depths, colour spaces and soft
 * masks honoured; e.g. a PNG label placed on the page with embedPng). Decoding is zxing's.
 * Throws, naming the page, when a page has no barcode that decodes.
 */
export async function readPdfLabels(pdf: Uint8Array): Promise<PdfLabels> {
  let pageList: PDFPage[];
  try {
    pageList = (await PDFDocument.load(pdf, { updateMetadata: false })).getPages();
  } catch (e) {
    throw new Error(`readPdfLabels: not a readable PDF (${(e as Error).message})`);
  }
  if (pageList.length === 0) throw new Error('readPdfLabels: the PDF has no pages');
  const pages = pageList.map((page, i): PdfLabelPage => {
    const { marks, textShows } = pageGraphics(page.node);
    const fills = marks.filter((m): m is FillMark => m.kind === 'fill');
    let barcode = decodeVectorBarcode(fills);
    const problems: string[] = [];
    for (const m of marks) {
      if (barcode !== null) break;
      if (m.kind !== 'image') continue;
      try {
        barcode = decodeCode128Image(imageLuminance(m.stream, m.gray));
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    if (barcode === null) {
      const images = marks.length - fills.length;
      throw new Error(
        `readPdfLabels: page ${i + 1} of ${pageList.length} has no Code 128 barcode that decodes ` +
          `(${fills.length} filled paths, ${images} images${problems.length ? `; ${problems.join('; ')}` : ''})`,
      );
    }
    const { width, height } = page.getMediaBox();
    // pdf-lib's extractContents also converts every image it meets: only asked when there is text.
    return { width, height, barcode, text: textShows > 0 ? pageText(page) : [] };
  });
  return { pageCount: pages.length, barcodes: pages.map((p) => p.barcode), pages };
}
