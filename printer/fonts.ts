// The Japanese font: IPAmj明朝 (the government's MJ glyph set) unless KIOSK_FONT says otherwise.
//
// The file is 46 MB, almost all of it glyph outlines (glyf), of which a certificate uses a few hundred. So the font is
// opened once per process and read sparsely: the table directory and every table but glyf are read at once (about
// 1.6 MB), and a glyph's outline bytes are read from the file the first time a document needs them. FontFace reads
// what the printer needs straight from the tables and caches it for the whole process: the character map (with
// ideographic variation sequences), metrics, glyph bytes for the subsets and outlines for the drawn seals and tint.
// fontkit checks that the file is a font and names it; pdfkit's own text and font code is not used (see layout/pdf.ts).
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { FontMissingError, MissingGlyphError } from './errors.ts';

export { FontMissingError, MissingGlyphError };

export const DEFAULT_FONT_PATH = '/usr/share/fonts/truetype/ipamj/ipamjm.ttf';

export interface LoadedFont {
  path: string;
  /** The fontkit font, parsed from the same sparse buffer (names, tables); the layouts use `face`. */
  font: fontkit.Font;
  /** Metrics, text runs and glyph bytes for the layouts, cached per process. */
  face: FontFace;
  /** How long opening and parsing the file took, in milliseconds. */
  loadMs: number;
}

const loaded = new Map<string, LoadedFont>();

/** The font file to use: KIOSK_FONT, else IPAmj明朝 from fonts-ipamj-mincho. */
export function fontPath(): string {
  return process.env.KIOSK_FONT || DEFAULT_FONT_PATH;
}

/** The parsed font, loaded on first use and then shared (keyed by path, so changing KIOSK_FONT takes effect). */
export function loadFont(): LoadedFont {
  const path = fontPath();
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path) || !statSync(path).isFile()) throw new FontMissingError(path, 'file not found');
  const started = performance.now();
  const file = SparseFontFile.open(path);
  let parsed: fontkit.Font | fontkit.FontCollection;
  try {
    parsed = fontkit.create(file.buffer);
  } catch (e) {
    file.close();
    throw new FontMissingError(path, `file is not a readable font (${(e as Error).message})`);
  }
  if (!('layout' in parsed)) throw new FontMissingError(path, 'file is a font collection, not a single font');
  const entry: LoadedFont = { path, font: parsed, face: new FontFace(parsed, file), loadMs: 0 };
  entry.loadMs = performance.now() - started;
  loaded.set(path, entry);
  return entry;
}

// ---- the font file, read sparsely ----

interface TableEntry {
  offset: number;
  length: number;
}

/** A TrueType file in a buffer of its full size in which only the tables the layouts need have been read. */
class SparseFontFile {
  private constructor(
    readonly path: string,
    private fd: number | null,
    readonly buffer: Buffer,
    readonly tables: Map<string, TableEntry>,
  ) {}

