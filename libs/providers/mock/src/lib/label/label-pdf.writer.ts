import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream } from '@cantoo/pdf-lib';
import { HELVETICA, type LabelLayout } from './label-layout';

const WIN_ANSI = HELVETICA.encoding;

/** Numbers in content streams: at most two decimals, no trailing zeros. */
const num = (n: number): string => String(Math.round(n * 100) / 100);

/**
 * A PDF literal string in WinAnsi: `\`, `(` and `)` escaped, bytes above 0x7e as octal escapes,
 * so the content stream stays ASCII. The layout only hands over WinAnsi-encodable text.
 */
function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 63;
    const code = cp < 0x80 ? cp : WIN_ANSI.canEncodeUnicodeCodePoint(cp) ? WIN_ANSI.encodeUnicodeCodePoint(cp).code : 63;
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += `\\${String.fromCharCode(code)}`;
    else if (code >= 0x20 && code < 0x7f) out += String.fromCharCode(code);
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/**
 * The page's content stream: each text line in its own BT/ET (Helvetica /F1 or
 * Helvetica-Bold /F2, WinAnsi; one line per text object, so text extraction sees lines), then
 * every black rectangle (rules and bars) as `re` operators filled by ONE `f`. Written as
 * operator text directly: pdf-lib's drawText/drawRectangle build objects per operator and cost
 * about 0.1 ms per call, several times the whole label written this way.
 */
export function labelContentStream(layout: LabelLayout): string {
  const H = layout.height;
  const out: string[] = ['0 g'];
  const rects: string[] = [];
  for (const e of layout.elements) {
    if (e.kind === 'text') {
      out.push(`BT /F${e.bold ? 2 : 1} ${num(e.size)} Tf 1 0 0 1 ${num(e.x)} ${num(H - e.y)} Tm ${pdfString(e.text)} Tj ET`);
    } else if (e.kind === 'rule') {
      rects.push(`${num(e.x)} ${num(H - e.y - e.h)} ${num(e.w)} ${num(e.h)} re`);
    } else {
      // Bars: three decimals (a module can be under a point).
      const y = num(H - e.y - e.h);
      const h = num(e.h);
      const r = (n: number) => String(Math.round(n * 1000) / 1000);
      for (const [start, width] of e.symbol.bars) rects.push(`${r(e.x + start * e.module)} ${y} ${r(width * e.module)} ${h} re`);
    }
  }
  out.push(...rects, 'f', '');
  return out.join('\n');
}

/**
 * Writes the label as a one-page PDF with @cantoo/pdf-lib: the page (MediaBox = the label
 * size), the two standard fonts, and the content stream deflated with node:zlib. No
 * creation/modification dates (`updateMetadata: false`), so the same label gives the same bytes.
 */
export async function writeLabelPdf(layout: LabelLayout): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([layout.width, layout.height]);
  const ctx = doc.context;
  const font = (base: string) => ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: base, Encoding: 'WinAnsiEncoding' }));
  page.node.setFontDictionary(PDFName.of('F1'), font('Helvetica'));
  page.node.setFontDictionary(PDFName.of('F2'), font('Helvetica-Bold'));
  const data = deflateSync(Buffer.from(labelContentStream(layout), 'latin1'));
  const contents = PDFRawStream.of(ctx.obj({ Filter: 'FlateDecode', Length: data.length }), data);
  page.node.set(PDFName.of('Contents'), ctx.register(contents));
  const bytes = await doc.save({ useObjectStreams: false });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
