import { deflateSync } from 'node:zlib';
import bwipjs from 'bwip-js';
import { decodePngBarcode, readPngLabel } from './png-labels.reader';

const VALUE = '9205141592663414309767';

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG file: IHDR (colour type, bit depth, no interlace), extra chunks (PLTE, tRNS) and the scanlines, each with its filter byte. */
function pngFile(width: number, height: number, depth: number, colorType: number, scanlines: Buffer, extra: Array<[string, Buffer]> = []): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    ...extra.map(([type, data]) => chunk(type, data)),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG of 8-bit gray rows, each row with PNG filter type `filter` (0 none, 2 up). */
function grayPng(rows: number[][], filter: 0 | 2 = 0): Buffer {
  const raw = Buffer.concat(
    rows.map((row, y) => Buffer.from([filter, ...row.map((v, x) => (filter === 2 && y > 0 ? (v - rows[y - 1][x]) & 0xff : v))])),
  );
  return pngFile(rows[0].length, rows.length, 8, 0, raw);
}

/** 30 rows of the symbol, `module` pixels per module, 10 modules of quiet zone: `ink` and `paper` samples. */
function barRows(module: number, ink: number, paper: number): number[][] {
  const [{ sbs }] = bwipjs.raw('code128', VALUE) as Array<{ sbs: number[] }>;
  const row: number[] = new Array<number>(10 * module).fill(paper);
  sbs.forEach((w, i) => row.push(...new Array<number>(w * module).fill(i % 2 === 0 ? ink : paper)));
  row.push(...new Array<number>(10 * module).fill(paper));
  return Array.from({ length: 30 }, () => row);
}

/** Packs samples of `depth` bits (1, 2, 4 or 16) into scanlines with filter type 0. */
function packRows(rows: number[][], depth: number): Buffer {
  return Buffer.concat(
    rows.map((row) => {
      const out = Buffer.alloc(Math.ceil((row.length * depth) / 8));
      row.forEach((v, i) => {
        if (depth === 16) out.writeUInt16BE(v, i * 2);
        else out[(i * depth) >> 3] |= v << (8 - depth - ((i * depth) & 7));
      });
      return Buffer.concat([Buffer.from([0]), out]);
    }),
  );
}

describe('readPngLabel / decodePngBarcode', () => {
  it('decodes an RGBA PNG with a transparent background (bwip-js), and gives its size', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'code128', text: VALUE, scale: 3, height: 15 });
    const label = await readPngLabel(png);
    expect(label.barcode).toBe(VALUE);
    expect([label.width, label.height]).toEqual([png.readUInt32BE(16), png.readUInt32BE(20)]);
    expect(await decodePngBarcode(png)).toBe(VALUE);
  });

  it('decodes a symbol turned 90 degrees', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'code128', text: VALUE, scale: 2, height: 12, rotate: 'R', backgroundcolor: 'FFFFFF' });
    expect(await decodePngBarcode(png)).toBe(VALUE);
  });

  it('undoes PNG row filters (8-bit gray, "up" filter), with 1-pixel modules', async () => {
    const [{ sbs }] = bwipjs.raw('code128', VALUE) as Array<{ sbs: number[] }>;
    const row: number[] = new Array(10).fill(255);
    sbs.forEach((w, i) => row.push(...new Array<number>(w).fill(i % 2 === 0 ? 0 : 255)));
    row.push(...new Array<number>(10).fill(255));
    const rows = Array.from({ length: 40 }, (_, y) => (y < 5 || y >= 35 ? row.map(() => 255) : row));
    expect(await decodePngBarcode(grayPng(rows, 2))).toBe(VALUE);
  });

  it('fails clearly: an image without a barcode, a damaged symbol, and bytes that are not a PNG', async () => {
    const blank = grayPng(Array.from({ length: 50 }, () => new Array<number>(200).fill(255)));
    await expect(decodePngBarcode(blank)).rejects.toThrow('readPngLabel: no Code 128 barcode decodes in the 200x50 image');
    const [{ sbs }] = bwipjs.raw('code128', VALUE) as Array<{ sbs: number[] }>;
    const row: number[] = new Array(20).fill(255);
    // Every fourth bar drawn one module too wide: the characters no longer match Code 128 patterns.
    sbs.forEach((w, i) => row.push(...new Array<number>((w + (i % 8 === 0 ? 1 : 0)) * 2).fill(i % 2 === 0 ? 0 : 255)));
    row.push(...new Array<number>(20).fill(255));
    await expect(decodePngBarcode(grayPng(Array.from({ length: 30 }, () => row)))).rejects.toThrow(/no Code 128 barcode decodes/);
    await expect(decodePngBarcode(Buffer.from('GIF89a'))).rejects.toThrow(/readPngLabel: /);
  });

  it('reads other colour types and depths: 1-bit and 16-bit gray, a 2-bit palette with a transparent entry', async () => {
    const oneBit = barRows(2, 0, 1);
    expect(await readPngLabel(pngFile(oneBit[0].length, 30, 1, 0, packRows(oneBit, 1)))).toEqual({ width: oneBit[0].length, height: 30, barcode: VALUE });
    // 16-bit: dark and light grays close to the middle, which an 8-bit misreading of the samples would not keep apart.
    const deep = barRows(2, 20_000, 45_000);
    expect(await decodePngBarcode(pngFile(deep[0].length, 30, 16, 0, packRows(deep, 16)))).toBe(VALUE);
    // Palette: 0 dark blue, 1 pale yellow, 2 black but fully transparent (tRNS), so the paper shows (white).
    const indexed = barRows(2, 0, 2);
    const plte = Buffer.from('000060FFFFCC000000', 'hex');
    const trns = Buffer.from([255, 255, 0]);
    const png = pngFile(indexed[0].length, 30, 2, 3, packRows(indexed, 2), [['PLTE', plte], ['tRNS', trns]]);
    expect(await decodePngBarcode(png)).toBe(VALUE);
    // The same palette with the transparent entry opaque black: the "paper" is black and nothing decodes.
    const opaque = pngFile(indexed[0].length, 30, 2, 3, packRows(indexed, 2), [['PLTE', plte], ['tRNS', Buffer.from([255, 255, 255])]]);
    await expect(decodePngBarcode(opaque)).rejects.toThrow(/no Code 128 barcode decodes/);
  });
});
