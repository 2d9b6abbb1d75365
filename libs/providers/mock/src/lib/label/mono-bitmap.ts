import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Buffer[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), data]), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A black-and-white bitmap, one bit per pixel, stored exactly as a 1-bit grayscale PNG's
 * filtered scanlines (a filter byte 0 then the packed row; bit set = white), so encoding is
 * one deflate. Starts white. Thermal label printers are 1-bit too.
 */
export class MonoBitmap {
  readonly stride: number;
  readonly rows: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.stride = Math.ceil(width / 8) + 1;
    this.rows = Buffer.alloc(this.stride * height, 0xff);
    for (let y = 0; y < height; y++) this.rows[y * this.stride] = 0;
  }

  setBlack(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.rows[y * this.stride + 1 + (x >> 3)] &= ~(0x80 >> (x & 7));
  }

  isBlack(x: number, y: number): boolean {
    return (this.rows[y * this.stride + 1 + (x >> 3)] & (0x80 >> (x & 7))) === 0;
  }

  /** Fills [x0, x1) x [y0, y1) black, clipped to the bitmap. */
  fillRect(x0: number, y0: number, x1: number, y1: number): void {
    x0 = Math.max(0, Math.round(x0));
    x1 = Math.min(this.width, Math.round(x1));
    y0 = Math.max(0, Math.round(y0));
    y1 = Math.min(this.height, Math.round(y1));
    if (x1 <= x0 || y1 <= y0) return;
    for (let y = y0; y < y1; y++) {
      const row = y * this.stride + 1;
      let x = x0;
      for (; x < x1 && x & 7; x++) this.rows[row + (x >> 3)] &= ~(0x80 >> (x & 7));
      for (; x + 8 <= x1; x += 8) this.rows[row + (x >> 3)] = 0;
      for (; x < x1; x++) this.rows[row + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
  }

  /** A 1-bit grayscale PNG with a pHYs chunk for `dpi`. */
  toPng(dpi: number): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, adaptive filtering, no interlace
    const phys = Buffer.alloc(9);
    const perMetre = Math.round(dpi / 0.0254);
    phys.writeUInt32BE(perMetre, 0);
    phys.writeUInt32BE(perMetre, 4);
    phys[8] = 1;
    return Buffer.concat([
      PNG_SIGNATURE,
      chunk('IHDR', ihdr),
      chunk('pHYs', phys),
      chunk('IDAT', deflateSync(this.rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}
