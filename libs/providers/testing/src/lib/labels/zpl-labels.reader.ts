/** One field of a ZPL label: the commands between the previous `^FS` and its own, and its data. */
export interface ZplField {
  /** `^FO`/`^FT` origin in dots, when given. */
  origin?: [number, number];
  /** Every command of the field in order, e.g. `['FO40,40', 'A0N,30,30', 'FD...']`. */
  commands: string[];
  /** `^FD` data with `^FH` hex escapes decoded; undefined when the field has no `^FD`. */
  data?: string;
  /** The barcode command of the field (`BC`, `B3`, `BQ`, ...), when it is a barcode. */
  barcode?: { type: string; params: string[] };
}

export interface ZplLabels {
  /** Number of `^XA ... ^XZ` blocks. */
  labelCount: number;
  /** One Code 128 (`^BC`) value per block, in order. */
  barcodes: string[];
}

const text = (zpl: string | Uint8Array): string => (typeof zpl === 'string' ? zpl : Buffer.from(zpl).toString('utf8'));

/** The `^XA ... ^XZ` blocks of a ZPL document (one per label), each with its `^XA` and `^XZ`. */
export function zplLabelBlocks(zpl: string | Uint8Array): string[] {
  return text(zpl).match(/\^XA[\s\S]*?\^XZ/gi) ?? [];
}

/** `^FH` data: `<indicator>XX` is the byte 0xXX; bytes are read as UTF-8 (`^CI28`). */
function unhex(data: string, indicator: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(data, 'utf8');
  const ind = indicator.charCodeAt(0);
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === ind ? raw.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(raw[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}

const BARCODES = /^B[0-9A-Z]/;

/** The fields of one `^XA ... ^XZ` block. */
export function zplFields(block: string): ZplField[] {
  const fields: ZplField[] = [];
  // Commands start with ^ or ~ followed by two characters; field data runs to the next command.
  const commands = block.split(/[\^~](?=[A-Za-z@][A-Za-z0-9@])/).map((c) => c.replace(/\r?\n$/, ''));
  let current: string[] = [];
  for (const c of commands.slice(1)) {
    const code = c.slice(0, 2).toUpperCase();
    if (code === 'FS') {
      fields.push(toField(current));
      current = [];
    } else current.push(c);
  }
  return fields;
}

function toField(commands: string[]): ZplField {
  const field: ZplField = { commands };
  let hexIndicator: string | undefined;
  let data: string | undefined;
  for (const c of commands) {
    const code = c.slice(0, 2).toUpperCase();
    const rest = c.slice(2);
    if (code === 'FO' || code === 'FT') {
      const [x, y] = rest.split(',').map((v) => Number(v.trim()));
      field.origin = [x || 0, y || 0];
    } else if (code === 'FH') hexIndicator = rest.trim().charAt(0) || '_';
    else if (code === 'FD') data = rest;
    else if (BARCODES.test(code) && code !== 'BY') field.barcode = { type: code, params: rest.split(',').map((v) => v.trim()) };
  }
  if (data !== undefined) field.data = hexIndicator ? unhex(data, hexIndicator) : data;
  return field;
}

/**
 * Data of a `^BC` field in mode N (the default): the subset start/switch invocations (`>9`,
 * `>:`, `>;`, `>5`, `>6`, `>7`) and function codes are dropped, `><` is `<`, `>0` is `>` and
 * `>=` is `~`. Other modes (A automatic, U, D) carry the data as is.
 */
function code128Text(data: string, mode: string): string {
  if (mode !== 'N') return data;
  return data.replace(/>(.)/g, (_, c: string) => ({ '<': '<', '0': '>', '=': '~' })[c] ?? '');
}

/** Text data of the block's non-barcode fields, in order (`^FH` escapes decoded). */
export function zplTextFields(block: string): string[] {
  return zplFields(block)
    .filter((f) => !f.barcode && f.data !== undefined)
    .map((f) => f.data as string);
}

/**
 * The value of the block's Code 128 (`^BC`) barcode, as a printer would encode it. Throws when
 * the block has no `^BC` field, the field has no data, or the data cannot be Code 128 (outside
 * ASCII).
 */
export function zplBarcodeData(block: string): string {
  const field = zplFields(block).find((f) => f.barcode?.type === 'BC');
  if (!field) throw new Error('zplBarcodeData: the block has no ^BC (Code 128) field');
  if (!field.data) throw new Error('zplBarcodeData: the ^BC field has no ^FD data');
  const mode = (field.barcode?.params[5] || 'N').toUpperCase();
  const value = code128Text(field.data, mode);
  if (!value || [...value].some((c) => c.charCodeAt(0) > 0x7f)) throw new Error(`zplBarcodeData: '${value}' cannot be encoded as Code 128`);
  return value;
}

/** Splits a ZPL document into labels and reads each one's `^BC` value. Throws when a block has none. */
export function readZplLabels(zpl: string | Uint8Array): ZplLabels {
  const blocks = zplLabelBlocks(zpl);
  if (blocks.length === 0) throw new Error('readZplLabels: no ^XA ... ^XZ block');
  const barcodes = blocks.map((b, i) => {
    try {
      return zplBarcodeData(b);
    } catch (e) {
      throw new Error(`readZplLabels: label ${i + 1} of ${blocks.length}: ${(e as Error).message}`);
    }
  });
  return { labelCount: blocks.length, barcodes };
}
