// The Japanese font: IPAmj明朝 (the government's MJ glyph set) unless KIOSK_FONT says otherwise.
// The file is 46 MB, so it is parsed once per process; layout/pdf.ts hands the parsed object to every document.
import { existsSync, statSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { FontMissingError, MissingGlyphError } from './errors.ts';

export { FontMissingError, MissingGlyphError };

export const DEFAULT_FONT_PATH = '/usr/share/fonts/truetype/ipamj/ipamjm.ttf';
/** Name under which the font is registered in each pdfkit document. */
export const MINCHO = 'Mincho';

export interface LoadedFont {
  path: string;
  font: fontkit.Font;
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
  let parsed: fontkit.Font | fontkit.FontCollection;
  try {
    parsed = fontkit.openSync(path);
  } catch (e) {
    throw new FontMissingError(path, `file is not a readable font (${(e as Error).message})`);
  }
  // A collection (.ttc) would need a face name; the kiosk expects one face.
  if (!('layout' in parsed)) throw new FontMissingError(path, 'file is a font collection, not a single font');
  const entry = { path, font: parsed, loadMs: performance.now() - started };
  loaded.set(path, entry);
  return entry;
}

const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
// Line breaks are layout, not glyphs.
const isLayoutControl = (cp: number) => cp === 0x0a || cp === 0x0d;

/**
 * Throw MissingGlyphError for the first character of `text` that the font cannot draw.
 * Iterates by code point, so characters outside the BMP (𠮷 U+20BB7) are checked whole. An ideographic variation
 * sequence (e.g. 葛 + U+E0100) must be in the font's variation table: otherwise the plain form would be printed silently.
 */
export function assertGlyphs(text: string, where?: string): void {
  const { font } = loadFont();
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const cp = chars[i].codePointAt(0)!;
    if (isLayoutControl(cp)) continue;
    const next = chars[i + 1]?.codePointAt(0);
    if (next !== undefined && isVariationSelector(next)) {
      if (!font.hasGlyphForCodePoint(cp) || !hasVariationSequence(font, cp, next)) {
        throw new MissingGlyphError(chars[i] + chars[i + 1], font.postscriptName, where);
      }
      i++;
      continue;
    }
    if (isVariationSelector(cp) || !font.hasGlyphForCodePoint(cp)) {
      throw new MissingGlyphError(chars[i], font.postscriptName, where);
    }
  }
}

interface UvsSelector {
  varSelector: number;
  defaultUVS?: Array<{ startUnicodeValue: number; additionalCount: number }> | null;
  nonDefaultUVS?: Array<{ unicodeValue: number; glyphID: number }> | null;
}

// fontkit resolves variation sequences inside layout() but exposes no query for them, so read its cmap format 14.
function hasVariationSequence(font: fontkit.Font, base: number, selector: number): boolean {
  const uvs = (font as unknown as { _cmapProcessor?: { uvs?: { varSelectors: { toArray(): UvsSelector[] } } } })
    ._cmapProcessor?.uvs;
  if (!uvs) return false;
  const sel = uvs.varSelectors.toArray().find((s) => s.varSelector === selector);
  if (!sel) return false;
  if (sel.defaultUVS?.some((r) => base >= r.startUnicodeValue && base <= r.startUnicodeValue + r.additionalCount)) {
    return true;
  }
  return !!sel.nonDefaultUVS?.some((m) => m.unicodeValue === base);
}