  static open(path: string): SparseFontFile {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(12);
      if (size < 12 || readSync(fd, head, 0, 12, 0) !== 12) throw new FontMissingError(path, 'file is not a readable font (too short)');
      const tag = head.toString('latin1', 0, 4);
      if (tag === 'ttcf') throw new FontMissingError(path, 'file is a font collection, not a single font');
      if (tag === 'OTTO') {
        throw new FontMissingError(
          path,
          'file is an OpenType font with CFF outlines; the printer embeds TrueType (glyf) outlines, so use a .ttf font such as IPAmj明朝',
        );
      }
      if (head.readUInt32BE(0) !== 0x00010000 && tag !== 'true') {
        throw new FontMissingError(path, 'file is not a readable font (no TrueType signature)');
      }
      const numTables = head.readUInt16BE(4);
      // Zero-filled: a glyph that was never read is an empty outline, not garbage. The pages stay unmapped until read.
      const buffer = Buffer.alloc(size);
      const dirLength = 12 + 16 * numTables;
      if (readSync(fd, buffer, 0, dirLength, 0) !== dirLength) throw new FontMissingError(path, 'file is not a readable font (truncated)');
      const tables = new Map<string, TableEntry>();
      for (let i = 0; i < numTables; i++) {
        const at = 12 + 16 * i;
        const entry = { offset: buffer.readUInt32BE(at + 8), length: buffer.readUInt32BE(at + 12) };
        if (entry.offset + entry.length > size) throw new FontMissingError(path, 'file is not a readable font (a table lies past its end)');
        tables.set(buffer.toString('latin1', at, at + 4), entry);
      }
      for (const required of ['head', 'hhea', 'hmtx', 'maxp', 'loca', 'glyf', 'cmap']) {
        if (!tables.has(required)) throw new FontMissingError(path, `file is not a usable TrueType font (no ${required} table)`);
      }
      for (const [name, t] of tables) {
        if (name !== 'glyf') readFully(fd, buffer, t.offset, t.length);
      }
      return new SparseFontFile(path, fd, buffer, tables);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Read bytes of the file into their place in the buffer. */
  read(offset: number, length: number): void {
    if (length <= 0) return;
    if (this.fd === null) this.fd = openSync(this.path, 'r');
    readFully(this.fd, this.buffer, offset, length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function readFully(fd: number, buffer: Buffer, offset: number, length: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, offset + done, length - done, offset + done);
    if (n <= 0) throw new Error(`font file ended early at byte ${offset + done}`);
    done += n;
  }
}

// ---- metrics and runs ----

/** The glyphs of a text as the font sets it: no kerning or ligatures, as Japanese certificates are set. */
export interface TextRun {
  glyphs: number[];
  /** The characters each glyph stands for (a base character plus its variation selector for a variation sequence). */
  chars: string[];
  /** Advance of each glyph, in font units. */
  advances: number[];
  /** Sum of the advances, in font units. */
  width: number;
}

/** A component of a composite glyph: where its glyph id sits in the glyph's bytes. */
export interface GlyphComponent {
  glyph: number;
  /** Byte offset of the 16-bit glyph index inside the glyph's data. */
  at: number;
}

const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
// Line breaks are layout, not glyphs.
const isLayoutControl = (cp: number) => cp === 0x0a || cp === 0x0d;

/**
 * What the layouts and the PDF writer need from the font, read from its tables and cached for the process:
 * metrics, glyph ids of texts (including ideographic variation sequences), advances and raw glyph bytes.
 */
export class FontFace {
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  readonly capHeight: number;
  readonly xHeight: number;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number };
  readonly italicAngle: number;
  /** PDF FontDescriptor flags (symbolic; serif when the OS/2 family class says so; fixed pitch; italic). */
  readonly flags: number;
  readonly numGlyphs: number;

  private readonly buf: Buffer;
  private readonly table: (tag: string) => TableEntry | undefined;
  private readonly numberOfHMetrics: number;
  private readonly longLoca: boolean;
  private readonly loaded: Uint8Array;
  private readonly runs = new Map<string, TextRun>();
  private readonly glyphIds = new Map<string, number>();
  private readonly outlines = new Map<number, Outline>();
  /** Texts assertGlyphs has found printable. */
  readonly checked = new Set<string>();
  private readonly cmap: CharacterMap;

  constructor(
    readonly font: fontkit.Font,
    private readonly file: SparseFontFile,
  ) {
    const buf = (this.buf = file.buffer);
    this.table = (tag) => file.tables.get(tag);
    const head = this.table('head')!.offset;
    const hhea = this.table('hhea')!.offset;
    this.unitsPerEm = buf.readUInt16BE(head + 18);
    this.bbox = {
      minX: buf.readInt16BE(head + 36),
      minY: buf.readInt16BE(head + 38),
      maxX: buf.readInt16BE(head + 40),
      maxY: buf.readInt16BE(head + 42),
    };
    const macStyle = buf.readUInt16BE(head + 44);
    this.longLoca = buf.readInt16BE(head + 50) === 1;
    this.ascent = buf.readInt16BE(hhea + 4);
    this.descent = buf.readInt16BE(hhea + 6);
    this.lineGap = buf.readInt16BE(hhea + 8);
    this.numberOfHMetrics = buf.readUInt16BE(hhea + 34);
    this.numGlyphs = buf.readUInt16BE(this.table('maxp')!.offset + 4);
    const os2 = this.table('OS/2');
    const os2Version = os2 ? buf.readUInt16BE(os2.offset) : 0;
    this.xHeight = os2 && os2Version >= 2 && os2.length >= 90 ? buf.readInt16BE(os2.offset + 86) : 0;
    this.capHeight = os2 && os2Version >= 2 && os2.length >= 90 ? buf.readInt16BE(os2.offset + 88) : this.ascent;
    const familyClass = os2 ? buf.readInt16BE(os2.offset + 30) >> 8 : 0;
    const post = this.table('post');
    this.italicAngle = post ? buf.readInt32BE(post.offset + 4) / 65536 : 0;
    const fixedPitch = post ? buf.readUInt32BE(post.offset + 12) !== 0 : false;
    this.flags = (fixedPitch ? 1 : 0) | (familyClass >= 1 && familyClass <= 7 ? 2 : 0) | 4 | (macStyle & 2 ? 64 : 0);
    this.postscriptName = font.postscriptName;
    this.loaded = new Uint8Array(this.numGlyphs);
    this.cmap = new CharacterMap(buf, this.table('cmap')!);
  }

  /** Advance width of a glyph, in font units. */
  advance(glyph: number): number {
    const hmtx = this.table('hmtx')!.offset;
    return this.buf.readUInt16BE(hmtx + 4 * Math.min(glyph, this.numberOfHMetrics - 1));
  }

  /** Left side bearing of a glyph, in font units. */
  leftBearing(glyph: number): number {
    const hmtx = this.table('hmtx')!.offset;
    const n = this.numberOfHMetrics;
    return glyph < n ? this.buf.readInt16BE(hmtx + 4 * glyph + 2) : this.buf.readInt16BE(hmtx + 4 * n + 2 * (glyph - n));
  }

  /** The glyph for a character (or a character and its variation selector); 0 when the font has none. */
  glyphFor(char: string): number {
    let id = this.glyphIds.get(char);
    if (id === undefined) {
      const [base, selector] = [...char].map((c) => c.codePointAt(0)!);
      id = this.cmap.lookup(base);
      if (selector !== undefined) id = id ? this.cmap.lookupVariation(base, selector) : 0;
      this.glyphIds.set(char, id);
    }
    return id;
  }

  /**
   * The glyphs of one line of text, memoized for the process. A character the font lacks is a MissingGlyphError,
   * never a blank box (the layouts check whole documents with assertGlyphs first, naming the field).
   */
  run(text: string): TextRun {
    let run = this.runs.get(text);
    if (run) return run;
    run = { glyphs: [], chars: [], advances: [], width: 0 };
    const chars = [...text];
    for (let i = 0; i < chars.length; i++) {
      const cp = chars[i].codePointAt(0)!;
      if (isLayoutControl(cp)) continue;
      let char = chars[i];
      const next = chars[i + 1]?.codePointAt(0);
      if (next !== undefined && isVariationSelector(next)) char += chars[++i];
      const glyph = isVariationSelector(cp) ? 0 : this.glyphFor(char);
      if (!glyph) throw new MissingGlyphError(char, this.postscriptName);
      const advance = this.advance(glyph);
      run.glyphs.push(glyph);
      run.chars.push(char);
      run.advances.push(advance);
      run.width += advance;
    }
    if (this.runs.size > 50_000) this.runs.clear();
    this.runs.set(text, run);
    return run;
  }

  /** Width of a line of text in points at `size`, with `spacing` points after every character but the last. */
  widthOf(text: string, size: number, spacing = 0): number {
    const run = this.run(text);
    return (run.width * size) / this.unitsPerEm + spacing * Math.max(0, run.glyphs.length - 1);
  }

  /** The glyph's bytes in the glyf table (read from the file on first use); empty for a glyph without outline. */
  glyphData(glyph: number): Buffer {
    const { start, end } = this.glyphRange(glyph);
    if (!this.loaded[glyph]) {
      this.file.read(start, end - start);
      this.loaded[glyph] = 1;
    }
    return this.buf.subarray(start, end);
  }

  /** The components of a composite glyph (empty for a simple one). */
  components(glyph: number): GlyphComponent[] {
    const data = this.glyphData(glyph);
    if (data.length < 10 || data.readInt16BE(0) >= 0) return [];
    const out: GlyphComponent[] = [];
    let at = 10;
    for (;;) {
      const flags = data.readUInt16BE(at);
      out.push({ glyph: data.readUInt16BE(at + 2), at: at + 2 });
      at += 4 + (flags & 0x0001 ? 4 : 2); // ARG_1_AND_2_ARE_WORDS
      if (flags & 0x0008) at += 2; // WE_HAVE_A_SCALE
      else if (flags & 0x0040) at += 4; // WE_HAVE_AN_X_AND_Y_SCALE
      else if (flags & 0x0080) at += 8; // WE_HAVE_A_TWO_BY_TWO
      if (!(flags & 0x0020)) break; // MORE_COMPONENTS
    }
    return out;
  }

  /** The glyph's outline as path commands in font units (y up), decoded from its TrueType data and cached. */
  outline(glyph: number): Outline {
    let o = this.outlines.get(glyph);
    if (!o) {
      o = decodeOutline(this, glyph, 0);
      this.outlines.set(glyph, o);
    }
    return o;
  }

  /** Raw bytes of a table other than glyf (for the subset: cvt, fpgm, prep, head, hhea, maxp). */
  tableData(tag: string): Buffer | null {
    const t = this.table(tag);
    return t ? this.buf.subarray(t.offset, t.offset + t.length) : null;
  }

  private glyphRange(glyph: number): { start: number; end: number } {
    if (!Number.isInteger(glyph) || glyph < 0 || glyph >= this.numGlyphs) throw new RangeError(`no glyph ${glyph} in ${this.postscriptName}`);
    const loca = this.table('loca')!.offset;
    const glyf = this.table('glyf')!.offset;
    const [a, b] = this.longLoca
      ? [this.buf.readUInt32BE(loca + 4 * glyph), this.buf.readUInt32BE(loca + 4 * glyph + 4)]
      : [this.buf.readUInt16BE(loca + 2 * glyph) * 2, this.buf.readUInt16BE(loca + 2 * glyph + 2) * 2];
    return { start: glyf + a, end: glyf + Math.max(a, b) };
  }
}

// ---- character map ----

/** The font's cmap: format 12 (full Unicode) or 4 (BMP), and format 14 for ideographic variation sequences. */
class CharacterMap {
  private readonly main: { format: 4 | 12; at: number } | null = null;
  private readonly uvs: number | null = null;

