// The pictures a sample card's 券面事項確認AP holds (reader/card-surface-ap.ts): the name, address, security code and
// My Number as printed, drawn in the printer's Japanese font (IPAmj明朝, so a rare kanji in a name is drawn, not
// replaced), and the face photograph, a JPEG 2000 codestream per persona from assets/faces/ (made by
// samples/faces-generate.ts). Text is drawn with @napi-rs/canvas (Skia) and written as an 8-bit grayscale PNG with
// pngjs (Skia writes RGBA only: 2.4 times the bytes for black on white); each picture is made once per process.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { fontPath } from '../printer/fonts.ts';
import { samplePhoto, type Photo } from './photos.ts';

const FACES = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'faces');
const FAMILY = 'KioskCardFace';

type Canvas = typeof import('@napi-rs/canvas');
let canvasModule: Canvas | null = null;
/** Skia is loaded on the first picture: most processes never read a card's surface. */
function canvas(): Canvas {
  if (!canvasModule) {
    canvasModule = createRequire(import.meta.url)('@napi-rs/canvas') as Canvas;
    if (!canvasModule.GlobalFonts.registerFromPath(fontPath(), FAMILY)) throw new Error(`the font ${fontPath()} could not be read for the card's pictures`);
  }
  return canvasModule;
}

const drawn = new Map<string, Buffer>();

/**
 * Lines of black text on white, as the card prints them, at `size` pixels: a PNG just wide enough for the longest
 * line. The real card's pictures' sizes and depth are UNCONFIRMED; these are 8-bit grayscale PNGs of 1–5 KB.
 */
export function textPng(lines: readonly string[], size: number): Buffer {
  const key = `${size}|${lines.join('\n')}`;
  let png = drawn.get(key);
  if (png) return png;
  const { createCanvas } = canvas();
  const font = `${size}px ${FAMILY}`;
  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = font;
  const width = Math.ceil(Math.max(...lines.map((l) => measure.measureText(l).width))) + size;
  const lineHeight = Math.round(size * 1.3);
  const c = createCanvas(width, lineHeight * lines.length + Math.round(size * 0.3));
  const g = c.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#000000';
  g.font = font;
  g.textBaseline = 'top';
  lines.forEach((line, i) => g.fillText(line, size / 2, Math.round(size * 0.15) + i * lineHeight));
  const gray = new PNG({ width: c.width, height: c.height, colorType: 0, inputColorType: 6, inputHasAlpha: true });
  gray.data = Buffer.from(g.getImageData(0, 0, c.width, c.height).data);
  png = PNG.sync.write(gray, { colorType: 0, inputColorType: 6, inputHasAlpha: true, deflateLevel: 9 });
  if (drawn.size >= 500) drawn.clear();
  drawn.set(key, png);
  return png;
}

/**
 * An address as the card prints it: lines of at most 18 characters (the card's address field is narrow), never
 * breaking inside a number (「600番地」 stays whole on the next line).
 */
export function addressLines(address: string): string[] {
  const chars = [...address];
  const digit = (c: string | undefined) => !!c && /[0-9０-９]/.test(c);
  const lines: string[] = [];
  for (let start = 0; start < chars.length;) {
    let end = Math.min(start + 18, chars.length);
    if (end < chars.length && digit(chars[end]) && digit(chars[end - 1])) {
      let back = end;
      while (back > start && digit(chars[back - 1])) back -= 1;
      if (back > start) end = back;
    }
    lines.push(chars.slice(start, end).join(''));
    start = end;
  }
  return lines;
}

/** The My Number as printed on the back: three groups of four digits. */
export const printedMyNumber = (myNumber: string): string => `${myNumber.slice(0, 4)} ${myNumber.slice(4, 8)} ${myNumber.slice(8)}`;

/** 3.5 × 4.5 at 30 px a centimetre. */
export const FACE_WIDTH = 105;
export const FACE_HEIGHT = 135;

/**
 * A persona's face: the booth's sample photograph (samples/photos.ts), halved, with clothes of a colour of the
 * persona's own, so that two personas' faces differ. Deterministic: the generator and its test get the same pixels.
 */
export function facePixels(personaId: string): Photo {
  const full = samplePhoto('good');
  let hash = 0;
  for (const ch of personaId) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const clothes = [40 + (hash % 160), 40 + ((hash >> 8) % 160), 40 + ((hash >> 16) % 160)];
  const pixels = new Uint8Array(FACE_WIDTH * FACE_HEIGHT * 3);
  for (let y = 0; y < FACE_HEIGHT; y++) {
    for (let x = 0; x < FACE_WIDTH; x++) {
      const from = ((y * 2) * full.width + x * 2) * 3;
      const to = (y * FACE_WIDTH + x) * 3;
      const isClothes = full.pixels[from] === 48 && full.pixels[from + 1] === 58 && full.pixels[from + 2] === 86;
      for (let k = 0; k < 3; k++) pixels[to + k] = isClothes ? clothes[k]! : full.pixels[from + k]!;
    }
  }
  return { width: FACE_WIDTH, height: FACE_HEIGHT, pixels };
}

/** The file of a persona's face; personas without one (and cards made by hand) get `default.j2k`. */
export function faceFile(personaId: string): string {
  const own = join(FACES, `${personaId}.j2k`);
  return existsSync(own) ? own : join(FACES, 'default.j2k');
}

const faces = new Map<string, Buffer>();
/** A persona's face photograph as the card holds it: a JPEG 2000 codestream. */
export function faceJpeg2000(personaId: string): Buffer {
  const file = faceFile(personaId);
  let face = faces.get(file);
  if (!face) faces.set(file, (face = readFileSync(file)));
  return face;
}
