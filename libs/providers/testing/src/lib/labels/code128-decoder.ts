import {
  BarcodeFormat,
  BinaryBitmap,
  BitArray,
  Code128Reader,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';

/** A grayscale image: `lum[y * width + x]`, 0 black .. 255 white. */
export interface LuminanceImage {
  width: number;
  height: number;
  lum: Uint8ClampedArray;
}

const HINTS = new Map<DecodeHintType, unknown>([
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
  [DecodeHintType.TRY_HARDER, true],
]);

/**
 * Decodes one scanline with zxing's Code128Reader. `black[i]` tells whether pixel i is black;
 * a white quiet zone is added on both sides. Tries the row reversed too (a symbol drawn
 * mirrored or rotated 180 degrees). Null when zxing finds no valid symbol (checksum included).
 */
export function decodeCode128Row(black: ArrayLike<boolean | number>): string | null {
  const pad = 64;
  const forward = new BitArray(black.length + 2 * pad);
  const backward = new BitArray(black.length + 2 * pad);
  for (let i = 0; i < black.length; i++) {
    if (!black[i]) continue;
    forward.set(pad + i);
    backward.set(pad + black.length - 1 - i);
  }
  for (const row of [forward, backward]) {
    try {
      return new Code128Reader().decodeRow(0, row, HINTS as Map<DecodeHintType, never>).getText();
    } catch {
      // NotFound / Checksum / Format: try the next way
    }
  }
  return null;
}

function transpose(img: LuminanceImage): LuminanceImage {
  const lum = new Uint8ClampedArray(img.lum.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) lum[x * img.height + y] = img.lum[y * img.width + x];
  return { width: img.height, height: img.width, lum };
}

/**
 * Rows worth a scanline decode: rows whose black/white transitions (at the image's mid-gray)
 * repeat, within a pixel, over at least 4 pixels of height and number at least 18 (a Code 128
 * symbol has 9 bars or more). Tall images are sampled every few rows. The middle row of each
 * such run, longest runs first.
 */
function barcodeRows(img: LuminanceImage, threshold: number): number[] {
  const edges = (y: number): number[] => {
    const out: number[] = [];
    const row = y * img.width;
    let black = img.lum[row] < threshold;
    for (let x = 1; x < img.width; x++) {
      const b = img.lum[row + x] < threshold;
      if (b !== black) out.push(x);
      black = b;
    }
    return out;
  };
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1);
  const step = Math.max(1, Math.min(3, Math.floor(img.height / 300)));
  const runs: Array<{ mid: number; length: number }> = [];
  let start = 0;
  let prev = edges(0);
  for (let y = step; y < img.height + step; y += step) {
    const cur = y < img.height ? edges(y) : [];
    if (y < img.height && same(cur, prev)) continue;
    // Rows start .. y - step look alike: (y - start) pixels of height, give or take a step.
    if (y - start >= 4 && prev.length >= 18) runs.push({ mid: start + Math.floor((y - step - start) / 2), length: y - start });
    start = y;
    prev = cur;
  }
  return runs.sort((a, b) => b.length - a.length).map((r) => r.mid);
}

function decodeRows(img: LuminanceImage): string | null {
  let lo = 255;
  let hi = 0;
  const lum = img.lum;
  for (let i = 0; i < lum.length; i++) {
    const v = lum[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < 32) return null;
  const threshold = (lo + hi) / 2;
  for (const y of barcodeRows(img, threshold).slice(0, 16)) {
    const row = img.lum.subarray(y * img.width, (y + 1) * img.width);
    const value = decodeCode128Row(Array.from(row, (v) => v < threshold));
    if (value !== null) return value;
  }
  return null;
}

function decodeWithZxing(img: LuminanceImage): string | null {
  const source = new RGBLuminanceSource(img.lum, img.width, img.height);
  for (const bitmap of [new BinaryBitmap(new HybridBinarizer(source)), new BinaryBitmap(new GlobalHistogramBinarizer(source))]) {
    try {
      const reader = new MultiFormatReader();
      reader.setHints(HINTS as Map<DecodeHintType, never>);
      return reader.decodeWithState(bitmap).getText();
    } catch {
      // not found with this binarizer
    }
  }
  return null;
}

/**
 * Decodes a Code 128 symbol in a grayscale image. First the rows that look like bars (a
 * run of identical scanlines), thresholded at mid-gray and decoded by zxing's Code128Reader,
 * across and then down (a symbol turned 90 degrees); then zxing's MultiFormatReader on the whole
 * image (Code 128 only, TRY_HARDER, hybrid then global-histogram binarizer), upright and
 * turned, for blurred or scaled images. Null when nothing decodes.
 */
export function decodeCode128Image(img: LuminanceImage): string | null {
  if (img.width === 0 || img.height === 0) return null;
  let turned: LuminanceImage | undefined;
  const turn = () => (turned ??= transpose(img));
  return decodeRows(img) ?? decodeRows(turn()) ?? decodeWithZxing(img) ?? decodeWithZxing(turn());
}
