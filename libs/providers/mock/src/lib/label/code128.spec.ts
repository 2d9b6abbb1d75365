import { decodeCode128Row } from '@shipbatch/providers/testing';
import { mockTrackingNumber } from '../mock-tracking';
import { code128Modules, encodeCode128 } from './code128';

const SERVICES = [
  ['usps', 'usps_priority'],
  ['ups', 'ups_next_day_air'],
  ['fedex', 'fedex_ground'],
  ['dhl_express', 'dhl_express_worldwide'],
] as const;
const SEQS = [1, 2, 999, 10_000_000, 123_456_789, 98_765_432_101];

/** Pixels of a symbol, one per module, as zxing reads a scanline. */
const pixels = (value: string): boolean[] => {
  const s = encodeCode128(value);
  const row = new Array<boolean>(s.modules).fill(false);
  for (const [start, width] of s.bars) row.fill(true, start, start + width);
  return row;
};

describe('Code 128', () => {
  it('encodes every carrier\'s tracking numbers into bars that zxing decodes back', () => {
    for (const [carrier, service] of SERVICES) {
      for (const seq of SEQS) {
        const tracking = mockTrackingNumber(carrier, seq, service);
        expect(decodeCode128Row(pixels(tracking))).toBe(tracking);
      }
    }
  });

  it('starts and ends with a bar, and counts its modules', () => {
    const s = encodeCode128('9205141592663414309767');
    expect(s.bars[0][0]).toBe(0);
    const [lastStart, lastWidth] = s.bars[s.bars.length - 1];
    expect(lastStart + lastWidth).toBe(s.modules);
    // 22 digits in code set C: start, 11 pairs, check, 11 modules each, then the 13-module stop.
    expect(s.modules).toBe(13 * 11 + 13);
  });

  it('computes the width a printer\'s automatic mode gives, without encoding (ZPL)', () => {
    for (const [carrier, service] of SERVICES) {
      for (const seq of SEQS) {
        const tracking = mockTrackingNumber(carrier, seq, service);
        expect(code128Modules(tracking)).toBe(encodeCode128(tracking).modules);
      }
    }
    for (const value of ['A', '12', '123', '1234', '12345', 'A12345', 'AB1234C', '1Z999AA10123456784']) {
      expect({ value, modules: code128Modules(value) }).toEqual({ value, modules: encodeCode128(value).modules });
    }
  });

  it('refuses an empty value', () => {
    expect(() => encodeCode128('')).toThrow('code128: nothing to encode');
  });
});