  constructor(
    private readonly buf: Buffer,
    table: TableEntry,
  ) {
    const base = table.offset;
    const n = buf.readUInt16BE(base + 2);
    let best = -1;
    for (let i = 0; i < n; i++) {
      const platform = buf.readUInt16BE(base + 4 + 8 * i);
      const encoding = buf.readUInt16BE(base + 6 + 8 * i);
      const at = base + buf.readUInt32BE(base + 8 + 8 * i);
      const format = buf.readUInt16BE(at);
      if (format === 14) this.uvs = at;
      // Preference: Windows full Unicode, Unicode full, Windows BMP, Unicode BMP.
      const rank =
        format === 12 && platform === 3 && encoding === 10 ? 4
        : format === 12 && platform === 0 ? 3
        : format === 4 && platform === 3 && encoding === 1 ? 2
        : format === 4 && platform === 0 ? 1
        : -1;
      if (rank > best) {
        best = rank;
        this.main = { format: format as 4 | 12, at };
      }
    }
  }

  lookup(cp: number): number {
    const m = this.main;
    if (!m) return 0;
    const b = this.buf;
    if (m.format === 12) {
      let lo = 0;
      let hi = b.readUInt32BE(m.at + 12) - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = m.at + 16 + 12 * mid;
        if (cp < b.readUInt32BE(g)) hi = mid - 1;
        else if (cp > b.readUInt32BE(g + 4)) lo = mid + 1;
        else return b.readUInt32BE(g + 8) + cp - b.readUInt32BE(g);
      }
      return 0;
    }
    if (cp > 0xffff) return 0;
    const segX2 = b.readUInt16BE(m.at + 6);
    const ends = m.at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    let lo = 0;
    let hi = segX2 / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp > b.readUInt16BE(ends + 2 * mid)) lo = mid + 1;
      else if (cp < b.readUInt16BE(starts + 2 * mid)) hi = mid - 1;
      else {
        const delta = b.readInt16BE(deltas + 2 * mid);
        const ro = b.readUInt16BE(rangeOffsets + 2 * mid);
        if (!ro) return (cp + delta) & 0xffff;
        const g = b.readUInt16BE(rangeOffsets + 2 * mid + ro + 2 * (cp - b.readUInt16BE(starts + 2 * mid)));
        return g ? (g + delta) & 0xffff : 0;
      }
    }
    return 0;
  }

  /** The glyph of base + selector, or 0 when the font has no such sequence (never the plain form in disguise). */
  lookupVariation(base: number, selector: number): number {
    if (this.uvs === null) return 0;
    const b = this.buf;
    const at = this.uvs;
    const u24 = (o: number) => (b.readUInt16BE(o) << 8) | b[o + 2];
    const n = b.readUInt32BE(at + 6);
    for (let i = 0; i < n; i++) {
      const rec = at + 10 + 11 * i;
      if (u24(rec) !== selector) continue;
      const defaultAt = b.readUInt32BE(rec + 3);
      const nonDefaultAt = b.readUInt32BE(rec + 7);
      if (defaultAt) {
        const ranges = b.readUInt32BE(at + defaultAt);
        for (let r = 0; r < ranges; r++) {
          const start = u24(at + defaultAt + 4 + 4 * r);
          if (base >= start && base <= start + b[at + defaultAt + 4 + 4 * r + 3]) return this.lookup(base);
        }
      }
      if (nonDefaultAt) {
        const mappings = b.readUInt32BE(at + nonDefaultAt);
        let lo = 0;
        let hi = mappings - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const m = at + nonDefaultAt + 4 + 5 * mid;
          const v = u24(m);
          if (base < v) hi = mid - 1;
          else if (base > v) lo = mid + 1;
          else return b.readUInt16BE(m + 3);
        }
      }
      return 0;
    }
    return 0;
  }
}

