import {
  decodePDFRawStream,
  parseContentStream,
  PDFArray,
  PDFContentStream,
  PDFDict,
  PDFName,
  PDFNumber,
  type PDFPageLeaf,
  PDFRawStream,
  PDFStream,
} from '@cantoo/pdf-lib';

/** [a b c d e f]: x' = a x + c y + e, y' = b x + d y + f (PDF's row-vector convention). */
export type Matrix = readonly [number, number, number, number, number, number];
export type Point = readonly [number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` then `n`: the matrix of `m × n`. */
export function concat(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const apply = (m: Matrix, x: number, y: number): Point => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** A filled area in page space: closed polygons (curves flattened), its fill rule and gray. */
export interface FillMark {
  kind: 'fill';
  subpaths: Point[][];
  evenOdd: boolean;
  /** 0 black .. 1 white. */
  gray: number;
}

/** An image XObject painted with `Do`: the unit square mapped by `ctm` into page space. */
export interface ImageMark {
  kind: 'image';
  stream: PDFStream;
  ctm: Matrix;
  /** Fill gray at the time (the colour of an ImageMask stencil). */
  gray: number;
}

export type PageMark = FillMark | ImageMark;

export interface PageGraphics {
  /** Filled areas and images, in painting order. */
  marks: PageMark[];
  /** Text-showing operators met (Tj, TJ, ', "), form XObjects included. */
  textShows: number;
}

interface GraphicsState {
  ctm: Matrix;
  fillGray: number;
  strokeGray: number;
  lineWidth: number;
}

/** The decoded bytes of a content stream (any filter pdf-lib knows). */
export function streamBytes(stream: PDFStream): Uint8Array {
  if (stream instanceof PDFRawStream) return decodePDFRawStream(stream).decode();
  if (stream instanceof PDFContentStream) return stream.getUnencodedContents();
  return stream.getContents();
}

const toNumbers = (args: unknown[]): number[] => args.filter((a): a is number => typeof a === 'number');

/** Luminance of a fill colour given as 1 (gray), 3 (RGB) or 4 (CMYK) components. */
function grayOf(c: number[]): number {
  if (c.length === 1) return c[0];
  if (c.length === 3) return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  if (c.length === 4) return (1 - c[3]) * (1 - (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]));
  return 0;
}

/** A straight stroke segment as a filled quadrilateral `width` wide (butt caps). */
function strokeQuad(p: Point, q: Point, width: number): Point[] {
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const len = Math.hypot(dx, dy) || 1;
  const nx = (-dy / len) * (width / 2);
  const ny = (dx / len) * (width / 2);
  return [
    [p[0] + nx, p[1] + ny],
    [q[0] + nx, q[1] + ny],
    [q[0] - nx, q[1] - ny],
    [p[0] - nx, p[1] - ny],
  ];
}

/**
 * Walks a page's content streams (and the form XObjects it paints) with the graphics state
 * (q/Q, cm, fill colour, line width) and returns, in painting order, every filled area and
 * every image painted, in page space. Text is not painted (no glyph outlines); stroked straight
 * segments become thin filled areas.
 */
export function pageGraphics(page: PDFPageLeaf): PageGraphics {
  page.normalize();
  const { Contents, Resources } = page.normalizedEntries();
  const graphics: PageGraphics = { marks: [], textShows: 0 };
  if (!Contents) return graphics;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < Contents.size(); i++) parts.push(streamBytes(Contents.lookup(i, PDFStream)), Uint8Array.of(10));
  const bytes = Buffer.concat(parts);
  walk(bytes, Resources, { ctm: IDENTITY, fillGray: 0, strokeGray: 0, lineWidth: 1 }, graphics, 0);
  return graphics;
}

function walk(bytes: Uint8Array, resources: PDFDict | undefined, start: GraphicsState, graphics: PageGraphics, depth: number): void {
  const marks = graphics.marks;
  let gs: GraphicsState = { ...start };
  const stack: GraphicsState[] = [];
  let path: Point[][] = [];
  let current: Point[] | null = null;
  let last: Point = [0, 0];
  let subpathStart: Point = [0, 0];
  const moveTo = (x: number, y: number) => {
    current = [apply(gs.ctm, x, y)];
    path.push(current);
    last = subpathStart = [x, y];
  };
  const lineTo = (x: number, y: number) => {
    if (!current) moveTo(last[0], last[1]);
    current?.push(apply(gs.ctm, x, y));
    last = [x, y];
  };
  const curveTo = (x1: number, y1: number, x2: number, y2: number, x3: number, y3: number) => {
    const [x0, y0] = last;
    for (let i = 1; i <= 8; i++) {
      const t = i / 8;
      const u = 1 - t;
      lineTo(u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3, u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3);
    }
  };
  const fill = (evenOdd: boolean) => {
    const subpaths = path.filter((s) => s.length >= 3);
    if (subpaths.length > 0) marks.push({ kind: 'fill', subpaths, evenOdd, gray: gs.fillGray });
  };
  const stroke = (closed: boolean) => {
    // Transformed stroke width: the CTM's mean scale.
    const scale = Math.sqrt(Math.abs(gs.ctm[0] * gs.ctm[3] - gs.ctm[1] * gs.ctm[2])) || 1;
    const quads: Point[][] = [];
    for (const sp of path) {
      const pts = closed && sp.length > 2 ? [...sp, sp[0]] : sp;
      for (let i = 1; i < pts.length; i++) quads.push(strokeQuad(pts[i - 1], pts[i], Math.max(gs.lineWidth, 0.1) * scale));
    }
    if (quads.length > 0) marks.push({ kind: 'fill', subpaths: quads, evenOdd: false, gray: gs.strokeGray });
  };
  const endPath = () => {
    path = [];
    current = null;
  };

  for (const { name, args } of parseContentStream(bytes)) {
    const n = toNumbers(args);
    switch (name) {
      case 'q':
        stack.push(gs);
        gs = { ...gs };
        break;
      case 'Q':
        gs = stack.pop() ?? gs;
        break;
      case 'cm':
        if (n.length === 6) gs.ctm = concat(n as unknown as Matrix, gs.ctm);
        break;
      case 'w':
        gs.lineWidth = n[0] ?? 1;
        break;
      case 'g':
      case 'rg':
      case 'k':
      case 'sc':
      case 'scn':
        gs.fillGray = grayOf(n);
        break;
      case 'G':
      case 'RG':
      case 'K':
      case 'SC':
      case 'SCN':
        gs.strokeGray = grayOf(n);
        break;
      case 'cs':
        gs.fillGray = 0;
        break;
      case 'CS':
        gs.strokeGray = 0;
        break;
      case 'm':
        moveTo(n[0], n[1]);
        break;
      case 'l':
        lineTo(n[0], n[1]);
        break;
      case 'c':
        curveTo(n[0], n[1], n[2], n[3], n[4], n[5]);
        break;
      case 'v':
        curveTo(last[0], last[1], n[0], n[1], n[2], n[3]);
        break;
      case 'y':
        curveTo(n[0], n[1], n[2], n[3], n[2], n[3]);
        break;
      case 'h':
        // Polygons are closed implicitly; the current point goes back to the subpath's start.
        last = subpathStart;
        current = null;
        break;
      case 're': {
        const [x, y, w, h] = n;
        moveTo(x, y);
        lineTo(x + w, y);
        lineTo(x + w, y + h);
        lineTo(x, y + h);
        current = null;
        last = [x, y];
        break;
      }
      case 'f':
      case 'F':
        fill(false);
        endPath();
        break;
      case 'f*':
        fill(true);
        endPath();
        break;
      case 'B':
      case 'b':
        fill(false);
        stroke(name === 'b');
        endPath();
        break;
      case 'B*':
      case 'b*':
        fill(true);
        stroke(name === 'b*');
        endPath();
        break;
      case 'S':
      case 's':
        stroke(name === 's');
        endPath();
        break;
      case 'n':
        endPath();
        break;
      case 'Tj':
      case 'TJ':
      case "'":
      case '"':
        graphics.textShows++;
        break;
      case 'Do': {
        const xname = args[0] as { type?: string; value?: string } | undefined;
        if (xname?.type !== 'name' || !xname.value || depth > 8) break;
        const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
        const xobject = xobjects?.lookupMaybe(PDFName.of(xname.value), PDFStream);
        if (!xobject) break;
        const subtype = xobject.dict.lookupMaybe(PDFName.of('Subtype'), PDFName)?.asString();
        if (subtype === '/Image') {
          marks.push({ kind: 'image', stream: xobject, ctm: gs.ctm, gray: gs.fillGray });
        } else if (subtype === '/Form') {
          const matrix = xobject.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray);
          const m = matrix ? (matrix.asArray().map((o) => (o instanceof PDFNumber ? o.asNumber() : 0)) as unknown as Matrix) : IDENTITY;
          const formResources = xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? resources;
          walk(streamBytes(xobject), formResources, { ...gs, ctm: concat(m, gs.ctm) }, graphics, depth + 1);
        }
        break;
      }
    }
  }
}
