// The background tint (地紋) with the hidden word 「複写」. The page is covered with fine dots; inside the letters of
// 「複写」 the dots are twice as far apart and twice as big, so both areas carry the same ink and the word is barely
// visible on the original. A copier drops the fine dots but reproduces the coarse ones, so on a copy the word shows.
// The letters are emboldened by stroking their outlines: Mincho's hairlines are too thin to hold coarse dots.
import type { Font } from 'fontkit';
import { A4, traceText, type Pdf } from './pdf.ts';

export const HIDDEN_WORD = '複写';
/** The tint's colour: a grey-blue that reads as paper texture, not as print. */
const TINT = '#7282a6';
const FINE_STEP = 1.8;
const FINE_DOT = 0.42;
// Same coverage as the fine dots (dot/step is equal), so the word does not stand out on the original.
const COARSE_STEP = FINE_STEP * 2;
const COARSE_DOT = FINE_DOT * 2;
const WORD_SIZE = 150;
const WORD_BOLDEN = 5;
const WORD_ANGLE = 24;

const patterns = new WeakMap<Pdf, { fine: PDFKit.PDFTilingPattern; coarse: PDFKit.PDFTilingPattern }>();

function tilePatterns(doc: Pdf) {
  let p = patterns.get(doc);
  if (!p) {
    // Uncoloured tiling patterns: a few bytes per document instead of tens of thousands of drawn dots per page.
    const dot = (step: number, size: number) =>
      doc.pattern([0, 0, step, step], step, step, `0 0 ${size.toFixed(3)} ${size.toFixed(3)} re f`);
    p = { fine: dot(FINE_STEP, FINE_DOT), coarse: dot(COARSE_STEP, COARSE_DOT) };
    patterns.set(doc, p);
  }
  return p;
}

/** Where the hidden word is repeated: a staggered grid of tilted words covering the page. */
export function hiddenWordPlacements(): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  const rowStep = 250;
  for (let row = 0, y = 200; y < A4.height + 150; row++, y += rowStep) {
    for (let x = row % 2 ? -150 : 60; x < A4.width; x += 420) out.push({ x, y });
  }
  return out;
}

/** Paint the tint over the whole current page; call first, before any text. */
export function drawCopyDeterrent(doc: Pdf, font: Font): void {
  const { fine, coarse } = tilePatterns(doc);
  const scale = WORD_SIZE / font.unitsPerEm;
  doc.save();
  doc.rect(0, 0, A4.width, A4.height).fill([fine, TINT]);
  doc.restore();

  const traceWords = () => {
    for (const at of hiddenWordPlacements()) {
      traceText(doc, font, HIDDEN_WORD, { x: at.x, y: at.y, scaleX: scale, scaleY: scale, rotate: WORD_ANGLE });
    }
  };
  doc.save();
  doc.lineWidth(WORD_BOLDEN).lineJoin('round');
  // First blank out the fine dots under the (bold) letters, then fill them with the coarse dots.
  traceWords();
  doc.fillAndStroke('white', 'white');
  traceWords();
  doc.fillAndStroke([coarse, TINT], [coarse, TINT]);
  doc.restore();
  doc.fillColor('black');
}
