import { inflateSync } from 'node:zlib';
import type { LuminanceImage } from './code128-decoder';
import { undoPredictor } from './predictors';

const SIGNATURE = '89504e470d0a1a0a';
/** Channels per colour type: gray, -, RGB, palette, gray+alpha, -, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a non-interlaced PNG into grayscale with node:zlib (bit depths 1 to 16, gray, RGB,
 * palette, alpha and tRNS composited over white). Returns null for an interlaced PNG, which
 * callers hand to jimp. The scanline filters are the PNG predictors PDF uses too.
 */
export function decodePngLuminance(png: Uint8Array): LuminanceImage | null {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG (bad signature)');
  let width = 0;
  let height = 0;
  let depth = 8;
  let type = 0;
  let interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const kind = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      type = data[9];
      interlace = data[12];
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'tRNS') trns = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    at += 12 + length;
  }
  const channels = CHANNELS[type];
  if (!width || !height || !channels) throw new Error(`unsupported PNG (colour type ${type}, ${width}x${height})`);
  if (interlace) return null;
  const raw = undoPredictor(inflateSync(Buffer.concat(idat)), { predictor: 15, colors: channels, bitsPerComponent: depth, columns: width });
  const max = (1 << depth) - 1;
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const sample = (y: number, i: number): number => {
    const bit = i * depth;
    const o = y * rowBytes + (bit >> 3);
    if (depth === 8) return raw[o];
    if (depth === 16) return (raw[o] << 8) | raw[o + 1];
    return (raw[o] >> (8 - depth - (bit & 7))) & max;
  };
  const lum = new Uint8ClampedArray(width * height);
  const transparentKey = trns && type !== 3 ? Array.from({ length: trns.length / 2 }, (_, i) => trns.readUInt16BE(i * 2)) : undefined;
  const s = new Array<number>(channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) s[c] = sample(y, x * channels + c);
      let gray: number;
      let alpha = 1;
      if (type === 3) {
        const p = palette?.subarray(s[0] * 3, s[0] * 3 + 3) ?? Buffer.from([0, 0, 0]);
        gray = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255;
        alpha = trns && s[0] < trns.length ? trns[s[0]] / 255 : 1;
      } else {
        const colour = type === 2 || type === 6 ? s.slice(0, 3) : [s[0], s[0], s[0]];
        gray = (0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]) / max;
        if (type === 4 || type === 6) alpha = s[channels - 1] / max;
        else if (transparentKey && transparentKey.every((k, c) => k === s[Math.min(c, channels - 1)])) alpha = 0;
      }
      lum[y * width + x] = (gray * alpha + (1 - alpha)) * 255;
    }
  }
  return { width, height, lum };
}
