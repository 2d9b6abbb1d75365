import { contentTypeOf, documentExtension } from './label-documents';

describe('label documents', () => {
  it('names a document extension from its content type, else from its URL', () => {
    expect(documentExtension('application/pdf', 'https://x.test/a')).toBe('pdf');
    expect(documentExtension('image/png', 'https://x.test/a')).toBe('png');
    expect(documentExtension('application/zpl', 'https://x.test/a')).toBe('zpl');
    expect(documentExtension('application/octet-stream', 'https://x.test/files/label.ZPL?sig=1')).toBe('zpl');
    expect(documentExtension('', 'https://x.test/files/label')).toBe('bin');
    expect(documentExtension('', 'labels/label.png')).toBe('png');
  });

  it('gives the content type of a known extension, else application/octet-stream', () => {
    expect(contentTypeOf('pdf')).toBe('application/pdf');
    expect(contentTypeOf('png')).toBe('image/png');
    expect(contentTypeOf('zpl')).toBe('application/zpl');
    expect(contentTypeOf('bin')).toBe('application/octet-stream');
  });
});
