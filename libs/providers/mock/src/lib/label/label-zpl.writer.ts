import { CODE128_QUIET_ZONE } from './code128';
import type { LabelLayout } from './label-layout';

/** Thermal printers' usual resolution: 203 dpi (8 dots per mm). */
export const ZPL_DPI = 203;

/**
 * Field data: plain when it is safe, else `^FH` with `_XX` hex escapes of its UTF-8 bytes
 * (`^CI28`) for `^`, `~`, `_`, control and non-ASCII characters.
 */
export function zplField(text: string): string {
  if (/^[\x20-\x5d\x60-\x7d]*$/.test(text)) return `^FD${text}^FS`;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const safe = byte >= 0x20 && byte < 0x7f && byte !== 0x5e && byte !== 0x7e && byte !== 0x5f;
    out += safe ? String.fromCharCode(byte) : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `^FH^FD${out}^FS`;
}

/**
 * Writes the label as ZPL II for a 203 dpi printer: one `^XA ... ^XZ` block, text in the
 * scalable font 0, rules as `^GB` boxes, and the tracking number as a `^BC` Code 128 barcode
 * (automatic code sets, the printer computes the check character; the human-readable number is
 * printed as its own text field). String building only: nothing to rasterize.
 */
export function writeLabelZpl(layout: LabelLayout): Buffer {
  const k = ZPL_DPI / 72;
  const d = (pt: number) => Math.round(pt * k);
  const out = ['^XA', '^CI28', `^PW${d(layout.width)}`, `^LL${d(layout.height)}`, '^LH0,0'];
  for (const e of layout.elements) {
    if (e.kind === 'text') {
      const h = Math.max(10, d(e.size));
      out.push(`^FO${d(e.x)},${Math.max(0, d(e.y - e.size * 0.78))}^A0N,${h},${e.bold ? Math.round(h * 1.05) : h}${zplField(e.text)}`);
    } else if (e.kind === 'rule') {
      const h = Math.max(1, d(e.h));
      out.push(`^FO${d(e.x)},${d(e.y)}^GB${d(e.w)},${h},${h}^FS`);
    } else {
      const boxDots = d(e.box.w);
      const withQuietZones = e.symbol.modules + 2 * CODE128_QUIET_ZONE;
      const moduleDots = Math.max(1, Math.min(10, Math.round(e.module * k), Math.floor(boxDots / withQuietZones)));
      const x = d(e.box.x) + Math.max(0, Math.floor((boxDots - e.symbol.modules * moduleDots) / 2));
      out.push(`^BY${moduleDots},3,${d(e.h)}`);
      out.push(`^FO${x},${d(e.y)}^BCN,${d(e.h)},N,N,N,A${zplField(e.symbol.value)}`);
    }
  }
  out.push('^XZ', '');
  return Buffer.from(out.join('\n'), 'utf8');
}
