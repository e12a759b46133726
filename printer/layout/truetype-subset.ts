// The font program embedded in each PDF: a TrueType file holding only the glyphs the document uses, already
// compressed (zlib, as a PDF FlateDecode stream).
//
// Compressing the subset is most of the cost of a page. Documents of one kind share most of their glyphs (every
// label, heading and note of the layout), so a layout names its fixed texts once and their glyphs become a prefix
// of every subset it makes: the prefix's glyph data is compressed once per process into a self-contained deflate
// piece (ended by a sync flush, so it can be followed by more), and only the document's own glyphs (names,
// addresses) and the small tables (directory, head, hhea, maxp, hmtx, loca, cvt, fpgm, prep) are compressed per
// document. The zlib trailer's Adler-32 is combined from the pieces'.
import { constants, deflateRawSync } from 'node:zlib';
import type { FontFace } from '../fonts.ts';

export interface FontProgram {
  /** zlib stream of the TrueType file (FlateDecode). */
  data: Buffer;
  /** Length of the TrueType file before compression (the stream's /Length1). */
  length: number;
  /** Glyphs in the file, by new index: the requested ones first, then components of composite glyphs. */
  glyphs: number[];
}

/** Consecutive glyphs of a subset's glyf table, compressed. */
interface GlyphBlock {
  /** Byte length of each glyph in the table (padded to 4). */
  lengths: number[];
  length: number;
  checksum: number;
  adler: number;
  deflated: Buffer;
}

/** A fixed start of subsets: glyph 0, a layout's glyphs (and their components), with their data compressed. */
export interface GlyphPrefix {
  glyphs: number[];
  block: GlyphBlock;
}

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
/** zlib header (deflate, 32K window, default level) and a final empty fixed-Huffman block. */
const ZLIB_HEADER = Buffer.from([0x78, 0x9c]);
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

function pad4(data: Buffer): Buffer {
  const rest = data.length % 4;
  return rest ? Buffer.concat([data, Buffer.alloc(4 - rest)]) : data;
}

/**
 * Encode glyphs[from..] (glyphs is extended with the components of composite glyphs, which are renumbered to their
 * place in the subset).
 */
function encodeGlyphs(face: FontFace, glyphs: number[], from: number, index: Map<number, number>, level: number): GlyphBlock {
  const parts: Buffer[] = [];
  for (let i = from; i < glyphs.length; i++) {
    const g = glyphs[i];
    const components = face.components(g);
    let data = face.glyphData(g);
    if (components.length) {
      data = Buffer.from(data);
      for (const { glyph, at } of components) {
        let n = index.get(glyph);
        if (n === undefined) {
          n = glyphs.length;
          glyphs.push(glyph);
          index.set(glyph, n);
        }
        data.writeUInt16BE(n, at);
      }
    }
    parts.push(pad4(data));
  }
  const all = Buffer.concat(parts);
  return {
    lengths: parts.map((p) => p.length),
    length: all.length,
    checksum: checksum(all),
    adler: adler32(all),
    deflated: deflateRawSync(all, { ...SYNC, level }),
  };
}

const prefixes = new WeakMap<FontFace, Map<string, GlyphPrefix>>();

/** The prefix for a layout's glyphs (glyph 0 is put first), made once per process. */
export function glyphPrefix(face: FontFace, layoutGlyphs: number[]): GlyphPrefix {
  let cache = prefixes.get(face);
  if (!cache) prefixes.set(face, (cache = new Map()));
  const glyphs = [0, ...new Set(layoutGlyphs.filter((g) => g !== 0))];
  const key = glyphs.join(',');
  let prefix = cache.get(key);
  if (!prefix) {
    const index = new Map(glyphs.map((g, i) => [g, i]));
    const block = encodeGlyphs(face, glyphs, 0, index, 6);
    prefix = { glyphs, block };
    cache.set(key, prefix);
  }
  return prefix;
}

/**
 * Write a TrueType subset whose glyphs are `glyphs` in order (as glyph 0, 1, 2...). `glyphs` must start with the
 * prefix's glyphs.
 */
