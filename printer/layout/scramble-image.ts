// The back page's scramble image. The real one is the front page encrypted into an image; the simulator draws a
// deterministic block pattern derived from the verification code (SHA-256 in counter mode), so the same code always
// gives the same picture and different codes give visibly different ones.
import { createHash } from 'node:crypto';
import type { Pdf } from './pdf.ts';

export const SCRAMBLE_CELLS = 40;
/** Cell shades 1..3 (0 is blank paper). */
const SHADES = ['#9aa6c4', '#4e5f8a', '#16213d'];

/** n×n cell values 0..3, row by row. */
export function scrambleCells(verificationCode: string, n = SCRAMBLE_CELLS): Uint8Array {
  const cells = new Uint8Array(n * n);
  let block = Buffer.alloc(0);
  let used = 0;
  for (let i = 0, counter = 0; i < n * n; i++) {
    if (used >= block.length * 4) {
      block = createHash('sha256').update(`scramble:${verificationCode}:${counter++}`).digest();
      used = 0;
    }
    cells[i] = (block[used >> 2] >> ((used & 3) * 2)) & 3;
    used++;
  }
  return cells;
}

/** Draw the image as small squares in a framed box with its top-left corner at (x, y). */
export function drawScrambleImage(doc: Pdf, verificationCode: string, x: number, y: number, size: number): void {
  const n = SCRAMBLE_CELLS;
  const cells = scrambleCells(verificationCode, n);
  const cell = size / n;
  doc.save();
  doc.rect(x - 4, y - 4, size + 8, size + 8).fill('white');
  for (let shade = 1; shade <= 3; shade++) {
    // One path per shade keeps the page's content small.
    for (let i = 0; i < cells.length; i++) {
      if (cells[i] === shade) doc.rect(x + (i % n) * cell, y + Math.floor(i / n) * cell, cell, cell);
    }
    doc.fill(SHADES[shade - 1]);
  }
  // Corner marks so a scanner can find and orient the image.
  const mark = cell * 5;
  for (const [mx, my] of [[x - 4, y - 4], [x + size + 4 - mark, y - 4], [x - 4, y + size + 4 - mark]]) {
    doc.rect(mx, my, mark, mark).fill('#16213d');
    doc.rect(mx + cell, my + cell, mark - 2 * cell, mark - 2 * cell).fill('white');
    doc.rect(mx + 2 * cell, my + 2 * cell, mark - 4 * cell, mark - 4 * cell).fill('#16213d');
  }
  doc.lineWidth(0.8).rect(x - 4, y - 4, size + 8, size + 8).stroke('#16213d');
  doc.restore();
  doc.fillColor('black').strokeColor('black');
}
