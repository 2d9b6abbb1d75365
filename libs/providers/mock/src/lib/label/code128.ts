import bwipjs from 'bwip-js';

/**
 * A Code 128 symbol as bars, in modules (the narrowest bar or space is one module).
 * Quiet zones are not included: callers leave at least {@link CODE128_QUIET_ZONE} white
 * modules on each side.
 */
export interface Code128Symbol {
  /** The encoded value. */
  value: string;
  /** Width of the symbol in modules, start to stop character, without quiet zones. */
  modules: number;
  /** The black bars, left to right: start module and width in modules. */
  bars: ReadonlyArray<readonly [start: number, width: number]>;
}

/** White modules needed on each side of a Code 128 symbol. */
export const CODE128_QUIET_ZONE = 10;

/**
 * Encodes `value` as Code 128 with bwip-js (`raw`: the bar/space pattern only, no drawing),
 * letting it pick the code sets (C for digit runs, B otherwise) and compute the check symbol.
 * About 0.2 ms; the result is not cached because tracking numbers never repeat.
 */
export function encodeCode128(value: string): Code128Symbol {
  if (!value) throw new Error('code128: nothing to encode');
  const [symbol] = bwipjs.raw('code128', value) as Array<{ sbs?: number[] }>;
  const sbs = symbol?.sbs;
  if (!sbs || sbs.length === 0) throw new Error(`code128: bwip-js gave no bar pattern for '${value}'`);
  const bars: Array<[number, number]> = [];
  let x = 0;
  for (let i = 0; i < sbs.length; i++) {
    // sbs alternates bar, space, bar, ... starting with a bar.
    if (i % 2 === 0) bars.push([x, sbs[i]]);
    x += sbs[i];
  }
  return { value, modules: x, bars };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Width in modules of the Code 128 symbol a printer makes of `value` in automatic mode (ZPL
 * `^BC...,A`), without encoding it: set C for runs of 4 or more digits (or a value of digits
 * only, even length), set B otherwise, an odd digit before a run stays in B. For the ZPL
 * writer, which only needs the width to centre the symbol, and leaves the encoding to the
 * printer. Printable ASCII only (B); other characters count as one symbol.
 */
export function code128Modules(value: string): number {
  let symbols = 0;
  let set: 'B' | 'C' | undefined;
  for (let i = 0; i < value.length; ) {
    let run = 0;
    while (isDigit(value[i + run])) run++;
    const useC = run >= 4 || (run >= 2 && run === value.length);
    if (useC) {
      // An odd digit goes out in B first when the run does not start the symbol.
      if (run % 2 === 1) {
        if (set !== 'B') symbols += set ? 1 : 0;
        set = set ?? 'B';
        symbols += 1;
        i += 1;
        run -= 1;
      }
      if (set !== 'C') symbols += set ? 1 : 0;
      set = 'C';
      symbols += run / 2;
      i += run;
    } else {
      if (set !== 'B') symbols += set ? 1 : 0;
      set = 'B';
      symbols += 1;
      i += 1;
    }
  }
  // start + data and code switches + check, 11 modules each, and the 13-module stop.
  return (symbols + 2) * 11 + 13;
}
