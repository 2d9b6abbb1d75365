// A stand-in for the compiled PdfLabelMerger, to test PdfMergeThread's plumbing under jest
// (which runs TypeScript sources a worker thread cannot load). "Merges" by listing sizes.
class PdfLabelMerger {
  constructor() {
    this.sizes = [];
  }
  static async create() {
    return new PdfLabelMerger();
  }
  async add(content) {
    if (content.toString('latin1').startsWith('BROKEN')) throw new Error('cannot parse');
    if (content.toString('latin1').startsWith('CRASH')) process.exit(3);
    this.sizes.push(content.length);
  }
  async save() {
    return Buffer.from(`merged:${this.sizes.join(',')}:thread=${require('node:worker_threads').isMainThread ? 'main' : 'worker'}`);
  }
}
module.exports = { PdfLabelMerger };
