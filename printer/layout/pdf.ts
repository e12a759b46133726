// What every printed page shares: an A4 pdfkit document, the Japanese font embedded as a subset, text set line by
// line, and a guard against a layout running onto pages it did not plan.
//
// pdfkit writes the file (objects, pages, graphics operators); the text is set here rather than with pdfkit's text():
// the layouts break lines themselves (they must know every line's height before drawing, to fit and paginate a
// record), so each call draws one measured line. The font is embedded by DocumentFont: the glyphs used, in the order
// first used, as a TrueType subset (see truetype-subset.ts) with widths and a ToUnicode map, so the text extracts.
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { loadFont, type FontFace } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { glyphPrefix, trueTypeSubset, type GlyphPrefix } from './truetype-subset.ts';

export type Pdf = PDFKit.PDFDocument;

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export const PRODUCER = 'konbini-kiosk simulator';
/** The font's resource name on every page. */
const FONT_RESOURCE = 'FM';

export interface PdfMeta {
  title: string;
  /** ISO time; becomes CreationDate, so the same input always gives the same bytes. */
  createdAt: Date;
  /**
   * The layout's fixed texts (headings, labels, notes): their glyphs start every subset the layout makes, compressed
   * once per process (see truetype-subset.ts). Only a speed-up: any text can be drawn either way.
   */
  fixedTexts?: readonly string[];
  /** The page's width and height in points (default A4). */
  size?: [number, number];
}

/** A layout's glyph prefix and what each of its glyphs stands for, made once per process. */
interface FontTemplate {
  prefix: GlyphPrefix;
  unicode: string[];
}
const templates = new WeakMap<FontFace, Map<string, FontTemplate>>();

function fontTemplate(face: FontFace, texts: readonly string[]): FontTemplate {
  let cache = templates.get(face);
  if (!cache) templates.set(face, (cache = new Map()));
  const key = texts.join('\u0000');
  let t = cache.get(key);
  if (!t) {
    const chars = new Map<number, string>();
    for (const text of texts) {
      const run = face.run(text);
      run.glyphs.forEach((g, i) => chars.has(g) || chars.set(g, run.chars[i]));
    }
    const prefix = glyphPrefix(face, [...chars.keys()]);
    // Components of composite glyphs are in the prefix too, standing for no character of their own.
    t = { prefix, unicode: prefix.glyphs.map((g) => (g === 0 ? '' : (chars.get(g) ?? ''))) };
    cache.set(key, t);
  }
  return t;
}

/** A PDF object as pdfkit keeps it until it is written. */
export interface PdfRef {
  data: Record<string, unknown>;
  write(chunk: string | Uint8Array): void;
  end(chunk?: string | Uint8Array): void;
}

/** The parts of pdfkit's document below its public API that the layouts use (pdfkit 0.20). */
interface PdfInternals {
  ref(data?: unknown): PdfRef;
  page: {
    fonts: Record<string, PdfRef>;
    xobjects: Record<string, PdfRef>;
    ext_gstates: Record<string, PdfRef>;
    height: number;
    write(chunk: Uint8Array): void;
  };
}

export type Align = 'left' | 'center' | 'right';

export interface TextOptions {
  /** Box width for alignment (default: the text's own width, i.e. left at x). */
  width?: number;
  align?: Align;
  /** Extra space after each character, in points. */
  spacing?: number;
  /** Fill colour as r, g, b in 0..1 (default: the ink colour). */
  color?: Rgb;
}

export const INK_RGB: Rgb = [0.067, 0.067, 0.067];

/** Number as written into a content stream: at most 3 decimals, no exponent. */
export const num = (n: number): string => {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
};

/** The glyphs one document uses, and the font objects that describe them. */
class DocumentFont {
  readonly ref: PdfRef;
  private readonly cids: Map<number, number>;
  private readonly glyphs: number[];
  private readonly unicode: string[];
  private readonly prefix: GlyphPrefix;

