import { readZplLabels, zplBarcodeData, zplFields, zplLabelBlocks, zplTextFields } from './zpl-labels.reader';

const label = (tracking: string, extra = '') =>
  ['^XA', '^CI28', '^FO40,40^A0N,30,30^FDUSPS^FS', `^FO40,100^FH^FDCaf_C3_A9 _5E 1_5F2^FS`, `^BY3,3,120${extra}`, `^FO40,200^BCN,120,N,N,N,A^FD${tracking}^FS`, '^XZ'].join('\n');

describe('ZPL label readers', () => {
  it('splits a document into ^XA ... ^XZ blocks, from a string or bytes', () => {
    const doc = `${label('111')}\n${label('222')}\r\n${label('333')}`;
    expect(zplLabelBlocks(doc)).toHaveLength(3);
    expect(zplLabelBlocks(Buffer.from(doc))[1]).toBe(label('222'));
    expect(zplLabelBlocks('no labels')).toEqual([]);
  });

  it('reads the ^BC data of each block, and the text fields with ^FH escapes decoded', () => {
    expect(readZplLabels(`${label('9205141592663414309767')}${label('1ZSB09IX0306161595')}`)).toEqual({
      labelCount: 2,
      barcodes: ['9205141592663414309767', '1ZSB09IX0306161595'],
    });
    expect(zplTextFields(label('1'))).toEqual(['USPS', 'Café ^ 1_2']);
    expect(zplFields(label('1'))[0]).toMatchObject({ origin: [40, 40], data: 'USPS' });
  });

  it('drops mode N subset invocations (>; >: >6) and keeps escaped characters', () => {
    expect(zplBarcodeData('^XA^FO1,1^BCN,100,Y,N,N^FD>;123456>6AB>0C><^FS^XZ')).toBe('123456AB>C<');
    expect(zplBarcodeData('^XA^FO1,1^BCN,100,Y,N,N,A^FD>;12^FS^XZ')).toBe('>;12');
  });

  it('fails clearly without a ^BC field, without data, or with data Code 128 cannot carry', () => {
    expect(() => zplBarcodeData('^XA^FO1,1^A0N,20,20^FDtext^FS^XZ')).toThrow('zplBarcodeData: the block has no ^BC (Code 128) field');
    expect(() => zplBarcodeData('^XA^FO1,1^BCN,100^FS^XZ')).toThrow('zplBarcodeData: the ^BC field has no ^FD data');
    expect(() => zplBarcodeData('^XA^FO1,1^BCN,100^FH^FD_C3_A9^FS^XZ')).toThrow(/cannot be encoded as Code 128/);
    expect(() => readZplLabels(`${label('1')}^XA^FO1,1^FDx^FS^XZ`)).toThrow('readZplLabels: label 2 of 2: zplBarcodeData: the block has no ^BC (Code 128) field');
    expect(() => readZplLabels('')).toThrow('readZplLabels: no ^XA ... ^XZ block');
  });
});
