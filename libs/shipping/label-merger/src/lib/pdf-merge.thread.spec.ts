import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { mergeInProcess, PdfMergeThread } from './pdf-merge.thread';

const fixture = join(__dirname, '__fixtures__', 'counting-merger.js');

describe('PdfMergeThread', () => {
  it('merges on a worker thread, reporting the documents it left out, in order', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: fixture });
    try {
      expect(thread.threaded).toBe(true);
      const results = await Promise.all([
        thread.mergePdf([Buffer.from('aa'), Buffer.from('BROKEN'), Buffer.from('ccc')]),
        thread.mergePdf([Buffer.from('dddd')]),
      ]);
      expect(results[0].pdf.toString()).toBe('merged:2,3:thread=worker');
      expect(results[0].skipped).toEqual([{ index: 1, reason: 'Error: cannot parse' }]);
      expect(results[1].pdf.toString()).toBe('merged:4:thread=worker');
    } finally {
      await thread.close();
    }
  });

  it('merges in process when the thread dies, and starts a new thread for the next merge', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: fixture });
    try {
      const docs = [Buffer.from('CRASH')];
      // The thread exits mid-merge: the in-process merger (the real one) takes over and
      // refuses the document, leaving it out.
      const fallback = await thread.mergePdf(docs);
      expect(fallback.skipped.map((s) => s.index)).toEqual([0]);
      expect((await thread.mergePdf([Buffer.from('e')])).pdf.toString()).toBe('merged:1:thread=worker');
    } finally {
      await thread.close();
    }
  });

  it('runs on a thread only when told to: MERGE_THREAD is read by AppConfig, not here', () => {
    process.env['MERGE_THREAD'] = '1';
    try {
      expect(new PdfMergeThread({ module: fixture }).threaded).toBe(false);
      expect(new PdfMergeThread({ enabled: true, module: fixture }).threaded).toBe(true);
    } finally {
      delete process.env['MERGE_THREAD'];
    }
  });

  it('runs the real merger in process by default, and where no compiled module exists (TypeScript sources)', async () => {
    expect(new PdfMergeThread({ enabled: true }).threaded).toBe(false);
    expect(new PdfMergeThread({ enabled: false, module: fixture }).threaded).toBe(false);
    const thread = new PdfMergeThread();
    expect(thread.threaded).toBe(false);
    const page = async (width: number) => {
      const d = await PDFDocument.create();
      d.addPage([width, 200]);
      return Buffer.from(await d.save());
    };
    const { pdf, skipped } = await thread.mergePdf([await page(110), Buffer.from('%PDF-1.7 broken'), await page(120)]);
    expect(skipped.map((s) => s.index)).toEqual([1]);
    expect((await PDFDocument.load(pdf)).getPages().map((p) => p.getWidth())).toEqual([110, 120]);
    expect((await mergeInProcess([await page(130)])).skipped).toEqual([]);
  });
});
