import { PDFDocument } from '@cantoo/pdf-lib';
import { LABEL_FILE_TYPES, type LabelFileType } from '@shipbatch/providers/core';
import {
  decodePngBarcode,
  readPdfLabels,
  readPngLabel,
  readZplLabels,
  zplBarcodeData,
  zplLabelBlocks,
  zplTextFields,
} from '@shipbatch/providers/testing';
import { mockTrackingNumber } from '../mock-tracking';
import { LABEL_PAGE_POINTS, type LabelLayout, layoutLabel } from './label-layout';
import { writeLabelPdf } from './label-pdf.writer';
import { writeLabelPng } from './label-png.writer';
import { type MockLabelContent, renderMockLabel } from './mock-label.renderer';

const content: MockLabelContent = {
  trackingNumber: '9205141592663414309767',
  carrier: 'usps',
  serviceLevelToken: 'usps_priority',
  reference: 'ref-(1)',
  from: { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
  to: { name: 'Mr Hippo', company: 'Hippo & Co (Émile)', street1: '965 Mission St', street2: 'Suite 480', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
  weight: { value: 2, unit: 'lb' },
};
const ups: MockLabelContent = { ...content, carrier: 'ups', serviceLevelToken: 'ups_ground', trackingNumber: mockTrackingNumber('ups', 123_456_789_012, 'ups_ground') };
const fedex: MockLabelContent = { ...content, carrier: 'fedex', serviceLevelToken: 'fedex_2_day', trackingNumber: mockTrackingNumber('fedex', 77, 'fedex_2_day') };

/** Expected page sizes in points, written out independently of the renderer's table. */
const PDF_POINTS: Record<string, [number, number]> = {
  PDF: [612, 792],
  PDF_4x6: [288, 432],
  PDF_4x8: [288, 576],
  PDF_A4: [595.28, 841.89],
  PDF_A5: [419.53, 595.28],
  PDF_A6: [297.64, 419.53],
  'PDF_2.3x7.5': [165.6, 540],
};
const PDF_TYPES = Object.keys(PDF_POINTS) as LabelFileType[];

/** The label's layout with every third bar of the symbol left out (or intact). */
function layoutWithBars(type: LabelFileType, damage: boolean): LabelLayout {
  const layout = layoutLabel(content, LABEL_PAGE_POINTS[type]);
  if (!damage) return layout;
  const elements = layout.elements.map((e) => (e.kind === 'barcode' ? { ...e, symbol: { ...e.symbol, bars: e.symbol.bars.filter((_, i) => i % 3 !== 2) } } : e));
  return { ...layout, elements };
}

/** Lines a label of `c` prints, whatever the format. */
const printed = (c: MockLabelContent) => [
  'USPS',
  'PRIORITY',
  'Service usps_priority - Weight 2 lb',
  'Shippo Warehouse',
  '215 Clayton St.',
  'San Francisco, CA 94117',
  'Mr Hippo',
  'Hippo & Co (Émile)',
  '965 Mission St',
  'Suite 480',
  'San Francisco, CA 94103',
  c.trackingNumber,
  'Ref ref-(1)',
];

describe('renderMockLabel', () => {
  it('renders every one of the ten file types with the right content type and extension', async () => {
    const expected = { pdf: 'application/pdf', png: 'image/png', zpl: 'application/zpl' } as const;
    for (const type of LABEL_FILE_TYPES) {
      const doc = await renderMockLabel(type, content);
      const ext = type === 'ZPLII' ? 'zpl' : type.startsWith('PNG') ? 'png' : 'pdf';
      expect({ type, contentType: doc.contentType, extension: doc.extension }).toEqual({ type, contentType: expected[ext], extension: ext });
      expect(doc.content.length).toBeGreaterThan(500);
    }
  });

  it('gives the same bytes for the same label, and different bytes for another tracking number', async () => {
    for (const type of LABEL_FILE_TYPES) {
      const a = await renderMockLabel(type, content);
      const b = await renderMockLabel(type, { ...content });
      expect(a.content.equals(b.content)).toBe(true);
      expect(a.content.equals((await renderMockLabel(type, fedex)).content)).toBe(false);
    }
  });

  describe('PDF', () => {
    it.each(PDF_TYPES)('%s: one page of the type size whose barcode decodes to the tracking number', async (type) => {
      const doc = await renderMockLabel(type, content);
      expect(doc.content.subarray(0, 5).toString()).toBe('%PDF-');
      const read = await readPdfLabels(doc.content);
      expect(read.pageCount).toBe(1);
      expect(read.barcodes).toEqual([content.trackingNumber]);
      const [w, h] = PDF_POINTS[type];
      expect(read.pages[0].width).toBeCloseTo(w, 1);
      expect(read.pages[0].height).toBeCloseTo(h, 1);
    });

    it('prints the carrier, service, weight, both addresses, the tracking number and the reference as text', async () => {
      for (const type of ['PDF_4x6', 'PDF_2.3x7.5', 'PDF_A4'] as const) {
        const { pages } = await readPdfLabels((await renderMockLabel(type, content)).content);
        expect(pages[0].text).toEqual(expect.arrayContaining(printed(content)));
      }
    });

    it('encodes UPS (letters and digits) and FedEx numbers too', async () => {
      for (const c of [ups, fedex]) expect((await readPdfLabels((await renderMockLabel('PDF_4x6', c)).content)).barcodes).toEqual([c.trackingNumber]);
    });

    it('reads a 3-page PDF merged with copyPages page by page, in order', async () => {
      const merged = await PDFDocument.create();
      for (const [type, c] of [['PDF_4x6', content], ['PDF_A6', ups], ['PDF_2.3x7.5', fedex]] as const) {
        const src = await PDFDocument.load((await renderMockLabel(type, c)).content);
        const [page] = await merged.copyPages(src, [0]);
        merged.addPage(page);
      }
      const read = await readPdfLabels(await merged.save());
      expect(read.pageCount).toBe(3);
      expect(read.barcodes).toEqual([content.trackingNumber, ups.trackingNumber, fedex.trackingNumber]);
      expect(read.pages.map((p) => [p.width, p.height])).toEqual([[288, 432], [297.64, 419.53], [165.6, 540]]);
    });

    it('fails to read a label whose bars were damaged', async () => {
      expect((await readPdfLabels(await writeLabelPdf(layoutWithBars('PDF_4x6', false)))).barcodes).toEqual([content.trackingNumber]);
      await expect(readPdfLabels(await writeLabelPdf(layoutWithBars('PDF_4x6', true)))).rejects.toThrow(/page 1 of 1 has no Code 128 barcode that decodes/);
    });
  });

  describe('PNG', () => {
    it.each([
      ['PNG', 812, 1218],
      ['PNG_2.3x7.5', 467, 1523],
    ] as const)('%s: a %ix%i (203 dpi) image whose barcode decodes to the tracking number', async (type, width, height) => {
      const doc = await renderMockLabel(type, content);
      expect(doc.content.subarray(1, 4).toString()).toBe('PNG');
      expect(await readPngLabel(doc.content)).toEqual({ width, height, barcode: content.trackingNumber });
      for (const c of [ups, fedex]) expect(await decodePngBarcode((await renderMockLabel(type, c)).content)).toBe(c.trackingNumber);
    });

    it('decodes when the PNG is placed on a PDF page as an image (embedPng), next to a vector label page', async () => {
      const merged = await PDFDocument.create();
      const png = await merged.embedPng((await renderMockLabel('PNG', ups)).content);
      merged.addPage([288, 432]).drawImage(png, { x: 0, y: 0, width: 288, height: 432 });
      const [vector] = await merged.copyPages(await PDFDocument.load((await renderMockLabel('PDF_4x6', fedex)).content), [0]);
      merged.addPage(vector);
      expect((await readPdfLabels(await merged.save())).barcodes).toEqual([ups.trackingNumber, fedex.trackingNumber]);
    });

    it('fails to decode a PNG whose bars were damaged', async () => {
      expect(await decodePngBarcode(await writeLabelPng(layoutWithBars('PNG', false)))).toBe(content.trackingNumber);
      await expect(decodePngBarcode(await writeLabelPng(layoutWithBars('PNG', true)))).rejects.toThrow(/no Code 128 barcode decodes/);
    });
  });

  describe('ZPLII', () => {
    it('writes one ^XA ... ^XZ block with a ^BC Code 128 of the tracking number and the label text', async () => {
      const zpl = (await renderMockLabel('ZPLII', content)).content.toString('utf8');
      const blocks = zplLabelBlocks(zpl);
      expect(blocks).toHaveLength(1);
      expect(zpl.trim()).toBe(blocks[0]);
      expect(blocks[0]).toMatch(/\^BCN,\d+,N,N,N,A\^FD9205141592663414309767\^FS/);
      expect(zplBarcodeData(blocks[0])).toBe(content.trackingNumber);
      expect(zplTextFields(blocks[0])).toEqual(expect.arrayContaining(printed(content)));
      expect(readZplLabels((await renderMockLabel('ZPLII', ups)).content).barcodes).toEqual([ups.trackingNumber]);
    });

    it('escapes ^, ~ and _ in text with ^FH so a field cannot end early or inject commands', async () => {
      const zpl = (await renderMockLabel('ZPLII', { ...content, reference: 'a^XZ~JA_b' })).content.toString('utf8');
      expect(zplLabelBlocks(zpl)).toHaveLength(1);
      expect(zpl).toContain('^FH^FDRef a_5EXZ_7EJA_5Fb^FS');
      expect(zplTextFields(zplLabelBlocks(zpl)[0])).toContain('Ref a^XZ~JA_b');
    });
  });
});

describe('label layout', () => {
  it('shortens lines wider than the label with "...", and prints characters outside WinAnsi as "?"', async () => {
    const long = { ...content, to: { ...content.to, name: `Ms ${'Very '.repeat(60)}Long Name`, street1: '東京都 1-2-3' } };
    const { pages } = await readPdfLabels((await renderMockLabel('PDF_4x6', long)).content);
    const name = pages[0].text.find((t) => t.startsWith('Ms Very'));
    // Bold 12.15 pt in the 258.84 pt left of the indented SHIP TO block: eight words and "Very" fit.
    expect(name).toBe(`Ms ${'Very '.repeat(7)}Very...`);
    expect(pages[0].text).toContain('??? 1-2-3');
    const zpl = zplTextFields(zplLabelBlocks((await renderMockLabel('ZPLII', long)).content)[0]);
    expect(zpl).toContain(name);
  });

  it('keeps every element inside the page, for every size, with the longest addresses', () => {
    const full = { ...content, from: { ...content.to, company: 'Warehouse Company' }, reference: 'x'.repeat(200) };
    for (const type of LABEL_FILE_TYPES) {
      const [width, height] = LABEL_PAGE_POINTS[type];
      for (const e of layoutLabel(full, [width, height]).elements) {
        const bottom = e.kind === 'text' ? e.y : e.y + e.h;
        const right = e.kind === 'rule' ? e.x + e.w : e.kind === 'barcode' ? e.x + e.symbol.modules * e.module : e.x;
        expect({ type, kind: e.kind, inside: e.x >= 0 && e.y >= 0 && bottom <= height && right <= width }).toEqual({ type, kind: e.kind, inside: true });
      }
    }
  });

  it('prints a label without addresses or weight (labels sold before they were kept)', async () => {
    const bare: MockLabelContent = { trackingNumber: content.trackingNumber, carrier: 'usps', serviceLevelToken: 'usps_priority', reference: 'r' };
    const { pages } = await readPdfLabels((await renderMockLabel('PDF_4x6', bare)).content);
    expect(pages[0].barcode).toBe(content.trackingNumber);
    expect(pages[0].text).toEqual(expect.arrayContaining(['USPS', 'PRIORITY', 'Service usps_priority', 'FROM', 'SHIP TO']));
  });
});
