export * from './lib/label-merger.module';
export * from './lib/merge-pdf.stream';
export * from './lib/pdf-stream.writer';
export * from './lib/pdf-merge.thread';
