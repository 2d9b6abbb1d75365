import { loadFont } from 'jimp';
import { SANS_16_BLACK, SANS_32_BLACK, SANS_64_BLACK } from 'jimp/fonts';
import type { MonoBitmap } from './mono-bitmap';

interface Glyph {
  x: number;
  y: number;
  width: number;
  height: number;
  xoffset: number;
  yoffset: number;
  xadvance: number;
}

/**
 * One of jimp's bundled Open Sans bitmap fonts (BMFont, loaded once with jimp's `loadFont`),
 * kept as a plain ink atlas so glyphs can be stamped into a {@link MonoBitmap} at any scale
 * without going through jimp's RGBA compositing (about 40 ms per label there).
 */
export class BitmapFont {
  private constructor(
    readonly size: number,
    private readonly base: number,
    private readonly glyphs: ReadonlyMap<string, Glyph>,
    private readonly kernings: Readonly<Record<string, Readonly<Record<string, number>>>>,
    /** Ink 0..255 of the atlas page, row-major. */
    private readonly ink: Uint8Array,
    private readonly atlasWidth: number,
  ) {}

  static async load(path: string): Promise<BitmapFont> {
    const font = await loadFont(path);
    const page = font.pages[0].bitmap;
    const ink = new Uint8Array(page.width * page.height);
    for (let i = 0; i < ink.length; i++) {
      const [r, g, b, a] = page.data.subarray(i * 4, i * 4 + 4);
      ink[i] = Math.round((a * (255 - (r * 0.299 + g * 0.587 + b * 0.114))) / 255);
    }
    const glyphs = new Map<string, Glyph>(Object.entries(font.chars as Record<string, Glyph>));
    const base = Number((font.common as { base?: number }).base ?? font.common.lineHeight * 0.8);
    const kernings = font.kernings as unknown as Record<string, Record<string, number>>;
    return new BitmapFont(Number(font.info['size']), base, glyphs, kernings, ink, page.width);
  }

  private glyph(ch: string): Glyph | undefined {
    return this.glyphs.get(ch) ?? this.glyphs.get('?');
  }

  /** Advance width of `text` in font pixels (unscaled). */
  width(text: string): number {
    let w = 0;
    let prev = '';
    for (const ch of text) {
      w += (this.glyph(ch)?.xadvance ?? 0) + (this.kernings[prev]?.[ch] ?? 0);
      prev = ch;
    }
    return w;
  }

  /**
   * Stamps `text` with its baseline at `baseline`, scaled `sx` x `sy` (nearest sample, ink
   * above half is black). `bold` draws it twice, one pixel apart.
   */
  draw(bitmap: MonoBitmap, text: string, x: number, baseline: number, sx: number, sy: number, bold: boolean): void {
    let pen = x;
    let prev = '';
    const top = baseline - this.base * sy;
    for (const ch of text) {
      const g = this.glyph(ch);
      if (!g) continue;
      pen += (this.kernings[prev]?.[ch] ?? 0) * sx;
      prev = ch;
      const x0 = Math.round(pen + g.xoffset * sx);
      const y0 = Math.round(top + g.yoffset * sy);
      const w = Math.ceil(g.width * sx);
      const h = Math.ceil(g.height * sy);
      for (let dy = 0; dy < h; dy++) {
        const sy0 = g.y + Math.min(g.height - 1, Math.floor((dy + 0.5) / sy));
        const row = sy0 * this.atlasWidth + g.x;
        for (let dx = 0; dx < w; dx++) {
          if (this.ink[row + Math.min(g.width - 1, Math.floor((dx + 0.5) / sx))] < 128) continue;
          bitmap.setBlack(x0 + dx, y0 + dy);
          if (bold) bitmap.setBlack(x0 + dx + 1, y0 + dy);
        }
      }
      pen += g.xadvance * sx;
    }
  }
}

let fonts: Promise<BitmapFont[]> | undefined;

/** jimp's Open Sans 16, 32 and 64 px black fonts, loaded once per process (smallest first). */
export function bitmapFonts(): Promise<BitmapFont[]> {
  if (!fonts) {
    fonts = Promise.all([SANS_16_BLACK, SANS_32_BLACK, SANS_64_BLACK].map((p) => BitmapFont.load(p)));
    fonts.catch(() => (fonts = undefined));
  }
  return fonts;
}

/** The smallest font at least `px` high (scaled down looks better than scaled up), else the largest. */
export function fontFor(all: readonly BitmapFont[], px: number): BitmapFont {
  return all.find((f) => f.size >= px) ?? all[all.length - 1];
}
