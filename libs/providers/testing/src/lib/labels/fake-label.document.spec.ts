import { renderFakeLabel } from './fake-label.document';
import { readPdfLabels } from './pdf-labels.reader';
import { decodePngBarcode } from './png-labels.reader';
import { readZplLabels } from './zpl-labels.reader';

describe('renderFakeLabel', () => {
  const content = { trackingNumber: '9400111899223100012345', lines: ['USPS Priority', 'Mr Hippo, San Francisco'] };

  it.each([
    ['4x6', 288, 432],
    ['letter', 612, 792],
    ['A6', 298, 420],
  ])('draws a PDF label of layout %s whose barcode reads as the tracking number, with its lines', async (layout, width, height) => {
    const { contentType, bytes } = await renderFakeLabel('pdf', layout, content);
    expect(contentType).toBe('application/pdf');
    const read = await readPdfLabels(bytes);
    expect(read.barcodes).toEqual([content.trackingNumber]);
    expect(read.pages[0]).toMatchObject({ width, height });
    expect(read.pages[0].text).toEqual(expect.arrayContaining([...content.lines, content.trackingNumber]));
  });

  it('gives PNG and ZPL labels of the same tracking number', async () => {
    expect(await decodePngBarcode((await renderFakeLabel('png', '4x6', content)).bytes)).toBe(content.trackingNumber);
    expect((await readZplLabels((await renderFakeLabel('zpl', '4x6', content)).bytes)).barcodes).toEqual([content.trackingNumber]);
  });
});
