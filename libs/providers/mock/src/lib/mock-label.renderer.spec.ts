import { renderMockLabel } from './mock-label.renderer';

const content = { trackingNumber: '9205141592663414309767', carrier: 'usps', serviceLevelToken: 'usps_priority', reference: 'ref-(1)' };

/** Checks that every xref entry points at its object and that startxref points at the table. */
function checkPdfStructure(pdf: Buffer): void {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe('xref');
  const [, count] = /^xref\n0 (\d+)\n/.exec(text.slice(startxref)) ?? [];
  const entries = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
  expect(entries[0]).toBe('0000000000 65535 f ');
  entries.slice(1).forEach((entry, i) => {
    const offset = Number(entry.slice(0, 10));
    expect(entry).toMatch(/^\d{10} 00000 n $/);
    expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
  const streamStart = text.indexOf('stream\n') + 'stream\n'.length;
  expect(text.slice(streamStart + length, streamStart + length + '\nendstream'.length)).toBe('\nendstream');
}

describe('renderMockLabel', () => {
  it('writes a one-page PDF with correct cross-reference offsets that prints tracking number, carrier and service', () => {
    const doc = renderMockLabel('PDF_4x6', content);
    expect(doc).toMatchObject({ contentType: 'application/pdf', extension: 'pdf' });
    checkPdfStructure(doc.content);
    const text = doc.content.toString('latin1');
    expect(text).toContain('/Count 1');
    expect(text).toContain('/MediaBox [0 0 288 432]');
    expect(text).toContain(content.trackingNumber);
    expect(text).toContain('USPS');
    expect(text).toContain('usps_priority');
    expect(text).toContain('REF ref-\\(1\\)');
  });

  it('sizes the page for the file type', () => {
    expect(renderMockLabel('PDF_A4', content).content.toString('latin1')).toContain('/MediaBox [0 0 595 842]');
    expect(renderMockLabel('PDF_2.3x7.5', content).content.toString('latin1')).toContain('/MediaBox [0 0 166 540]');
    for (const t of ['PDF', 'PDF_4x8', 'PDF_A5', 'PDF_A6'] as const) checkPdfStructure(renderMockLabel(t, content).content);
  });

  it('answers PNG file types with the PDF for now', () => {
    for (const t of ['PNG', 'PNG_2.3x7.5'] as const) {
      const doc = renderMockLabel(t, content);
      expect(doc).toMatchObject({ contentType: 'application/pdf', extension: 'pdf' });
      checkPdfStructure(doc.content);
    }
  });

  it('writes one ^XA ... ^XZ block for ZPLII', () => {
    const doc = renderMockLabel('ZPLII', content);
    expect(doc).toMatchObject({ contentType: 'application/zpl', extension: 'zpl' });
    const zpl = doc.content.toString();
    expect(zpl).toMatch(/^\^XA\n[\s\S]*\n\^XZ\n$/);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl).toContain(`^FD${content.trackingNumber}^FS`);
  });
});
