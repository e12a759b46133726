// The back page's scramble image. The real one is the front page encrypted into an image; the simulator draws a
// deterministic block pattern derived from the verification code (SHA-256 in counter mode), so the same code always
// gives the same picture and different codes give visibly different ones. It is an image (40×40 cells, four shades,
// 2 bits a cell), as the real one is: a few hundred bytes instead of a path per cell.
import { createHash } from 'node:crypto';
import { num, type Canvas } from './pdf.ts';

export const SCRAMBLE_CELLS = 40;
/** Cell shades 0..3: blank paper, then light to dark. */
const PALETTE = Buffer.from('ffffff9aa6c44e5f8a16213d', 'hex');
const DARK = '0.086 0.129 0.239';

/** n×n cell values 0..3, row by row. `sheet` > 1 seeds the image of a further sheet of the same copy. */
export function scrambleCells(verificationCode: string, n = SCRAMBLE_CELLS, sheet = 1): Uint8Array {
  const cells = new Uint8Array(n * n);
  const seed = sheet > 1 ? `${verificationCode}:${sheet}` : verificationCode;
  let block = Buffer.alloc(0);
  let used = 0;
  for (let i = 0, counter = 0; i < n * n; i++) {
    if (used >= block.length * 4) {
      block = createHash('sha256').update(`scramble:${seed}:${counter++}`).digest();
      used = 0;
    }
    cells[i] = (block[used >> 2] >> ((used & 3) * 2)) & 3;
    used++;
  }
  return cells;
}

/** Draw the image in a framed box with its top-left corner at (x, y). */
export function drawScrambleImage(canvas: Canvas, verificationCode: string, x: number, y: number, size: number, sheet = 1): void {
  const n = SCRAMBLE_CELLS;
  const cells = scrambleCells(verificationCode, n, sheet);
  const rowBytes = Math.ceil(n / 4);
  const data = Buffer.alloc(rowBytes * n);
  for (let i = 0; i < cells.length; i++) {
    const row = Math.floor(i / n);
    const col = i % n;
    data[row * rowBytes + (col >> 2)] |= cells[i] << (6 - 2 * (col & 3));
  }
  // Random cells do not compress: the stream is stored as it is.
  const image = canvas.stream({
    Type: 'XObject',
    Subtype: 'Image',
    Width: n,
    Height: n,
    ColorSpace: ['Indexed', 'DeviceRGB', 3, PALETTE],
    BitsPerComponent: 2,
    // Sharp cells when scaled up, as a scanner must see them.
    Interpolate: false,
  }, data, false);
  const name = `Sc${sheet}`;
  canvas.useXObject(name, image);

  const cell = size / n;
  const mark = cell * 5;
  const box = (bx: number, by: number, w: number) => `${num(bx)} ${num(by)} ${num(w)} ${num(w)} re`;
  const ops = [
    'q',
    `1 1 1 rg ${box(x - 4, y - 4, size + 8)} f`,
    // The image's first row is its top: in the page's y-down space the unit square is flipped back.
    `q ${num(size)} 0 0 ${num(-size)} ${num(x)} ${num(y + size)} cm /${name} Do Q`,
  ];
  // Corner marks so a scanner can find and orient the image.
  for (const [mx, my] of [[x - 4, y - 4], [x + size + 4 - mark, y - 4], [x - 4, y + size + 4 - mark]]) {
    ops.push(`${DARK} rg ${box(mx, my, mark)} f`, `1 1 1 rg ${box(mx + cell, my + cell, mark - 2 * cell)} f`);
    ops.push(`${DARK} rg ${box(mx + 2 * cell, my + 2 * cell, mark - 4 * cell)} f`);
  }
  ops.push(`${DARK} RG 0.8 w ${box(x - 4, y - 4, size + 8)} S`, 'Q');
  canvas.raw(ops.join('\n'));
}
