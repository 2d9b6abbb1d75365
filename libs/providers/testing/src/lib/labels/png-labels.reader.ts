import { Jimp } from 'jimp';
import { decodeCode128Image, type LuminanceImage } from './code128-decoder';
import { decodePngLuminance } from './png-decoder';

export interface PngLabel {
  /** Size in pixels. */
  width: number;
  height: number;
  /** The Code 128 value decoded from the image. */
  barcode: string;
}

/**
 * Reads a PNG into grayscale, transparent pixels composited over white: with node:zlib, or with
 * jimp for interlaced PNGs (jimp takes seconds per label-sized image under jest).
 */
export async function pngLuminance(png: Uint8Array): Promise<LuminanceImage> {
  const direct = decodePngLuminance(png);
  if (direct) return direct;
  let image: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    image = await Jimp.fromBuffer(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch (e) {
    throw new Error(`not a readable image (${(e as Error).message})`);
  }
  const { width, height, data } = image.bitmap;
  const lum = new Uint8ClampedArray(width * height);
  for (let i = 0; i < lum.length; i++) {
    const a = data[i * 4 + 3] / 255;
    const y = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
    lum[i] = y * a + 255 * (1 - a);
  }
  return { width, height, lum };
}

/** Reads a PNG label: its size and its Code 128 barcode (zxing). Throws when none decodes. */
export async function readPngLabel(png: Uint8Array): Promise<PngLabel> {
  const image = await pngLuminance(png).catch((e: Error) => {
    throw new Error(`readPngLabel: ${e.message}`);
  });
  const barcode = decodeCode128Image(image);
  if (barcode === null) throw new Error(`readPngLabel: no Code 128 barcode decodes in the ${image.width}x${image.height} image`);
  return { width: image.width, height: image.height, barcode };
}

/** The Code 128 value in a PNG label (zxing). Throws when there is none or it does not decode. */
export async function decodePngBarcode(png: Uint8Array): Promise<string> {
  return (await readPngLabel(png)).barcode;
}
