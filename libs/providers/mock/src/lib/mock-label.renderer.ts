import type { LabelDocument, LabelFileType } from '@shipbatch/providers/core';

/**
 * Renders the mock's label files. A later issue replaces this renderer with real label
 * documents (addresses, Code 128 barcode, PNG images).
 *
 * For now:
 * - PDF file types: a minimal, valid one-page PDF, hand-built with a correct cross-reference
 *   table, sized for the file type, printing the carrier, service and tracking number as text;
 * - ZPLII: a `^XA ... ^XZ` block;
 * - PNG file types: NOT an image yet; they are answered with the PDF too (content type
 *   application/pdf, extension pdf), sized like the PNG would be.
 */
export interface MockLabelContent {
  trackingNumber: string;
  carrier: string;
  serviceLevelToken: string;
  reference: string;
}

/** Page sizes in PostScript points (1/72 in). */
const PAGE_POINTS: Readonly<Record<LabelFileType, readonly [number, number]>> = {
  PDF: [612, 792], // US letter
  'PDF_2.3x7.5': [166, 540],
  PDF_4x6: [288, 432],
  PDF_4x8: [288, 576],
  PDF_A4: [595, 842],
  PDF_A5: [420, 595],
  PDF_A6: [298, 420],
  PNG: [288, 432],
  'PNG_2.3x7.5': [166, 540],
  ZPLII: [288, 432],
};

function pdfText(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
}

function minimalPdf(lines: string[], [width, height]: readonly [number, number]): Buffer {
  const fontSize = width < 200 ? 9 : 14;
  const content = [
    'BT',
    `/F1 ${fontSize} Tf`,
    `${fontSize + 4} TL`,
    `10 ${height - 20} Td`,
    ...lines.map((l) => `(${pdfText(l)}) '`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function zpl(label: MockLabelContent): Buffer {
  const field = (s: string) => s.replace(/[\^~]/g, ' ');
  return Buffer.from(
    [
      '^XA',
      '^CI28',
      `^FO40,40^A0N,40,40^FD${field(label.carrier.toUpperCase())}^FS`,
      `^FO40,100^A0N,30,30^FD${field(label.serviceLevelToken)}^FS`,
      `^FO40,150^A0N,30,30^FDTRACKING # ${field(label.trackingNumber)}^FS`,
      `^FO40,200^BCN,120,Y,N,N^FD${field(label.trackingNumber)}^FS`,
      `^FO40,380^A0N,20,20^FDREF ${field(label.reference)}^FS`,
      '^XZ',
      '',
    ].join('\n'),
  );
}

export function renderMockLabel(fileType: LabelFileType, label: MockLabelContent): LabelDocument {
  if (fileType === 'ZPLII') return { contentType: 'application/zpl', extension: 'zpl', content: zpl(label) };
  const lines = [
    label.carrier.toUpperCase(),
    label.serviceLevelToken,
    `TRACKING # ${label.trackingNumber}`,
    `REF ${label.reference}`,
  ];
  return { contentType: 'application/pdf', extension: 'pdf', content: minimalPdf(lines, PAGE_POINTS[fileType] ?? PAGE_POINTS.PDF_4x6) };
}