// ---- outlines ----

export type PathCommand =
  | { command: 'moveTo' | 'lineTo'; args: [number, number] }
  | { command: 'quadraticCurveTo'; args: [number, number, number, number] }
  | { command: 'closePath'; args: [] };

export interface Outline {
  commands: PathCommand[];
  /** Bounds of the outline's points, font units, y up. */
  bbox: { minX: number; minY: number; maxX: number; maxY: number; width: number; height: number };
}

interface Point {
  x: number;
  y: number;
  on: boolean;
}

/** Decode a glyph's contours (TrueType quadratic outlines), composite glyphs included. */
function decodeOutline(face: FontFace, glyph: number, depth: number): Outline {
  const contours = glyphContours(face, glyph, depth);
  const commands: PathCommand[] = [];
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const pts of contours) {
    for (const p of pts) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    }
    // Start on an on-curve point (or the midpoint of two off-curve ones).
    const firstOn = pts.findIndex((p) => p.on);
    const start = firstOn >= 0 ? pts[firstOn] : { x: (pts[0].x + pts[1 % pts.length].x) / 2, y: (pts[0].y + pts[1 % pts.length].y) / 2, on: true };
    const order = firstOn >= 0 ? [...pts.slice(firstOn + 1), ...pts.slice(0, firstOn + 1)] : [...pts.slice(1), pts[0], start];
    commands.push({ command: 'moveTo', args: [start.x, start.y] });
    let control: Point | null = null;
    for (const p of order) {
      if (p.on) {
        if (control) commands.push({ command: 'quadraticCurveTo', args: [control.x, control.y, p.x, p.y] });
        else commands.push({ command: 'lineTo', args: [p.x, p.y] });
        control = null;
      } else {
        if (control) {
          const mx = (control.x + p.x) / 2;
          const my = (control.y + p.y) / 2;
          commands.push({ command: 'quadraticCurveTo', args: [control.x, control.y, mx, my] });
        }
        control = p;
      }
    }
    if (control) commands.push({ command: 'quadraticCurveTo', args: [control.x, control.y, start.x, start.y] });
    commands.push({ command: 'closePath', args: [] });
  }
  if (!commands.length) [minX, minY, maxX, maxY] = [0, 0, 0, 0];
  return { commands, bbox: { minX, minY, maxX, maxY, width: maxX - minX, height: maxY - minY } };
}

