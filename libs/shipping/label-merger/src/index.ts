export * from './lib/label-merger.module';
export * from './lib/pdf-label.merger';
export * from './lib/pdf-merge.thread';
