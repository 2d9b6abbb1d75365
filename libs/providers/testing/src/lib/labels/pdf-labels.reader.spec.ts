import { deflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
  rgb,
} from '@cantoo/pdf-lib';
import bwipjs from 'bwip-js';
import { readPdfLabels } from './pdf-labels.reader';

const VALUE = '1ZSB09IX0306161595';

/** The symbol's bars in modules (bwip-js encodes; these specs check the reader, not an encoder). */
function bars(value = VALUE): { modules: number; bars: Array<[number, number]> } {
  const [{ sbs }] = bwipjs.raw('code128', value) as Array<{ sbs: number[] }>;
  const out: Array<[number, number]> = [];
  let x = 0;
  sbs.forEach((w, i) => {
    if (i % 2 === 0) out.push([x, w]);
    x += w;
  });
  return { modules: x, bars: out };
}

/** One image row: `module` samples per module, 10 white modules each side; black = `ink`, white = `paper`. */
function barRow(module: number, ink = 0, paper = 255): number[] {
  const s = bars();
  const row = new Array<number>((s.modules + 20) * module).fill(paper);
  for (const [start, w] of s.bars) row.fill(ink, (10 + start) * module, (10 + start + w) * module);
  return row;
}

/** Packs 1-bit samples (0/1) into bytes, rows padded to whole bytes. */
function pack1(row: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(row.length / 8));
  row.forEach((bit, i) => (out[i >> 3] |= bit ? 0x80 >> (i & 7) : 0));
  return out;
}

async function labelPdf(draw: (page: PDFPage, doc: PDFDocument) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([288, 432]);
  page.drawText('TRACKING #', { x: 20, y: 400, size: 10 });
  draw(page, doc);
  return doc.save();
}

/** pdf-lib's drawRectangle, one per bar. */
function drawBars(page: PDFPage, x: number, y: number, module: number, height: number): void {
  for (const [start, w] of bars().bars) page.drawRectangle({ x: x + start * module, y, width: w * module, height, color: rgb(0, 0, 0) });
}

/** Adds an image XObject with exactly these dictionary entries and (already encoded) data, painted through `cm`. */
function paintImage(doc: PDFDocument, page: PDFPage, dict: Record<string, unknown>, data: Uint8Array, cm: [number, number, number, number, number, number]) {
  // The dictionary literal as pdf-lib's obj() takes it (names as strings, nested objects, PDF objects).
  const entries = { Type: 'XObject', Subtype: 'Image', ...dict, Length: data.length } as unknown as Record<string, string>;
  const stream = PDFRawStream.of(doc.context.obj(entries), data);
  page.node.setXObject(PDFName.of('Im1'), doc.context.register(stream));
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...cm), drawObject('Im1'), popGraphicsState());
}

