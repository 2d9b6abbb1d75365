import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import type * as PdfJs from 'pdfjs-dist';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import { decodeCode128Image, type LuminanceImage } from './code128-decoder';

export interface PdfLabelPage {
  /** Page size in points: the page's box as a viewer shows it (the MediaBox, clipped by a CropBox). */
  width: number;
  height: number;
  /** The Code 128 value decoded from the rendered page. */
  barcode: string;
  /** Text shown on the page (pdf.js text content), one entry per text run (trimmed), in content order; none for image-only pages. */
  text: string[];
}

export interface PdfLabels {
  pageCount: number;
  /** One decoded Code 128 value per page, in page order. */
  barcodes: string[];
  pages: PdfLabelPage[];
}

type PdfJsModule = typeof PdfJs;

const PDFJS_DIR = dirname(require.resolve('pdfjs-dist/package.json'));
let pdfjs: PdfJsModule | undefined;

/**
 * The Node build of pdf.js (`legacy/build/pdf.mjs`). It is an ES module: loaded with Node's own
 * `require`, which loads ES modules (Node 20.19+, as pdfjs-dist 5 requires), once per process.
 * Under jest neither `import()` (the jest preset compiles it to jest's `require`, which refuses
 * ES modules) nor jest's `require` would do, nor would an `import()` kept from compilation (it
 * is bound to the first test file's module registry, torn down before the next file runs).
 * Node's `require` comes from Node's `process` (jest gives tests a copy whose
 * `getBuiltinModule('module')` is jest's); `runInThisContext` evaluates in Node's main context.
 * pdf.js then runs its worker on this thread, imported by itself.
 */
function loadPdfjs(): PdfJsModule {
  if (!pdfjs) {
    const nodeProcess = runInThisContext('process') as NodeJS.Process;
    const nodeRequire = nodeProcess.getBuiltinModule('node:module').createRequire(__filename);
    pdfjs = nodeRequire(join(PDFJS_DIR, 'legacy', 'build', 'pdf.mjs')) as PdfJsModule;
  }
  return pdfjs;
}

/**
 * Resolutions tried, in pixels per point, each with a pixel budget for large pages: 3 (216 dpi;
 * mock labels decode from 2.5 on, their thinnest module being about 0.7 pt), then, only for a
 * page that does not decode, 6 (432 dpi) for thinner modules.
 */
const RESOLUTIONS = [
  { pixelsPerPoint: 3, maxPixels: 6_000_000 },
  { pixelsPerPoint: 6, maxPixels: 14_000_000 },
] as const;

interface CanvasAndContext {
  canvas: unknown;
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

/** Renders the page with pdf.js onto a white canvas (@napi-rs/canvas) and reads it as grayscale. */
async function renderPage(doc: PDFDocumentProxy, page: PDFPageProxy, pixelsPerPoint: number, maxPixels: number): Promise<LuminanceImage> {
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(pixelsPerPoint, Math.sqrt(maxPixels / (base.width * base.height)));
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const factory = doc.canvasFactory as CanvasFactory;
  const target = factory.create(width, height);
  try {
    await page.render({ canvas: target.canvas as never, viewport, background: 'rgb(255,255,255)' }).promise;
    const rgba = target.context.getImageData(0, 0, width, height).data;
    const lum = new Uint8ClampedArray(width * height);
    for (let p = 0, i = 0; p < lum.length; p++, i += 4) lum[p] = (299 * rgba[i] + 587 * rgba[i + 1] + 114 * rgba[i + 2]) / 1000;
    return { width, height, lum };
  } finally {
    factory.destroy(target);
  }
}

/** What the page paints, for the error message: path-painting operators (fill and stroke) and images. */
async function pageMarks(pdfjs: PdfJsModule, page: PDFPageProxy): Promise<{ paths: number; images: number }> {
  const { OPS } = pdfjs;
  const painting = new Set<number>([
    OPS.fill,
    OPS.eoFill,
    OPS.stroke,
    OPS.closeStroke,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
    OPS.rawFillPath,
  ]);
  const images = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintSolidColorImageMask,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObjectGroup,
  ]);
  const list = await page.getOperatorList();
  let paths = 0;
  let imageCount = 0;
  list.fnArray.forEach((fn, i) => {
    // pdf.js 5 folds the painting operator into constructPath: [op, path data, bounds].
    const op = fn === OPS.constructPath ? (list.argsArray[i] as unknown[] | undefined)?.[0] : fn;
    if (typeof op === 'number' && painting.has(op)) paths++;
    else if (images.has(fn)) imageCount++;
  });
  return { paths, images: imageCount };
}

async function pageText(page: PDFPageProxy): Promise<string[]> {
  const { items } = await page.getTextContent({ disableNormalization: true });
  return items.flatMap((item) => ('str' in item ? [item.str.trim()] : [])).filter((t) => t !== '');
}

/**
 * Reads a PDF of labels (one label, or many merged with pdf-lib's copyPages) and decodes one
 * Code 128 barcode per page: each page is rendered by pdf.js (pdfjs-dist, Mozilla's PDF
 * renderer: vector paths, transforms, form XObjects, images of every filter and colour space,
 * soft masks, painting order) at 216 dpi (432 dpi when that does not decode), and zxing decodes
 * the pixels. Page text is pdf.js's text content. Throws, naming the page, when a page has no
 * barcode that decodes (with the counts of its path-painting operators, strokes included, and
 * images).
 */
export async function readPdfLabels(pdf: Uint8Array): Promise<PdfLabels> {
  const pdfjs = loadPdfjs();
  const task = pdfjs.getDocument({
    // A copy: pdf.js may take over (transfer) the buffer it is given, and refuses Node Buffers.
    data: Uint8Array.from(pdf),
    standardFontDataUrl: `${join(PDFJS_DIR, 'standard_fonts')}/`,
    cMapUrl: `${join(PDFJS_DIR, 'cmaps')}/`,
    wasmUrl: `${join(PDFJS_DIR, 'wasm')}/`,
    iccUrl: `${join(PDFJS_DIR, 'iccs')}/`,
    isEvalSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy();
    throw new Error(`readPdfLabels: not a readable PDF (${(e as Error).message})`);
  }
  try {
    if (doc.numPages === 0) throw new Error('readPdfLabels: the PDF has no pages');
    const pages: PdfLabelPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      let barcode: string | null = null;
      for (const r of RESOLUTIONS) {
        barcode = decodeCode128Image(await renderPage(doc, page, r.pixelsPerPoint, r.maxPixels));
        if (barcode !== null) break;
      }
      if (barcode === null) {
        const { paths, images } = await pageMarks(pdfjs, page);
        throw new Error(
          `readPdfLabels: page ${n} of ${doc.numPages} has no Code 128 barcode that decodes (${paths} filled paths, ${images} images)`,
        );
      }
      const [x0, y0, x1, y1] = page.view;
      pages.push({ width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), barcode, text: await pageText(page) });
      page.cleanup();
    }
    return { pageCount: pages.length, barcodes: pages.map((p) => p.barcode), pages };
  } finally {
    await doc.destroy();
  }
}
