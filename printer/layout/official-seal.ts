// The mayor's official seal (職印): a red square with 「{city}長之印」 in seal style — characters stretched to fill a
// grid read top to bottom in columns from right to left. Drawn as outlines so it is a picture, not extractable text.
import type { Font } from 'fontkit';
import { traceText, type Pdf } from './pdf.ts';

export const SEAL_RED = '#c8161d';

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

/** Draw the seal with its top-left corner at (x, y). */
export function drawOfficialSeal(doc: Pdf, font: Font, text: string, x: number, y: number, size: number): void {
  const chars = [...text];
  const rows = rowsFor(chars.length);
  const cols = Math.ceil(chars.length / rows);
  const border = size * 0.05;
  const inner = size - 2 * border - size * 0.04;
  const cellW = inner / cols;
  const cellH = inner / rows;
  const originX = x + border + size * 0.02;
  const originY = y + border + size * 0.02;

  doc.save();
  // Slightly translucent, as stamp ink is: the name under the seal stays legible.
  doc.fillOpacity(0.8).strokeOpacity(0.85);
  doc.lineWidth(border).rect(x + border / 2, y + border / 2, size - border, size - border).stroke(SEAL_RED);
  chars.forEach((ch, i) => {
    const col = Math.floor(i / rows);
    const row = i % rows;
    const cellX = originX + (cols - 1 - col) * cellW; // first column on the right
    const cellY = originY + row * cellH;
    const box = font.layout(ch).glyphs[0]?.bbox;
    if (!box || box.width <= 0 || box.height <= 0) return;
    const pad = 0.07;
    const scaleX = (cellW * (1 - 2 * pad)) / box.width;
    const scaleY = (cellH * (1 - 2 * pad)) / box.height;
    traceText(doc, font, ch, {
      x: cellX + cellW * pad - box.minX * scaleX,
      y: cellY + cellH * pad + box.maxY * scaleY,
      scaleX,
      scaleY,
    });
  });
  doc.fill(SEAL_RED);
  doc.restore();
  doc.fillColor('black');
}