  constructor(
    private readonly doc: PdfInternals,
    private readonly face: FontFace,
    fixedTexts: readonly string[],
  ) {
    this.ref = doc.ref({ Type: 'Font', Subtype: 'Type0' });
    const template = fontTemplate(face, fixedTexts);
    this.prefix = template.prefix;
    this.glyphs = [...template.prefix.glyphs];
    this.unicode = [...template.unicode];
    this.cids = new Map(this.glyphs.map((g, i) => [g, i]));
  }

  /** The text as a hex string of glyph indices in this document's subset. */
  encode(text: string): string {
    const run = this.face.run(text);
    let hex = '';
    for (let i = 0; i < run.glyphs.length; i++) {
      const g = run.glyphs[i];
      let cid = this.cids.get(g);
      if (cid === undefined) {
        cid = this.glyphs.length;
        this.cids.set(g, cid);
        this.glyphs.push(g);
        this.unicode.push(run.chars[i]);
      } else if (!this.unicode[cid]) {
        this.unicode[cid] = run.chars[i];
      }
      hex += (cid < 0x1000 ? (cid < 0x100 ? (cid < 0x10 ? '000' : '00') : '0') : '') + cid.toString(16);
    }
    return hex;
  }

  /** Write the font: program, descriptor, CID font with widths, and the ToUnicode map. */
  finish(): void {
    const face = this.face;
    const program = trueTypeSubset(face, this.glyphs, this.prefix);
    const scale = 1000 / face.unitsPerEm;
    // The subset tag is derived from the glyphs, so the same document always gives the same bytes.
    const digest = createHash('sha1').update(Uint16Array.from(this.glyphs)).digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
    const name = `${tag}+${face.postscriptName.replaceAll(' ', '_')}`;

    const file = this.doc.ref({ Length1: program.length, Filter: 'FlateDecode' });
    file.end(program.data); // the Filter already set keeps pdfkit from compressing it again
    const descriptor = this.doc.ref({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: face.flags,
      FontBBox: [face.bbox.minX, face.bbox.minY, face.bbox.maxX, face.bbox.maxY].map((v) => Math.round(v * scale)),
      ItalicAngle: face.italicAngle,
      Ascent: Math.round(face.ascent * scale),
      Descent: Math.round(face.descent * scale),
      CapHeight: Math.round(face.capHeight * scale),
      XHeight: Math.round(face.xHeight * scale),
      StemV: 0,
      FontFile2: file,
    });
    descriptor.end();
    const widths = this.glyphs.map((g) => Math.round(face.advance(g) * scale * 100) / 100);
    const cidFont = this.doc.ref({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: name,
      CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      W: [0, widths],
      CIDToGIDMap: 'Identity',
    });
    cidFont.end();
    this.ref.data.BaseFont = name;
    this.ref.data.Encoding = 'Identity-H';
    this.ref.data.DescendantFonts = [cidFont];
    this.ref.data.ToUnicode = this.toUnicode();
    this.ref.end();
  }

  private toUnicode(): PdfRef {
    const utf16 = (s: string) =>
      Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');
    const hex4 = (n: number) => n.toString(16).padStart(4, '0');
    // Runs of consecutive glyphs that stand for characters (glyph 0 and bare components stand for none).
    const ranges: string[] = [];
    for (let start = 0; start < this.unicode.length; ) {
      if (!this.unicode[start]) {
        start++;
        continue;
      }
      let end = start;
      while (end + 1 < this.unicode.length && this.unicode[end + 1] && end + 1 - start < 100) end++;
      const entries = this.unicode.slice(start, end + 1).map((s) => `<${utf16(s)}>`);
      ranges.push(`<${hex4(start)}> <${hex4(end)}> [${entries.join(' ')}]`);
      start = end + 1;
    }
    const cmap = this.doc.ref();
    cmap.end(
      [
        '/CIDInit /ProcSet findresource begin',
        '12 dict begin',
        'begincmap',
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
        '/CMapName /Adobe-Identity-UCS def',
        '/CMapType 2 def',
        '1 begincodespacerange',
        '<0000> <ffff>',
        'endcodespacerange',
        ...(ranges.length ? [`${ranges.length} beginbfrange`, ...ranges, 'endbfrange'] : []),
        'endcmap',
        'CMapName currentdict /CMap defineresource pop',
        'end',
        'end',
      ].join('\n'),
    );
    return cmap;
  }
}

