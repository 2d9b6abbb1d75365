import type { LabelDocument, LabelFileType } from '@shipbatch/providers/core';

export interface MockLabelContent {
  trackingNumber: string;
  carrier: string;
  serviceLevelToken: string;
  reference: string;
}

function pdfText(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
}

/**
 * A minimal, valid one-page PDF (hand-built, with a correct cross-reference table) that
 * prints the carrier, service and tracking number. A later issue replaces this renderer
 * with real label documents (addresses, Code 128 barcode, PNG); until then PNG file types
 * are answered with this PDF too.
 */
function minimalPdf(lines: string[]): Buffer {
  const content = ['BT', '/F1 14 Tf', '18 400 Td', '18 TL', ...lines.map((l) => `(${pdfText(l)}) '`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export function renderMockLabel(fileType: LabelFileType, label: MockLabelContent): LabelDocument {
  const lines = [label.carrier.toUpperCase(), label.serviceLevelToken, `TRACKING # ${label.trackingNumber}`, `REF ${label.reference}`];
  if (fileType === 'ZPLII') {
    const zpl = [
      '^XA',
      `^FO40,40^A0N,40,40^FD${label.carrier.toUpperCase()}^FS`,
      `^FO40,100^A0N,30,30^FD${label.serviceLevelToken}^FS`,
      `^FO40,160^BCN,120,Y,N,N^FD${label.trackingNumber}^FS`,
      '^XZ',
      '',
    ].join('\n');
    return { contentType: 'application/zpl', extension: 'zpl', content: Buffer.from(zpl) };
  }
  return { contentType: 'application/pdf', extension: 'pdf', content: minimalPdf(lines) };
}
