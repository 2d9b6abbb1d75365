import { fill, PDFDocument, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, StandardFonts } from '@cantoo/pdf-lib';
import bwipjs from 'bwip-js';

/** Page sizes in points for the layouts the fake sells. */
const PAGES: Readonly<Record<string, [number, number]>> = { '4x6': [288, 432], letter: [612, 792], A4: [595, 842], A6: [298, 420] };

export interface FakeLabelContent {
  trackingNumber: string;
  /** Text printed above the barcode (service, ship-to name and city). */
  lines: string[];
}

/** The widest bar module drawn in a PDF label, in points. */
const MAX_MODULE_PT = 2;
const BAR_HEIGHT_PT = 60;

/**
 * The label file a fake provider serves: a Code 128 barcode of the tracking number (encoded by
 * bwip-js) with a few lines of text, as PDF (the bars drawn as rectangles on a page of the
 * layout's size: no image to encode, decode and compress, so a bench selling thousands of
 * labels measures the service, not the fake), PNG or ZPL II. Deliberately not the mock's
 * renderer: the fake is another provider, and the label readers must read both.
 */
export async function renderFakeLabel(format: 'pdf' | 'png' | 'zpl', layout: string, content: FakeLabelContent): Promise<{ contentType: string; bytes: Buffer }> {
  if (format === 'zpl') {
    const text = content.lines.map((line, i) => `^FO40,${40 + i * 40}^A0N,30,30^FD${line.replace(/[\^~]/g, ' ')}^FS`).join('');
    return { contentType: 'application/zpl', bytes: Buffer.from(`^XA${text}^FO40,${80 + content.lines.length * 40}^BCN,160,Y,N,N^FD${content.trackingNumber}^FS^XZ\n`, 'ascii') };
  }
  if (format === 'png') {
    const barcode = await bwipjs.toBuffer({ bcid: 'code128', text: content.trackingNumber, scale: 3, height: 18, includetext: true });
    return { contentType: 'image/png', bytes: barcode };
  }
  const [width, height] = PAGES[layout] ?? PAGES['4x6'];
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([width, height]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  content.lines.forEach((line, i) => page.drawText(line, { x: 18, y: height - 30 - i * 16, size: 11, font }));
  // Bars and spaces in modules, starting with a bar; a quiet zone of 10 modules each side.
  const [{ sbs }] = bwipjs.raw({ bcid: 'code128', text: content.trackingNumber }) as Array<{ sbs: number[] }>;
  const modules = sbs.reduce((a, b) => a + b, 0) + 20;
  const module = Math.min(MAX_MODULE_PT, (width - 36) / modules);
  const bottom = height / 2 - BAR_HEIGHT_PT / 2;
  // Every bar one rectangle of a single filled path.
  const bars = [pushGraphicsState(), setFillingGrayscaleColor(0)];
  let x = 18 + 10 * module;
  sbs.forEach((w, i) => {
    if (i % 2 === 0) bars.push(rectangle(x, bottom, w * module, BAR_HEIGHT_PT));
    x += w * module;
  });
  page.pushOperators(...bars, fill(), popGraphicsState());
  page.drawText(content.trackingNumber, { x: 18 + 10 * module, y: bottom - 14, size: 10, font });
  return { contentType: 'application/pdf', bytes: Buffer.from(await pdf.save({ useObjectStreams: false })) };
}