export type Rgb = readonly [number, number, number];

/** '#rrggbb' as r, g, b in 0..1. */
export function rgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) / 255, ((n >> 8) & 0xff) / 255, (n & 0xff) / 255];
}
const rgbOps = (c: Rgb) => `${num(c[0])} ${num(c[1])} ${num(c[2])}`;

/**
 * One document being drawn: pdfkit for the file, the page objects and their resources; the page content is
 * collected here as operators and written once per page. Coordinates are pdfkit's: points from the top-left corner,
 * y downwards (pdfkit starts every page with that transformation).
 */
export class Canvas {
  readonly doc: Pdf;
  readonly face: FontFace;
  private readonly internals: PdfInternals;
  private readonly font: DocumentFont;
  private pageCount = 1;
  private readonly ended: Promise<Buffer>;
  private ops: string[] = [];
  private readonly gstates = new Map<string, PdfRef>();

  constructor(meta: PdfMeta) {
    this.face = loadFont().face;
    this.doc = new PDFDocument({
      size: meta.size ?? 'A4',
      // Zero margins: every element is placed explicitly.
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      lang: 'ja',
      displayTitle: true,
      // No default font: pdfkit would load Helvetica's metrics for every document. All text is set by text() below.
      font: null as unknown as string,
      info: { Title: meta.title, Producer: PRODUCER, Creator: PRODUCER, CreationDate: meta.createdAt },
    });
    this.internals = this.doc as unknown as PdfInternals;
    this.font = new DocumentFont(this.internals, this.face, meta.fixedTexts ?? []);
    this.doc.on('pageAdded', () => this.pageCount++);
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    this.ended = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
  }

  get pages(): number {
    return this.pageCount;
  }

  addPage(): void {
    this.flush();
    this.doc.addPage();
  }

  /** Append raw content-stream operators to the current page. */
  raw(ops: string): void {
    this.ops.push(ops);
  }

  private flush(): void {
    if (!this.ops.length) return;
    this.internals.page.write(Buffer.from(this.ops.join('\n') + '\n', 'latin1'));
    this.ops = [];
  }

  /** A new PDF object (for XObjects, patterns...). */
  ref(data?: unknown): PdfRef {
    return this.internals.ref(data);
  }

  /** A stream object written as is (already compressed, or not worth compressing). */
  stream(data: Record<string, unknown>, bytes: Uint8Array, compressed: boolean): PdfRef {
    const ref = this.internals.ref(compressed ? { ...data, Filter: 'FlateDecode' } : data) as PdfRef & { compress: boolean };
    ref.compress = false;
    ref.end(bytes);
    return ref;
  }

  /** Make an XObject drawable on the current page as /name. */
  useXObject(name: string, ref: PdfRef): void {
    this.internals.page.xobjects[name] = ref;
  }

  /** Set fill and stroke opacity (0..1) until the enclosing Q. */
  opacity(fill: number, stroke: number): void {
    const name = `Ga${Math.round(fill * 100)}s${Math.round(stroke * 100)}`;
    let ref = this.gstates.get(name);
    if (!ref) {
      ref = this.internals.ref({ Type: 'ExtGState', ca: fill, CA: stroke });
      ref.end();
      this.gstates.set(name, ref);
    }
    this.internals.page.ext_gstates[name] = ref;
    this.raw(`/${name} gs`);
  }

