// Seals, drawn as outlines so they are pictures, not extractable text:
// - the mayor's official seal (職印): a red square with 「{city}長之印」 in seal style — characters stretched to fill a
//   grid read top to bottom in columns from right to left;
// - the registered seal's impression (印影) on a 印鑑登録証明書: a red circle with the carved characters, as the
//   person's seal prints it.
// Both are the same for every copy of a city or a person, so their path operators are made once per process.
import type { FontFace } from '../fonts.ts';
import { num, outlineOps, type Canvas } from './pdf.ts';

const SEAL_RGB = '0.784 0.086 0.114';
/** 朱肉 (seal ink): a warmer vermilion than the printed 職印. */
const IMPRESSION_RGB = '0.835 0.2 0.157';

/** 川崎市 → 川崎市長之印. */
export function sealText(municipalityName: string): string {
  return `${municipalityName}長之印`;
}

/** Rows per column for n characters: 6 characters make the classic 3 columns of 2. */
function rowsFor(n: number): number {
  if (n <= 4) return Math.max(1, Math.ceil(n / 2));
  if (n <= 6) return 2;
  if (n <= 9) return 3;
  return Math.ceil(Math.sqrt(n));
}

/** Path operators for characters stretched into a grid of cells (columns right to left), unpainted. */
function gridOps(face: FontFace, chars: string[], rows: number, x: number, y: number, w: number, h: number, pad: number): string {
  const cols = Math.ceil(chars.length / rows);
  const cellW = w / cols;
  const cellH = h / rows;
  return chars
    .map((ch, i) => {
      const col = Math.floor(i / rows);
      const row = i % rows;
      const cellX = x + (cols - 1 - col) * cellW; // first column on the right
      const cellY = y + row * cellH;
      const box = face.outline(face.run(ch).glyphs[0]).bbox;
      if (!box || box.width <= 0 || box.height <= 0) return '';
      const scaleX = (cellW * (1 - 2 * pad)) / box.width;
      const scaleY = (cellH * (1 - 2 * pad)) / box.height;
      return outlineOps(face, ch, {
        x: cellX + cellW * pad - box.minX * scaleX,
        y: cellY + cellH * pad + box.maxY * scaleY,
        scaleX,
        scaleY,
      });
    })
    .join('\n');
}

const cache = new WeakMap<FontFace, Map<string, string>>();
function cached(face: FontFace, key: string, make: () => string): string {
  let m = cache.get(face);
  if (!m) cache.set(face, (m = new Map()));
  let ops = m.get(key);
  if (ops === undefined) m.set(key, (ops = make()));
  return ops;
}

function stamp(canvas: Canvas, x: number, y: number, rgb: string, ops: string): void {
  canvas.raw('q');
  // Slightly translucent, as stamp ink is: what lies under the seal stays legible.
  canvas.opacity(0.82, 0.86);
  canvas.raw(`1 0 0 1 ${num(x)} ${num(y)} cm ${rgb} RG ${rgb} rg\n${ops}\nQ`);
}

/** Draw the official seal with its top-left corner at (x, y). */
export function drawOfficialSeal(canvas: Canvas, text: string, x: number, y: number, size: number): void {
  const ops = cached(canvas.face, `official:${size}:${text}`, () => {
    const chars = [...text];
    const border = size * 0.05;
    const inner = size - 2 * border - size * 0.04;
    const o = border + size * 0.02;
    return (
      `${num(border)} w ${num(border / 2)} ${num(border / 2)} ${num(size - border)} ${num(size - border)} re S\n` +
      gridOps(canvas.face, chars, rowsFor(chars.length), o, o, inner, inner, 0.07) +
      '\nf'
    );
  });
  stamp(canvas, x, y, SEAL_RGB, ops);
}

/** A circle as four Bézier arcs, centred at (cx, cy). */
function circleOps(cx: number, cy: number, r: number): string {
  const k = 0.5523 * r;
  const p = (a: number, b: number) => `${num(a)} ${num(b)}`;
  return [
    `${p(cx + r, cy)} m`,
    `${p(cx + r, cy + k)} ${p(cx + k, cy + r)} ${p(cx, cy + r)} c`,
    `${p(cx - k, cy + r)} ${p(cx - r, cy + k)} ${p(cx - r, cy)} c`,
    `${p(cx - r, cy - k)} ${p(cx - k, cy - r)} ${p(cx, cy - r)} c`,
    `${p(cx + k, cy - r)} ${p(cx + r, cy - k)} ${p(cx + r, cy)} c`,
    'h',
  ].join('\n');
}

/**
 * Draw a registered seal's impression (a round personal seal) of diameter `size` with its bounding box's top-left
 * corner at (x, y): one to three characters stacked top to bottom, more in two columns from the right.
 */
export function drawSealImpression(canvas: Canvas, text: string, x: number, y: number, size: number): void {
  const ops = cached(canvas.face, `impression:${size}:${text}`, () => {
    const chars = [...text];
    const r = size / 2;
    const ring = size * 0.055;
    // The characters fill the square inside the ring, a little taller than wide, as carved seals are.
    const side = (r - ring) * 1.45;
    const rows = chars.length <= 3 ? chars.length : Math.ceil(chars.length / 2);
    const w = chars.length <= 3 ? side * 0.78 : side;
    return (
      `${num(ring)} w\n${circleOps(r, r, r - ring / 2)}\nS\n` +
      gridOps(canvas.face, chars, Math.max(1, rows), r - w / 2, r - side / 2 - size * 0.01, w, side + size * 0.02, 0.06) +
      // Carved strokes print thick: the Mincho outlines are emboldened by stroking them too.
      `\n${num(size * 0.022)} w 1 j B`
    );
  });
  stamp(canvas, x, y, IMPRESSION_RGB, ops);
}
