import { bitmapFonts, fontFor } from './bitmap-font';
import { CODE128_QUIET_ZONE } from './code128';
import type { LabelLayout } from './label-layout';
import { MonoBitmap } from './mono-bitmap';

/** Thermal printers' usual resolution: 4 x 6 in = 812 x 1218 px. */
export const PNG_DPI = 203;

/**
 * Draws the label as a 1-bit PNG at 203 dpi: text stamped from jimp's bitmap fonts (scaled to
 * the layout's point sizes, narrowed when wider than the space left), rules and the Code 128
 * bars as filled rectangles. Bars use a whole number of pixels per module (at least one), so
 * every bar and space is exact; the symbol is centred in its box.
 */
export async function writeLabelPng(layout: LabelLayout): Promise<Buffer> {
  const fonts = await bitmapFonts();
  const k = PNG_DPI / 72;
  const bitmap = new MonoBitmap(Math.round(layout.width * k), Math.round(layout.height * k));
  for (const e of layout.elements) {
    if (e.kind === 'text') {
      const px = e.size * k;
      const font = fontFor(fonts, px);
      const scale = px / font.size;
      const x = Math.round(e.x * k);
      const room = bitmap.width - x - Math.round(8 * k);
      const natural = font.width(e.text) * scale + (e.bold ? 1 : 0);
      const sx = natural > room ? (scale * room) / natural : scale;
      font.draw(bitmap, e.text, x, Math.round(e.y * k), sx, scale, e.bold);
    } else if (e.kind === 'rule') {
      bitmap.fillRect(e.x * k, e.y * k, (e.x + e.w) * k, (e.y + e.h) * k);
    } else {
      const box = { x: Math.round(e.box.x * k), w: Math.round(e.box.w * k) };
      const module = Math.max(1, Math.min(Math.round(e.module * k), Math.floor(box.w / (e.symbol.modules + 2 * CODE128_QUIET_ZONE))));
      const x0 = box.x + Math.max(0, Math.floor((box.w - e.symbol.modules * module) / 2));
      const y0 = Math.round(e.y * k);
      const y1 = Math.round((e.y + e.h) * k);
      for (const [start, width] of e.symbol.bars) bitmap.fillRect(x0 + start * module, y0, x0 + (start + width) * module, y1);
    }
  }
  return bitmap.toPng(PNG_DPI);
}