  /** A straight line. */
  line(x1: number, y1: number, x2: number, y2: number, width: number, color: Rgb): void {
    this.raw(`${rgbOps(color)} RG ${num(width)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  strokeRect(x: number, y: number, w: number, h: number, width: number, color: Rgb): void {
    this.raw(`${rgbOps(color)} RG ${num(width)} w ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S`);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.raw(`${rgbOps(color)} rg ${num(x)} ${num(y)} ${num(w)} ${num(h)} re f`);
  }

  /** Height of one line of text at `size` (ascent to descent). */
  lineHeight(size: number): number {
    return ((this.face.ascent - this.face.descent) * size) / this.face.unitsPerEm;
  }

  widthOf(text: string, size: number, spacing = 0): number {
    return this.face.widthOf(text, size, spacing);
  }

  /**
   * Draw one line of text with the top of its line box at y. Returns the drawn width. The text is never wrapped:
   * lines come from wrap().
   */
  text(text: string, x: number, y: number, size: number, options: TextOptions = {}): number {
    if (!text) return 0;
    const spacing = options.spacing ?? 0;
    const width = this.face.widthOf(text, size, spacing);
    if (options.width !== undefined && options.align === 'right') x += options.width - width;
    else if (options.width !== undefined && options.align === 'center') x += (options.width - width) / 2;
    const baseline = y + (this.face.ascent * size) / this.face.unitsPerEm;
    const page = this.internals.page;
    if (!page.fonts[FONT_RESOURCE]) page.fonts[FONT_RESOURCE] = this.font.ref;
    // The page is y-down (pdfkit's flip); a text matrix flipped back sets the glyphs upright.
    this.ops.push(
      `${rgbOps(options.color ?? INK_RGB)} rg BT /${FONT_RESOURCE} ${num(size)} Tf 1 0 0 -1 ${num(x)} ${num(baseline)} Tm` +
        (spacing ? ` ${num(spacing)} Tc <${this.font.encode(text)}> Tj 0 Tc ET` : ` <${this.font.encode(text)}> Tj ET`),
    );
    return width;
  }

  /** Break text into lines no wider than `width` (see wrapText). */
  wrap(text: string, width: number, size: number, spacing = 0): string[] {
    return wrapText(this.face, text, width, size, spacing);
  }

  /** Draw wrapped text from y; returns the height used. */
  paragraph(text: string, x: number, y: number, width: number, size: number, options: { lineGap?: number; align?: Align; color?: Rgb } = {}): number {
    const lines = this.wrap(text, width, size);
    const step = this.lineHeight(size) + (options.lineGap ?? 0);
    lines.forEach((line, i) => this.text(line, x, y + i * step, size, { width, align: options.align, color: options.color }));
    return lines.length * step;
  }

  /** End the document; a page count other than the planned one is a layout bug. */
  async finish(expectedPages: number): Promise<Buffer> {
    this.flush();
    this.font.finish();
    this.doc.end();
    const pdf = await this.ended;
    if (this.pageCount !== expectedPages) {
      throw new DocumentLayoutError(
        `The layout produced ${this.pageCount} pages instead of ${expectedPages}: some text ran off the page. ` +
          `This is a layout bug; report it with the document's data.`,
      );
    }
    return pdf;
  }
}

/** A new A4 document (first page already added) using the shared Mincho font. */
export function createPdf(meta: PdfMeta): Canvas {
  return new Canvas(meta);
}

// ---- line breaking ----

// 行頭禁則: characters that may not begin a line; 行末禁則: characters that may not end one.
const NO_LINE_START = new Set([...'、。，．,.・：；？！!?）」』】〕〉》｝］)]}ゝゞー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％%']);
const NO_LINE_END = new Set([...'（「『【〔〈《｛［([{']);
const isWide = (ch: string) => {
  const cp = ch.codePointAt(0)!;
  return cp >= 0x2e80 || (cp >= 0x3000 && cp <= 0x30ff);
};

/**
 * Break text into lines no wider than `width` at `size`. Japanese breaks between any two characters except around
 * the kinsoku characters; runs of Latin letters and digits (names, numbers, codes) break at spaces only, unless a run
 * is wider than the line on its own. "\n" always breaks.
 */