function glyphContours(face: FontFace, glyph: number, depth: number): Point[][] {
  const d = face.glyphData(glyph);
  if (d.length < 10) return [];
  const n = d.readInt16BE(0);
  if (n >= 0) {
    const ends: number[] = [];
    for (let i = 0; i < n; i++) ends.push(d.readUInt16BE(10 + 2 * i));
    const count = n ? ends[n - 1] + 1 : 0;
    let at = 10 + 2 * n;
    at += 2 + d.readUInt16BE(at); // instructions
    const flags = new Uint8Array(count);
    for (let i = 0; i < count; ) {
      const f = d[at++];
      flags[i++] = f;
      if (f & 0x08) for (let r = d[at++]; r > 0; r--) flags[i++] = f;
    }
    const coords = (short: number, same: number) => {
      const out = new Array<number>(count);
      let v = 0;
      for (let i = 0; i < count; i++) {
        const f = flags[i];
        if (f & short) v += f & same ? d[at++] : -d[at++];
        else if (!(f & same)) {
          v += d.readInt16BE(at);
          at += 2;
        }
        out[i] = v;
      }
      return out;
    };
    const xs = coords(0x02, 0x10);
    const ys = coords(0x04, 0x20);
    const contours: Point[][] = [];
    let first = 0;
    for (const end of ends) {
      const pts: Point[] = [];
      for (let i = first; i <= end; i++) pts.push({ x: xs[i], y: ys[i], on: !!(flags[i] & 0x01) });
      if (pts.length) contours.push(pts);
      first = end + 1;
    }
    return contours;
  }
  if (depth > 8) return [];
  // A composite: components placed with an offset and an optional scale or 2×2 transform.
  const out: Point[][] = [];
  let at = 10;
  for (;;) {
    const flags = d.readUInt16BE(at);
    const component = d.readUInt16BE(at + 2);
    at += 4;
    let dx = 0;
    let dy = 0;
    if (flags & 0x0001) {
      [dx, dy] = flags & 0x0002 ? [d.readInt16BE(at), d.readInt16BE(at + 2)] : [0, 0];
      at += 4;
    } else {
      [dx, dy] = flags & 0x0002 ? [d.readInt8(at), d.readInt8(at + 1)] : [0, 0];
      at += 2;
    }
    const f2dot14 = (o: number) => d.readInt16BE(o) / 16384;
    let [a, b, c, e] = [1, 0, 0, 1];
    if (flags & 0x0008) {
      a = e = f2dot14(at);
      at += 2;
    } else if (flags & 0x0040) {
      [a, e] = [f2dot14(at), f2dot14(at + 2)];
      at += 4;
    } else if (flags & 0x0080) {
      [a, b, c, e] = [f2dot14(at), f2dot14(at + 2), f2dot14(at + 4), f2dot14(at + 6)];
      at += 8;
    }
    for (const pts of glyphContours(face, component, depth + 1)) {
      out.push(pts.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + e * p.y + dy, on: p.on })));
    }
    if (!(flags & 0x0020)) break;
  }
  return out;
}

// ---- checking texts before printing ----

/**
 * Throw MissingGlyphError for the first character of `text` that the font cannot draw.
 * Iterates by code point, so characters outside the BMP (𠮷 U+20BB7) are checked whole. An ideographic variation
 * sequence (e.g. 葛 + U+E0100) must be in the font's variation table: otherwise the plain form would be printed silently.
 */
export function assertGlyphs(text: string, where?: string): void {
  const { face } = loadFont();
  if (face.checked.has(text)) return;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const cp = chars[i].codePointAt(0)!;
    if (isLayoutControl(cp)) continue;
    const next = chars[i + 1]?.codePointAt(0);
    if (next !== undefined && isVariationSelector(next)) {
      if (isVariationSelector(cp) || !face.glyphFor(chars[i] + chars[i + 1])) {
        throw new MissingGlyphError(chars[i] + chars[i + 1], face.postscriptName, where);
      }
      i++;
      continue;
    }
    if (isVariationSelector(cp) || !face.glyphFor(chars[i])) throw new MissingGlyphError(chars[i], face.postscriptName, where);
  }
  if (face.checked.size > 50_000) face.checked.clear();
  face.checked.add(text);
}
