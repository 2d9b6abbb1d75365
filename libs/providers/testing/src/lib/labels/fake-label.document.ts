import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import bwipjs from 'bwip-js';

/** Page sizes in points for the layouts the fake sells. */
const PAGES: Readonly<Record<string, [number, number]>> = { '4x6': [288, 432], letter: [612, 792], A4: [595, 842], A6: [298, 420] };

export interface FakeLabelContent {
  trackingNumber: string;
  /** Text printed above the barcode (service, ship-to name and city). */
  lines: string[];
}

/**
 * The label file a fake provider serves: a Code 128 barcode of the tracking number (drawn by
 * bwip-js) with a few lines of text, as PDF (the barcode as an image on a page of the layout's
 * size), PNG or ZPL II. Deliberately not the mock's renderer: the fake is another provider, and
 * the label readers must read both.
 */
export async function renderFakeLabel(format: 'pdf' | 'png' | 'zpl', layout: string, content: FakeLabelContent): Promise<{ contentType: string; bytes: Buffer }> {
  if (format === 'zpl') {
    const text = content.lines.map((line, i) => `^FO40,${40 + i * 40}^A0N,30,30^FD${line.replace(/[\^~]/g, ' ')}^FS`).join('');
    return { contentType: 'application/zpl', bytes: Buffer.from(`^XA${text}^FO40,${80 + content.lines.length * 40}^BCN,160,Y,N,N^FD${content.trackingNumber}^FS^XZ\n`, 'ascii') };
  }
  const barcode = await bwipjs.toBuffer({ bcid: 'code128', text: content.trackingNumber, scale: 3, height: 18, includetext: true });
  if (format === 'png') return { contentType: 'image/png', bytes: barcode };
  const [width, height] = PAGES[layout] ?? PAGES['4x6'];
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([width, height]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  content.lines.forEach((line, i) => page.drawText(line, { x: 18, y: height - 30 - i * 16, size: 11, font }));
  const image = await pdf.embedPng(barcode);
  const scale = Math.min(1, (width - 36) / image.width);
  page.drawImage(image, { x: 18, y: height / 2 - (image.height * scale) / 2, width: image.width * scale, height: image.height * scale });
  return { contentType: 'application/pdf', bytes: Buffer.from(await pdf.save()) };
}