export function wrapText(face: FontFace, text: string, width: number, size: number, spacing = 0): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    if (face.widthOf(para, size, spacing) <= width) {
      out.push(para);
      continue;
    }
    // Units that are never split: a wide character (with the kinsoku neighbours glued on) or a word.
    const chars = [...para];
    const units: string[] = [];
    for (let i = 0; i < chars.length; i++) {
      let ch = chars[i];
      const next = chars[i + 1]?.codePointAt(0);
      if (next !== undefined && ((next >= 0xfe00 && next <= 0xfe0f) || (next >= 0xe0100 && next <= 0xe01ef))) ch += chars[++i];
      const prev = units.at(-1);
      if (ch === ' ' || ch === '\u3000') units.push(ch);
      else if (prev !== undefined && (NO_LINE_START.has(ch) || NO_LINE_END.has([...prev].at(-1)!))) units[units.length - 1] += ch;
      else if (prev !== undefined && !isWide(ch) && prev !== ' ' && prev !== '\u3000' && !isWide([...prev].at(-1)!)) units[units.length - 1] += ch;
      else units.push(ch);
    }
    let line = '';
    for (const unit of units) {
      const candidate = line + unit;
      if (!line || face.widthOf(candidate, size, spacing) <= width) {
        line = candidate;
        continue;
      }
      out.push(line.trimEnd());
      line = unit === ' ' || unit === '\u3000' ? '' : unit;
      // A unit wider than a whole line (a long code, an address without spaces) is cut where it must be.
      while (face.widthOf(line, size, spacing) > width && [...line].length > 1) {
        const cs = [...line];
        let n = cs.length - 1;
        while (n > 1 && face.widthOf(cs.slice(0, n).join(''), size, spacing) > width) n--;
        out.push(cs.slice(0, n).join(''));
        line = cs.slice(n).join('');
      }
    }
    if (line) out.push(line.trimEnd());
  }
  return out;
}

// ---- outlines ----

/** An affine map from glyph design units (y up) to content coordinates (y down). */
export interface OutlinePlacement {
  /** Position of the glyph origin (left end of the baseline). */
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
}

/**
 * Path operators (m, l, c, h) for the outline of `text` as the font draws it, unpainted: the caller adds f, B or W n.
 * Used for the seals and the hidden 「複写」, which are drawings rather than text: they must not show up in text
 * extraction and must scale freely.
 */
export function outlineOps(face: FontFace, text: string, at: OutlinePlacement): string {
  const run = face.run(text);
  const ops: string[] = [];
  let penX = 0;
  run.glyphs.forEach((glyph, i) => {
    const px = (gx: number) => num(at.x + (penX + gx) * at.scaleX);
    const py = (gy: number) => num(at.y - gy * at.scaleY);
    let cx = 0;
    let cy = 0;
    for (const cmd of face.outline(glyph).commands) {
      if (cmd.command === 'moveTo') ops.push(`${px(cmd.args[0])} ${py(cmd.args[1])} m`);
      else if (cmd.command === 'lineTo') ops.push(`${px(cmd.args[0])} ${py(cmd.args[1])} l`);
      else if (cmd.command === 'quadraticCurveTo') {
        // A quadratic Bézier as the cubic PDF paths need: control points 2/3 of the way to the quadratic one.
        const [qx, qy, x, y] = cmd.args;
        const c1x = cx + (2 / 3) * (qx - cx);
        const c1y = cy + (2 / 3) * (qy - cy);
        const c2x = x + (2 / 3) * (qx - x);
        const c2y = y + (2 / 3) * (qy - y);
        ops.push(`${px(c1x)} ${py(c1y)} ${px(c2x)} ${py(c2y)} ${px(x)} ${py(y)} c`);
      } else ops.push('h');
      if (cmd.command !== 'closePath') [cx, cy] = cmd.args.slice(-2);
    }
    penX += run.advances[i];
  });
  return ops.join('\n');
}

/** Count the pages of a pdfkit-made PDF (its page objects are not compressed). */
export function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
}
