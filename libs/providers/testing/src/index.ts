export * from './lib/sql-clients';
export * from './lib/fixtures';
export * from './lib/provider-contract';
export * from './lib/minute-window';
export * from './lib/labels/pdf-labels.reader';
export * from './lib/labels/png-labels.reader';
export * from './lib/labels/zpl-labels.reader';
export { decodeCode128Image, decodeCode128Row, type LuminanceImage } from './lib/labels/code128-decoder';
