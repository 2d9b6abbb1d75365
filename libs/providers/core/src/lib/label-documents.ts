/**
 * Naming a downloaded label file, the same for every adapter: its extension from the content
 * type the provider answered with (else from the URL), and a content type for an answer that
 * names none.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = { pdf: 'application/pdf', png: 'image/png', zpl: 'application/zpl' };

/** A label file's extension from its content type, else from its URL; `bin` when neither says. */
export function documentExtension(contentType: string, url: string): string {
  const type = contentType.toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/png') return 'png';
  if (type.includes('zpl')) return 'zpl';
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not absolute: read the text as a path
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === 'pdf' || ext === 'png' || ext === 'zpl' ? ext : 'bin';
}

/** The content type of a file of that extension (for answers that name none). */
export function contentTypeOf(extension: string): string {
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
