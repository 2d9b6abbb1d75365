import { inflateSync, constants as zlibConstants } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from '@cantoo/pdf-lib';
import type { LuminanceImage } from './code128-decoder';
import { streamBytes } from './pdf-graphics';
import { undoPredictor } from './predictors';

const num = (o: PDFObject | undefined, fallback: number): number => (o instanceof PDFNumber ? o.asNumber() : fallback);
const nameOf = (o: PDFObject | undefined): string | undefined => (o instanceof PDFName ? o.decodeText() : undefined);

function resolve(dict: PDFDict, o: PDFObject | undefined): PDFObject | undefined {
  return o instanceof PDFRef ? dict.context.lookup(o) : o;
}

function asList(dict: PDFDict, o: PDFObject | undefined): Array<PDFObject | undefined> {
  const r = resolve(dict, o);
  if (r === undefined) return [];
  return r instanceof PDFArray ? r.asArray().map((x) => resolve(dict, x)) : [r];
}

/** The predictor of a Flate/LZW `DecodeParms` dictionary, undone. */
function unpredict(data: Uint8Array, parms: PDFDict | undefined): Uint8Array {
  return undoPredictor(data, {
    predictor: num(parms?.lookup(PDFName.of('Predictor')), 1),
    colors: num(parms?.lookup(PDFName.of('Colors')), 1),
    bitsPerComponent: num(parms?.lookup(PDFName.of('BitsPerComponent')), 8),
    columns: num(parms?.lookup(PDFName.of('Columns')), 1),
  });
}

const UNSUPPORTED = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/** The stream's samples: Flate inflated with node:zlib and its predictor undone; other filters through pdf-lib. */
function imageData(stream: PDFStream): Uint8Array {
  const filters = asList(stream.dict, stream.dict.get(PDFName.of('Filter'))).map(nameOf);
  const parms = asList(stream.dict, stream.dict.get(PDFName.of('DecodeParms')));
  const unsupported = filters.find((f) => f && UNSUPPORTED.has(f));
  if (unsupported) throw new Error(`images compressed with ${unsupported} are not decoded`);
  if (!(stream instanceof PDFRawStream)) return streamBytes(stream);
  if (filters.length === 1 && filters[0] === 'FlateDecode') {
    const inflated = inflateSync(stream.contents, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return unpredict(inflated, parms[0] instanceof PDFDict ? parms[0] : undefined);
  }
  const decoded = decodePDFRawStream(stream).decode();
  const last = parms[parms.length - 1];
  return unpredict(decoded, last instanceof PDFDict ? last : undefined);
}

interface ColorSpace {
  components: number;
  /** Indexed spaces: samples are palette indices, the default Decode range is [0, 2^bpc - 1]. */
  indexed?: boolean;
  /** Gray 0..1 of one pixel's components (already mapped through Decode to 0..1, or an index). */
  gray(c: number[]): number;
}

function bytesOf(o: PDFObject | undefined): Uint8Array {
  if (o instanceof PDFStream) return streamBytes(o);
  if (o instanceof PDFHexString || o instanceof PDFString) return o.asBytes();
  return new Uint8Array();
}

function colorSpace(dict: PDFDict, o: PDFObject | undefined): ColorSpace {
  const cs = resolve(dict, o);
  const name = nameOf(cs) ?? (cs instanceof PDFArray ? nameOf(resolve(dict, cs.get(0))) : undefined);
  switch (name) {
    case undefined:
    case 'DeviceGray':
    case 'CalGray':
    case 'G':
      return { components: 1, gray: (c) => c[0] };
    case 'DeviceRGB':
    case 'CalRGB':
    case 'RGB':
      return { components: 3, gray: (c) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] };
    case 'DeviceCMYK':
    case 'CMYK':
      return { components: 4, gray: (c) => (1 - c[3]) * (1 - (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2])) };
    case 'Lab':
      return { components: 3, gray: (c) => c[0] };
    case 'ICCBased': {
      const profile = resolve(dict, (cs as PDFArray).get(1));
      const n = profile instanceof PDFStream ? num(profile.dict.lookup(PDFName.of('N')), 3) : 3;
      const alternate = profile instanceof PDFStream ? profile.dict.get(PDFName.of('Alternate')) : undefined;
      if (alternate) return colorSpace(dict, alternate);
      return colorSpace(dict, PDFName.of(n === 1 ? 'DeviceGray' : n === 4 ? 'DeviceCMYK' : 'DeviceRGB'));
    }
    case 'Indexed':
    case 'I': {
      const arr = cs as PDFArray;
      const base = colorSpace(dict, arr.get(1));
      const table = bytesOf(resolve(dict, arr.get(3)));
      return {
        components: 1,
        indexed: true,
        gray: ([index]) => {
          const at = Math.round(index) * base.components;
          return base.gray(Array.from(table.subarray(at, at + base.components), (v) => v / 255));
        },
      };
    }
    default:
      throw new Error(`images in colour space ${name} are not decoded`);
  }
}

