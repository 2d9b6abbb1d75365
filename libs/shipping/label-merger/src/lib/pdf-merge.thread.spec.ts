import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { SkippedLabelDocument } from '@shipbatch/shipping/application';
import { PdfMergeThread } from './pdf-merge.thread';

const fixture = join(__dirname, '__fixtures__', 'counting-merger.js');

async function* lazily(docs: Buffer[]): AsyncGenerator<Buffer> {
  for (const doc of docs) yield doc;
}

/** Runs a merge to its end: the file and what was left out. */
async function run(merger: PdfMergeThread, docs: AsyncIterable<Buffer>): Promise<{ pdf: Buffer; skipped: SkippedLabelDocument[] }> {
  const skipped: SkippedLabelDocument[] = [];
  const chunks: Buffer[] = [];
  for await (const chunk of merger.mergePdf(docs, (s) => skipped.push(s))) chunks.push(chunk);
  return { pdf: Buffer.concat(chunks), skipped };
}

describe('PdfMergeThread', () => {
  it('streams merges through a worker thread, several at once, reporting the documents it left out', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: fixture });
    try {
      expect(thread.threaded).toBe(true);
      const results = await Promise.all([
        run(thread, lazily([Buffer.from('aa'), Buffer.from('BROKEN'), Buffer.from('ccc')])),
        run(thread, lazily([Buffer.from('dddd')])),
      ]);
      expect(results[0].pdf.toString()).toBe('merged:2,3,:thread=worker');
      expect(results[0].skipped).toEqual([{ index: 1, reason: 'Error: cannot parse' }]);
      expect(results[1].pdf.toString()).toBe('merged:4,:thread=worker');
    } finally {
      await thread.close();
    }
  });

  it('ends a threaded merge with the source error when reading fails, and goes on merging', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: fixture });
    try {
      async function* failing(): AsyncGenerator<Buffer> {
        yield Buffer.from('a');
        throw new Error('storage failed');
      }
      await expect(run(thread, failing())).rejects.toThrow('storage failed');
      expect((await run(thread, lazily([Buffer.from('bb')]))).pdf.toString()).toBe('merged:2,:thread=worker');
    } finally {
      await thread.close();
    }
  });

  it('fails a merge whose thread dies midway (nothing half-written is passed on), and starts a new thread for the next', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: fixture });
    try {
      await expect(run(thread, lazily([Buffer.from('a'), Buffer.from('CRASH')]))).rejects.toThrow('merge thread exited with 3');
      expect((await run(thread, lazily([Buffer.from('e')]))).pdf.toString()).toBe('merged:1,:thread=worker');
    } finally {
      await thread.close();
    }
  });

  it('merges in process when the thread cannot start a merge', async () => {
    const thread = new PdfMergeThread({ enabled: true, module: join(__dirname, '__fixtures__', 'missing-module.js') });
    try {
      const page = await PDFDocument.create();
      page.addPage([140, 200]);
      const { pdf } = await run(thread, lazily([Buffer.from(await page.save())]));
      expect((await PDFDocument.load(pdf)).getPages().map((p) => p.getWidth())).toEqual([140]);
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
    const { pdf, skipped } = await run(thread, lazily([await page(110), Buffer.from('%PDF-1.7 broken'), await page(120)]));
    expect(skipped.map((s) => s.index)).toEqual([1]);
    expect((await PDFDocument.load(pdf)).getPages().map((p) => p.getWidth())).toEqual([110, 120]);
  });
});
