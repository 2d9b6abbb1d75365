import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from '@cantoo/pdf-lib';
import { readPdfLabels, renderFakeLabel } from '@shipbatch/providers/testing';
import type { SkippedLabelDocument } from '@shipbatch/shipping/application';
import { mergePdfStream } from './merge-pdf.stream';
import { PdfStreamWriter } from './pdf-stream.writer';

const fakePdf = async (tracking: string, layout = '4x6') =>
  (await renderFakeLabel('pdf', layout, { trackingNumber: tracking, lines: ['USPS Priority', `to ${tracking}`] })).bytes;
const fakePng = async (tracking: string) => (await renderFakeLabel('png', '4x6', { trackingNumber: tracking, lines: [] })).bytes;

/** Labels as a provider may send them: several pages in one file, saved with object streams (pdf-lib's default). */
const multiPagePdf = async (...labels: Buffer[]): Promise<Buffer> => {
  const doc = await PDFDocument.create();
  for (const label of labels) {
    const src = await PDFDocument.load(label);
    for (const page of await doc.copyPages(src, src.getPageIndices())) doc.addPage(page);
  }
  return Buffer.from(await doc.save({ useObjectStreams: true }));
};

const pngChunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** A white greyscale PNG, optionally with a pHYs chunk declaring `dpi`. */
const plainPng = (width: number, height: number, dpi?: number): Buffer => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  const rows = Buffer.alloc((width + 1) * height, 0xff);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  const phys = Buffer.alloc(9);
  phys.writeUInt32BE(Math.round((dpi ?? 1) / 0.0254), 0);
  phys.writeUInt32BE(Math.round((dpi ?? 1) / 0.0254), 4);
  phys[8] = 1;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(dpi ? [pngChunk('pHYs', phys)] : []),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
};

async function* lazily(docs: Buffer[], log: string[] = []): AsyncGenerator<Buffer> {
  for (const [i, doc] of docs.entries()) {
    log.push(`read ${i}`);
    yield doc;
  }
}

/** Runs the stream to its end: the file, the chunks' count, what was skipped. */
async function merge(docs: AsyncIterable<Buffer>): Promise<{ pdf: Buffer; chunks: number; skipped: SkippedLabelDocument[] }> {
  const skipped: SkippedLabelDocument[] = [];
  const chunks: Buffer[] = [];
  for await (const chunk of mergePdfStream(docs, (s) => skipped.push(s))) chunks.push(chunk);
  return { pdf: Buffer.concat(chunks), chunks: chunks.length, skipped };
}

/** Checks the classic xref table: every object it lists in use starts at its offset, and startxref points at it. */
function checkXref(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const table = startxref + text.slice(startxref).indexOf('\n', 5) + 1;
  let inUse = 0;
  for (let n = 0; n < Number(count); n++) {
    const entry = text.slice(table + n * 20, table + n * 20 + 20);
    expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
    if (entry[17] === 'n') {
      inUse++;
      expect(text.slice(Number(entry.slice(0, 10))).startsWith(`${n} 0 obj\n`)).toBe(true);
    }
  }
  expect(text).toContain(`/Size ${count}`);
  return inUse;
}

describe('streamed PDF merge (PdfStreamWriter, mergePdfStream)', () => {
  it('writes a valid PDF of every label in order: PDF pages copied, PNGs as pages, a multi-page file with object streams', async () => {
    const docs = [
      await fakePdf('9400100000000000000001'),
      await fakePng('9400100000000000000002'),
      await multiPagePdf(await fakePdf('9400100000000000000003'), await fakePdf('9400100000000000000004', 'A6')),
      await fakePdf('9400100000000000000005', 'letter'),
    ];
    const { pdf, chunks, skipped } = await merge(lazily(docs));
    expect(skipped).toEqual([]);
    expect(chunks).toBe(6); // header, one per label, the end
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(checkXref(pdf)).toBeGreaterThan(6);
    const loaded = await PDFDocument.load(pdf);
    expect(loaded.getPageCount()).toBe(5);
    const labels = await readPdfLabels(pdf);
    expect(labels.barcodes).toEqual(['9400100000000000000001', '9400100000000000000002', '9400100000000000000003', '9400100000000000000004', '9400100000000000000005']);
    expect(labels.pages.map((p) => [p.width, p.height])).toEqual([[288, 432], expect.any(Array), [288, 432], [298, 420], [612, 792]]);
    expect(labels.pages[0].text).toContain('USPS Priority');
  });

  it('sizes a PNG page to the image at its resolution (pHYs, else 203 dpi)', async () => {
    const { pdf } = await merge(lazily([plainPng(812, 1218), plainPng(600, 900, 300)]));
    const pages = (await PDFDocument.load(pdf)).getPages();
    expect(pages.map((p) => [Math.round(p.getWidth() * 100) / 100, Math.round(p.getHeight() * 100) / 100])).toEqual([
      [288, 432],
      [144, 216],
    ]);
    // Each page draws its own image.
    for (const page of pages) expect(page.node.Resources()?.toString()).toMatch(/\/XObject/);
  });

  it('reads one label at a time: each label is written before the next is read', async () => {
    const log: string[] = [];
    const labels = [await fakePdf('1'), await fakePdf('2'), await fakePng('3')];
    for await (const chunk of mergePdfStream(lazily(labels, log))) log.push(`wrote ${chunk.length > 0 ? 'bytes' : 'nothing'}`);
    expect(log).toEqual(['wrote bytes', 'read 0', 'wrote bytes', 'read 1', 'wrote bytes', 'read 2', 'wrote bytes', 'wrote bytes']);
  });

  it('leaves out and reports a label that cannot be merged; the file stays valid', async () => {
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const docs = [
      await fakePdf('9400100000000000000011'),
      Buffer.from('%PDF-1.7 broken'),
      Buffer.concat([pngSignature, Buffer.from('not a png at all')]),
      Buffer.from('^XA^FDzpl^FS^XZ'),
      await fakePng('9400100000000000000012'),
    ];
    const { pdf, skipped } = await merge(lazily(docs));
    expect(skipped.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(skipped[2].reason).toContain('cannot go into a merged PDF');
    checkXref(pdf);
    expect((await readPdfLabels(pdf)).barcodes).toEqual(['9400100000000000000011', '9400100000000000000012']);
  });

  it('an empty input is a valid PDF without pages', async () => {
    const { pdf } = await merge(lazily([]));
    checkXref(pdf);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(0);
  });

  it('ends with the source error when reading a label fails midway', async () => {
    const label = await fakePdf('1');
    async function* failing(): AsyncGenerator<Buffer> {
      yield label;
      yield label;
      throw new Error('storage failed');
    }
    await expect(merge(failing())).rejects.toThrow('storage failed');
  });

  it('counts the pages and bytes it wrote, and refuses to go on once finished', async () => {
    const writer = await PdfStreamWriter.create();
    let size = writer.header().length;
    size += (await writer.add(await multiPagePdf(await fakePdf('1'), await fakePdf('2')))).length;
    expect(writer.pageCount).toBe(2);
    size += writer.finish().length;
    expect(writer.size).toBe(size);
    await expect(writer.add(await fakePdf('3'))).rejects.toThrow('finished');
  });
});
