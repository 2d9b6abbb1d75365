/** ShipStation's label_format and label_layout for one of Shippo's label file types. */
export interface LabelFormat {
  format: 'pdf' | 'png' | 'zpl';
  layout: string;
}

const FORMATS: Readonly<Record<string, LabelFormat>> = {
  PNG: { format: 'png', layout: '4x6' },
  'PNG_2.3x7.5': { format: 'png', layout: '2.3x7.5' },
  PDF: { format: 'pdf', layout: 'letter' },
  'PDF_2.3x7.5': { format: 'pdf', layout: '2.3x7.5' },
  PDF_4x6: { format: 'pdf', layout: '4x6' },
  PDF_4x8: { format: 'pdf', layout: '4x8' },
  PDF_A4: { format: 'pdf', layout: 'A4' },
  PDF_A5: { format: 'pdf', layout: 'A5' },
  PDF_A6: { format: 'pdf', layout: 'A6' },
  ZPLII: { format: 'zpl', layout: '4x6' },
};

export function labelFormatOf(labelFileType: string): LabelFormat {
  return FORMATS[labelFileType] ?? { format: 'pdf', layout: '4x6' };
}

/** The format of a stored file, from its key's extension; null when it has none we know. */
export function fileFormatOf(key: string): LabelFormat['format'] | null {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'pdf' || ext === 'png' || ext === 'zpl' ? ext : null;
}
