import { fileFormatOf, labelFormatOf } from './label-format';
import { type CountBucket, pageCount, pageWindow, readPlan, seekBucket } from './label-listing';

/** The seed's rule, computed the slow way: sort, take the part sort_dir selects, list oldest first. */
function reference(total: number, page: number, size: number, dir: 'asc' | 'desc'): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  const ordered = dir === 'asc' ? all : [...all].reverse();
  return ordered.slice((page - 1) * size, page * size).sort((a, b) => a - b);
}

function read(total: number, page: number, size: number, dir: 'asc' | 'desc'): number[] {
  const w = pageWindow(total, page, size, dir);
  if (w.limit === 0) return [];
  const p = readPlan(total, w);
  const all = Array.from({ length: total }, (_, i) => i);
  const rows = p.fromEnd ? [...all].reverse().slice(p.offset, p.offset + p.limit).reverse() : all.slice(p.offset, p.offset + p.limit);
  return rows;
}

describe('label listing windows (seed: sort_dir picks the part, the page is oldest to newest)', () => {
  it('desc page 1 of size 5 is the five newest, oldest first', () => {
    expect(read(12, 1, 5, 'desc')).toEqual([7, 8, 9, 10, 11]);
    expect(read(12, 2, 5, 'desc')).toEqual([2, 3, 4, 5, 6]);
    expect(read(12, 3, 5, 'desc')).toEqual([0, 1]);
    expect(read(12, 4, 5, 'desc')).toEqual([]);
  });

  it('asc page 1 of size 5 is the five oldest, oldest first', () => {
    expect(read(12, 1, 5, 'asc')).toEqual([0, 1, 2, 3, 4]);
    expect(read(12, 3, 5, 'asc')).toEqual([10, 11]);
  });

  it('agrees with the slow reference for every page, size and direction', () => {
    for (const total of [0, 1, 2, 7, 25, 26, 101]) {
      for (const size of [1, 3, 25, 500]) {
        for (const dir of ['asc', 'desc'] as const) {
          for (let page = 1; page <= pageCount(total, size) + 2; page++) {
            expect({ total, size, dir, page, rows: read(total, page, size, dir) }).toEqual({
              total,
              size,
              dir,
              page,
              rows: reference(total, page, size, dir),
            });
          }
        }
      }
    }
  });

  it('reads from the nearer end', () => {
    expect(readPlan(1000, pageWindow(1000, 1, 25, 'desc'))).toEqual({ fromEnd: true, offset: 0, limit: 25 });
    expect(readPlan(1000, pageWindow(1000, 40, 25, 'desc'))).toEqual({ fromEnd: false, offset: 0, limit: 25 });
    expect(readPlan(1000, pageWindow(1000, 1, 25, 'asc'))).toEqual({ fromEnd: false, offset: 0, limit: 25 });
    expect(readPlan(1000, pageWindow(1000, 40, 25, 'asc'))).toEqual({ fromEnd: true, offset: 0, limit: 25 });
  });

  it('seeks into day buckets so that deep offsets stay short', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    const buckets: CountBucket[] = [1, 2, 3, 4].map((d) => ({ start: day(d), end: day(d + 1), count: 100 }));
    expect(seekBucket(buckets, { fromEnd: false, offset: 250, limit: 25 }, 50)).toEqual({ bound: day(3), offset: 50 });
    expect(seekBucket(buckets, { fromEnd: true, offset: 250, limit: 25 }, 50)).toEqual({ bound: day(3), offset: 50 });
    expect(seekBucket(buckets, { fromEnd: false, offset: 10, limit: 25 }, 50)).toBeNull();
    expect(seekBucket(buckets, { fromEnd: false, offset: 400, limit: 25 }, 50)).toBeNull();
  });
});

describe('label formats', () => {
  it('derives format and layout from the file type', () => {
    expect(labelFormatOf('PDF_4x6')).toEqual({ format: 'pdf', layout: '4x6' });
    expect(labelFormatOf('ZPLII')).toEqual({ format: 'zpl', layout: '4x6' });
    expect(labelFormatOf('PNG')).toEqual({ format: 'png', layout: '4x6' });
    expect(labelFormatOf('PDF')).toEqual({ format: 'pdf', layout: 'letter' });
    expect(labelFormatOf('PDF_A4')).toEqual({ format: 'pdf', layout: 'A4' });
  });
  it('reads a file format from a key', () => {
    expect(fileFormatOf('labels/t/x.pdf')).toBe('pdf');
    expect(fileFormatOf('labels/t/x.ZPL')).toBe('zpl');
    expect(fileFormatOf('labels/t/x')).toBeNull();
  });
});
