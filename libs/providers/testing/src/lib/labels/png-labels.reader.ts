import { PNG, type PNGWithMetadata } from 'pngjs';
import { decodeCode128Image, type LuminanceImage } from './code128-decoder';

export interface PngLabel {
  /** Size in pixels. */
  width: number;
  height: number;
  /** The Code 128 value decoded from the image. */
  barcode: string;
}

/**
 * Reads a PNG into grayscale with pngjs (every colour type and bit depth, palette, `tRNS`,
 * interlacing, CRCs checked), transparent pixels composited over white. Samples are taken
 * unscaled (`skipRescale`) and scaled here: pngjs's own rescaling of 1-bit images costs
 * seconds per label under jest.
 */
export async function pngLuminance(png: Uint8Array): Promise<LuminanceImage> {
  let image: PNGWithMetadata;
  try {
    image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength), { skipRescale: true });
  } catch (e) {
    throw new Error(`not a readable PNG (${(e as Error).message})`);
  }
  const { width, height, data } = image;
  // Palette entries are 8-bit; other samples keep the file's depth (16-bit ones in a Uint16Array).
  // (@types/pngjs leaves colour type 3, palette, out of its ColorType; pngjs reports it.)
  const max = (image.colorType as number) === 3 ? 255 : 2 ** image.depth - 1;
  const lum = new Uint8ClampedArray(width * height);
  for (let p = 0, i = 0; p < lum.length; p++, i += 4) {
    const a = data[i + 3] / max;
    lum[p] = ((0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) / max) * 255 * a + 255 * (1 - a);
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