/** Reads `count` samples of `bpc` bits from each row (rows padded to whole bytes). */
function samples(data: Uint8Array, width: number, height: number, perPixel: number, bpc: number): Uint16Array {
  const out = new Uint16Array(width * height * perPixel);
  const rowBits = Math.ceil((width * perPixel * bpc) / 8) * 8;
  const need = (rowBits / 8) * height;
  if (data.length < need) throw new Error(`image data is ${data.length} bytes, ${need} expected`);
  let k = 0;
  for (let y = 0; y < height; y++) {
    let bit = y * rowBits;
    for (let i = 0; i < width * perPixel; i++, bit += bpc) {
      if (bpc === 8) out[k++] = data[bit >> 3];
      else if (bpc === 16) out[k++] = (data[bit >> 3] << 8) | data[(bit >> 3) + 1];
      else out[k++] = (data[bit >> 3] >> (8 - bpc - (bit & 7))) & ((1 << bpc) - 1);
    }
  }
  return out;
}

/**
 * An image XObject as grayscale, in image space (row 0 at the top): samples at 1, 2, 4, 8 or
 * 16 bits, DeviceGray/RGB/CMYK, ICCBased, Indexed, the Decode array, ImageMask stencils
 * (painted in `stencilGray`), and an SMask (alpha) composited over white.
 */
export function imageLuminance(stream: PDFStream, stencilGray = 0): LuminanceImage {
  const dict = stream.dict;
  const width = num(dict.lookup(PDFName.of('Width')), 0);
  const height = num(dict.lookup(PDFName.of('Height')), 0);
  if (!width || !height) throw new Error('image without Width/Height');
  const mask = dict.lookup(PDFName.of('ImageMask')) instanceof PDFBool && (dict.lookup(PDFName.of('ImageMask')) as PDFBool).asBoolean();
  const bpc = mask ? 1 : num(dict.lookup(PDFName.of('BitsPerComponent')), 8);
  const space: ColorSpace = mask ? { components: 1, gray: (c) => c[0] } : colorSpace(dict, dict.get(PDFName.of('ColorSpace')));
  const max = (1 << bpc) - 1;
  const decodeArr = asList(dict, dict.get(PDFName.of('Decode'))).map((o) => num(o, 0));
  const range = (i: number): [number, number] =>
    decodeArr.length >= 2 * (i + 1) ? [decodeArr[2 * i], decodeArr[2 * i + 1]] : space.indexed ? [0, max] : [0, 1];
  const data = imageData(stream);
  const lum = new Uint8ClampedArray(width * height);
  if (!mask && bpc === 8 && decodeArr.length === 0 && !space.indexed && (space.components === 1 || space.components === 3)) {
    // The common case (pdf-lib's embedPng, most writers): 8-bit gray or RGB, read straight.
    const need = width * height * space.components;
    if (data.length < need) throw new Error(`image data is ${data.length} bytes, ${need} expected`);
    if (space.components === 1) lum.set(data.subarray(0, width * height));
    else for (let p = 0, i = 0; p < lum.length; p++, i += 3) lum[p] = (299 * data[i] + 587 * data[i + 1] + 114 * data[i + 2]) / 1000;
  } else {
    const s = samples(data, width, height, space.components, bpc);
    const c = new Array<number>(space.components);
    for (let p = 0; p < width * height; p++) {
      for (let i = 0; i < space.components; i++) {
        const [lo, hi] = range(i);
        c[i] = lo + (s[p * space.components + i] * (hi - lo)) / max;
      }
      // A stencil paints where the (decoded) sample is 0.
      lum[p] = mask ? (c[0] < 0.5 ? stencilGray * 255 : 255) : space.gray(c) * 255;
    }
  }
  const smask = resolve(dict, dict.get(PDFName.of('SMask')));
  if (smask instanceof PDFStream) {
    const alpha = imageLuminance(smask);
    if (alpha.width === width && alpha.height === height) {
      for (let p = 0; p < lum.length; p++) if (alpha.lum[p] !== 255) lum[p] = (lum[p] * alpha.lum[p] + 255 * (255 - alpha.lum[p])) / 255;
      return { width, height, lum };
    }
    for (let y = 0; y < height; y++) {
      const ay = Math.min(alpha.height - 1, Math.floor((y * alpha.height) / height));
      for (let x = 0; x < width; x++) {
        const a = alpha.lum[ay * alpha.width + Math.min(alpha.width - 1, Math.floor((x * alpha.width) / width))] / 255;
        lum[y * width + x] = lum[y * width + x] * a + 255 * (1 - a);
      }
    }
  }
  return { width, height, lum };
}