describe('readPdfLabels', () => {
  it('decodes bars drawn as rectangles, and reports the page size and text', async () => {
    const read = await readPdfLabels(await labelPdf((page) => drawBars(page, 20, 200, 1.2, 60)));
    expect(read).toEqual({ pageCount: 1, barcodes: [VALUE], pages: [{ width: 288, height: 432, barcode: VALUE, text: ['TRACKING #'] }] });
  });

  it('honours cm transforms: a scaled symbol and one turned 90 degrees', async () => {
    const scaled = await labelPdf((page) => {
      page.pushOperators(pushGraphicsState(), concatTransformationMatrix(0.5, 0, 0, 0.5, 30, 40));
      drawBars(page, 0, 0, 2, 120);
      page.pushOperators(popGraphicsState());
    });
    expect((await readPdfLabels(scaled)).barcodes).toEqual([VALUE]);
    const turned = await labelPdf((page) => {
      // x' = -y + 250, y' = x + 20: the bars lie across the page, the symbol runs up it.
      page.pushOperators(pushGraphicsState(), concatTransformationMatrix(0, 1, -1, 0, 250, 20));
      drawBars(page, 0, 0, 1.5, 80);
      page.pushOperators(popGraphicsState());
    });
    expect((await readPdfLabels(turned)).barcodes).toEqual([VALUE]);
  });

  it('decodes bars drawn as one SVG path', async () => {
    const path = bars()
      .bars.map(([start, w]) => `M${start} 0 L${start + w} 0 L${start + w} 50 L${start} 50 Z`)
      .join(' ');
    expect((await readPdfLabels(await labelPdf((page) => page.drawSvgPath(path, { x: 20, y: 300, scale: 1.3, color: rgb(0, 0, 0) })))).barcodes).toEqual([VALUE]);
  });

  it('decodes an N x 1 gray image scaled up by cm, Flate-compressed with a PNG predictor', async () => {
    const row = barRow(1);
    // PNG "Sub" filter: each byte minus its left neighbour, after the filter-type byte 1.
    const filtered = Uint8Array.from([1, ...row.map((v, i) => (v - (i > 0 ? row[i - 1] : 0)) & 0xff)]);
    const pdf = await labelPdf((page, doc) =>
      paintImage(
        doc,
        page,
        { Width: row.length, Height: 1, BitsPerComponent: 8, ColorSpace: 'DeviceGray', Filter: 'FlateDecode', DecodeParms: { Predictor: 15, Colors: 1, BitsPerComponent: 8, Columns: row.length } },
        deflateSync(filtered),
        [row.length * 1.1, 0, 0, 60, 10, 150],
      ),
    );
    expect((await readPdfLabels(pdf)).barcodes).toEqual([VALUE]);
  });

  it('decodes a 1-bit image with a Decode array, an ImageMask stencil and an Indexed image', async () => {
    const cm: [number, number, number, number, number, number] = [250, 0, 0, 50, 15, 100];
    // 1 bit, Decode [1 0]: sample 1 is black.
    const inverted = barRow(2, 1, 0);
    const decodeArray = await labelPdf((page, doc) =>
      paintImage(doc, page, { Width: inverted.length, Height: 1, BitsPerComponent: 1, ColorSpace: 'DeviceGray', Decode: [1, 0], Filter: 'FlateDecode' }, deflateSync(pack1(inverted)), cm),
    );
    expect((await readPdfLabels(decodeArray)).barcodes).toEqual([VALUE]);
    // Stencil: sample 0 paints the fill colour.
    const stencil = barRow(2, 0, 1);
    const mask = await labelPdf((page, doc) =>
      paintImage(doc, page, { Width: stencil.length, Height: 1, ImageMask: true, Filter: 'FlateDecode' }, deflateSync(pack1(stencil)), cm),
    );
    expect((await readPdfLabels(mask)).barcodes).toEqual([VALUE]);
    // Indexed over RGB: index 0 dark blue, index 1 pale yellow.
    const indexed = barRow(2, 0, 1);
    const palette = await labelPdf((page, doc) =>
      paintImage(
        doc,
        page,
        {
          Width: indexed.length,
          Height: 1,
          BitsPerComponent: 8,
          ColorSpace: doc.context.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), 1, PDFHexString.of('000060FFFFCC')]),
          Filter: 'FlateDecode',
        },
        deflateSync(Uint8Array.from(indexed)),
        cm,
      ),
    );
    expect((await readPdfLabels(palette)).barcodes).toEqual([VALUE]);
  });

  it('decodes a transparent PNG placed with embedPng (RGB image with a soft mask)', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'code128', text: VALUE, scale: 2, height: 12 });
    const doc = await PDFDocument.create();
    const page = doc.addPage([288, 432]);
    page.drawImage(await doc.embedPng(png), { x: 10, y: 100, width: 260, height: 60 });
    expect((await readPdfLabels(await doc.save())).barcodes).toEqual([VALUE]);
  });

  it('decodes a label page embedded into another page as a form XObject (embedPage)', async () => {
    const doc = await PDFDocument.create();
    const [embedded] = await doc.embedPdf(await labelPdf((page) => drawBars(page, 20, 200, 1.2, 60)));
    doc.addPage([612, 792]).drawPage(embedded, { x: 100, y: 300, xScale: 0.9, yScale: 0.9 });
    expect((await readPdfLabels(await doc.save())).barcodes).toEqual([VALUE]);
  });

  it('paints in order: a white box over the bars hides them and the page no longer decodes', async () => {
    const covered = await labelPdf((page) => {
      drawBars(page, 20, 200, 1.2, 60);
      page.drawRectangle({ x: 100, y: 190, width: 40, height: 80, color: rgb(1, 1, 1) });
    });
    await expect(readPdfLabels(covered)).rejects.toThrow('readPdfLabels: page 1 of 1 has no Code 128 barcode that decodes');
  });

  it('names the page without a barcode, and refuses what is not a PDF', async () => {
    const doc = await PDFDocument.create();
    const [first] = await doc.copyPages(await PDFDocument.load(await labelPdf((page) => drawBars(page, 20, 200, 1.2, 60))), [0]);
    doc.addPage(first);
    doc.addPage([288, 432]).drawText('no barcode here', { x: 20, y: 300 });
    await expect(readPdfLabels(await doc.save())).rejects.toThrow(/page 2 of 2 has no Code 128 barcode that decodes \(0 filled paths, 0 images\)/);
    await expect(readPdfLabels(Buffer.from('%PDF-1.7 nothing'))).rejects.toThrow(/readPdfLabels: not a readable PDF/);
    await expect(readPdfLabels(Buffer.from('hello'))).rejects.toThrow(/readPdfLabels: not a readable PDF/);
  });
});
