export interface PredictorParams {
  /** 1 none, 2 TIFF, 10..15 PNG (the filter type is then given per row). */
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

/**
 * Undoes a TIFF (2) or PNG (>= 10) predictor: the row filters of PNG files and of PDF
 * Flate/LZW streams (`DecodeParms`). PNG rows start with their filter type (0 none, 1 sub,
 * 2 up, 3 average, 4 Paeth).
 */
export function undoPredictor(data: Uint8Array, p: PredictorParams): Uint8Array {
  if (p.predictor <= 1) return data;
  const bpp = Math.max(1, Math.ceil((p.colors * p.bitsPerComponent) / 8));
  const rowBytes = Math.ceil((p.colors * p.bitsPerComponent * p.columns) / 8);
  if (p.predictor === 2) {
    if (p.bitsPerComponent !== 8) throw new Error(`TIFF predictor with ${p.bitsPerComponent} bits per component is not supported`);
    const out = Uint8Array.from(data);
    for (let r = 0; r + rowBytes <= out.length; r += rowBytes) for (let i = bpp; i < rowBytes; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff;
    return out;
  }
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)];
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? out[dst + i - bpp] : 0;
      const b = r > 0 ? out[dst - rowBytes + i] : 0;
      const c = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp] : 0;
      let v = data[src + i];
      if (type === 1) v += a;
      else if (type === 2) v += b;
      else if (type === 3) v += (a + b) >> 1;
      else if (type === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (type !== 0) throw new Error(`unknown PNG filter type ${type} in row ${r}`);
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
