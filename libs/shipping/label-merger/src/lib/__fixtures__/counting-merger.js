// A stand-in for the compiled PdfStreamWriter, to test PdfMergeThread's plumbing under jest
// (which runs TypeScript sources a worker thread cannot load). "Merges" by listing sizes:
// the header is "merged:", each label adds "<size>,", the end ":thread=<which thread>".
class PdfStreamWriter {
  static async create() {
    return new PdfStreamWriter();
  }
  header() {
    return Buffer.from('merged:');
  }
  async add(content) {
    if (content.toString('latin1').startsWith('BROKEN')) throw new Error('cannot parse');
    if (content.toString('latin1').startsWith('CRASH')) process.exit(3);
    return Buffer.from(`${content.length},`);
  }
  finish() {
    return Buffer.from(`:thread=${require('node:worker_threads').isMainThread ? 'main' : 'worker'}`);
  }
}
module.exports = { PdfStreamWriter };