export function trueTypeSubset(face: FontFace, requested: number[], prefix: GlyphPrefix = glyphPrefix(face, [])): FontProgram {
  const glyphs = [...requested];
  if (glyphs.length < prefix.glyphs.length || prefix.glyphs.some((g, i) => glyphs[i] !== g)) {
    throw new Error('a font subset must start with its prefix glyphs');
  }
  const index = new Map(glyphs.map((g, i) => [g, i]));
  // Level 1: glyph outlines hardly compress (a few per cent less at level 6), and this part is paid per document.
  const rest = encodeGlyphs(face, glyphs, prefix.glyphs.length, index, 1);
  const lengths = [...prefix.block.lengths, ...rest.lengths];

  const n = glyphs.length;
  const loca = Buffer.alloc(4 * (n + 1));
  const hmtx = Buffer.alloc(4 * n);
  let offset = 0;
  lengths.forEach((length, i) => {
    loca.writeUInt32BE(offset, 4 * i);
    hmtx.writeUInt16BE(face.advance(glyphs[i]), 4 * i);
    hmtx.writeInt16BE(face.leftBearing(glyphs[i]), 4 * i + 2);
    offset += length;
  });
  loca.writeUInt32BE(offset, 4 * n);
  const glyfSum = (prefix.block.checksum + rest.checksum) >>> 0;

  const head = Buffer.from(face.tableData('head')!);
  head.writeUInt32BE(0, 8); // checkSumAdjustment: 0 for the table's checksum, set below
  head.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  const hhea = Buffer.from(face.tableData('hhea')!);
  hhea.writeUInt16BE(n, 34); // numberOfHMetrics
  const maxp = Buffer.from(face.tableData('maxp')!);
  maxp.writeUInt16BE(n, 4); // numGlyphs

  // The tables the PDF format asks of an embedded TrueType font; glyf goes last in the file so that its compressed
  // pieces can follow the rest.
  const small: Array<[string, Buffer]> = [['head', head], ['hhea', hhea], ['hmtx', hmtx], ['loca', loca], ['maxp', maxp]];
  for (const tag of ['cvt ', 'fpgm', 'prep']) {
    const t = face.tableData(tag);
    if (t) small.push([tag, t]);
  }
  const tags = [...small.map(([t]) => t), 'glyf'].sort();
  const numTables = tags.length;
  const dirLength = 12 + 16 * numTables;
  const records = new Map<string, { offset: number; length: number; checksum: number }>();
  let at = dirLength;
  const bodies: Buffer[] = [];
  let paddedHead: Buffer = head;
  for (const [tag, data] of small) {
    const padded = pad4(data);
    if (tag === 'head') paddedHead = padded;
    records.set(tag, { offset: at, length: data.length, checksum: checksum(padded) });
    bodies.push(padded);
    at += padded.length;
  }
  records.set('glyf', { offset: at, length: offset, checksum: glyfSum });
  const total = at + offset;

  const dir = Buffer.alloc(dirLength);
  dir.writeUInt32BE(0x00010000, 0);
  dir.writeUInt16BE(numTables, 4);
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 16 * 2 ** entrySelector;
  dir.writeUInt16BE(searchRange, 6);
  dir.writeUInt16BE(entrySelector, 8);
  dir.writeUInt16BE(numTables * 16 - searchRange, 10);
  tags.forEach((tag, i) => {
    const r = records.get(tag)!;
    dir.write(tag, 12 + 16 * i, 'latin1');
    dir.writeUInt32BE(r.checksum, 16 + 16 * i);
    dir.writeUInt32BE(r.offset, 20 + 16 * i);
    dir.writeUInt32BE(r.length, 24 + 16 * i);
  });
  let fileSum = checksum(dir);
  for (const r of records.values()) fileSum = (fileSum + r.checksum) >>> 0;
  paddedHead.writeUInt32BE((0xb1b0afba - fileSum) >>> 0, 8);

  const tables = Buffer.concat([dir, ...bodies]);
  let adler = adler32(tables);
  adler = adler32Combine(adler, prefix.block.adler, prefix.block.length);
  adler = adler32Combine(adler, rest.adler, rest.length);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler, 0);
  const data = Buffer.concat([
    ZLIB_HEADER, deflateRawSync(tables, { ...SYNC, level: 6 }), prefix.block.deflated, rest.deflated, FINAL_BLOCK, trailer,
  ]);
  return { data, length: total, glyphs };
}

/** TrueType table checksum: the sum of big-endian 32-bit words (data padded to 4). */
function checksum(data: Buffer): number {
  let sum = 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  if (whole < data.length) {
    const last = Buffer.alloc(4);
    data.copy(last, 0, whole);
    sum = (sum + last.readUInt32BE(0)) >>> 0;
  }
  return sum;
}

const ADLER_BASE = 65521;

export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = start >>> 16;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 3800, data.length);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of A followed by B, from Adler-32 of A, of B and B's length (zlib's adler32_combine). */
export function adler32Combine(adlerA: number, adlerB: number, lengthB: number): number {
  const rem = lengthB % ADLER_BASE;
  let sum1 = adlerA & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adlerB & 0xffff) + ADLER_BASE - 1;
  sum2 += (adlerA >>> 16) + (adlerB >>> 16) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= ADLER_BASE * 2) sum2 -= ADLER_BASE * 2;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}
