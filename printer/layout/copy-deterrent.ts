// The background tint (地紋) with the hidden word 「複写」. The page is covered with fine dots; inside the letters of
// 「複写」 the dots are twice as far apart and twice as big, so both areas carry the same ink and the word is barely
// visible on the original. A copier drops the fine dots but reproduces the coarse ones, so on a copy the word shows.
// The letters are emboldened by stroking their outlines: Mincho's hairlines are too thin to hold coarse dots.
//
// The tint is the same on every page of every document, so its drawing is made once per process: a form XObject
// (the whole tint) that paints the word through a nested form (the word's outline, placed with a transform at each
// repetition), with two uncoloured tiling patterns for the dots. Its content stream is compressed once and copied
// into each document, which draws it on each of its pages with one operator.
import { deflateSync } from 'node:zlib';
import type { FontFace } from '../fonts.ts';
import { A4, num, outlineOps, type Canvas, type PdfRef } from './pdf.ts';

export const HIDDEN_WORD = '複写';
/** The tint's colour: a grey-blue that reads as paper texture, not as print. */
const TINT = [0x72 / 255, 0x82 / 255, 0xa6 / 255].map(num).join(' ');
const FINE_STEP = 1.8;
const FINE_DOT = 0.42;
// Same coverage as the fine dots (dot/step is equal), so the word does not stand out on the original.
const COARSE_STEP = FINE_STEP * 2;
const COARSE_DOT = FINE_DOT * 2;
const WORD_SIZE = 150;
const WORD_BOLDEN = 5;
const WORD_ANGLE = 24;

/** Where the hidden word is repeated: a staggered grid of tilted words covering the page. */
export function hiddenWordPlacements(): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  const rowStep = 250;
  for (let row = 0, y = 200; y < A4.height + 150; row++, y += rowStep) {
    for (let x = row % 2 ? -150 : 60; x < A4.width; x += 420) out.push({ x, y });
  }
  return out;
}

interface TintStreams {
  word: { content: Buffer; bbox: number[] };
  tint: Buffer;
  fine: Buffer;
  coarse: Buffer;
}

const streams = new WeakMap<FontFace, TintStreams>();

function tintStreams(face: FontFace): TintStreams {
  let s = streams.get(face);
  if (s) return s;
  // The word in its own space: origin at the left end of the baseline, y down, in points.
  const scale = WORD_SIZE / face.unitsPerEm;
  const path = outlineOps(face, HIDDEN_WORD, { x: 0, y: 0, scaleX: scale, scaleY: scale });
  const width = face.widthOf(HIDDEN_WORD, WORD_SIZE);
  const m = WORD_BOLDEN;
  const bbox = [-m - 20, -WORD_SIZE * 1.1 - m, width + m + 20, WORD_SIZE * 0.35 + m];
  const word = { content: deflateSync(`${path}\nB`, { level: 9 }), bbox };

  const rad = (WORD_ANGLE * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
  // Counter-clockwise on the page, whose y axis points down.
  const words = hiddenWordPlacements()
    .map((at) => `q ${num(cos)} ${num(-sin)} ${num(sin)} ${num(cos)} ${num(at.x)} ${num(at.y)} cm /Wd Do Q`)
    .join('\n');
  const tint = [
    `/CsP cs ${TINT} /Pf scn 0 0 ${num(A4.width)} ${num(A4.height)} re f`,
    // First blank out the fine dots under the (bold) letters, then fill them with the coarse dots.
    `q 1 1 1 rg 1 1 1 RG ${WORD_BOLDEN} w 1 j`,
    words,
    'Q',
    `q /CsP cs ${TINT} /Pc scn /CsP CS ${TINT} /Pc SCN ${WORD_BOLDEN} w 1 j`,
    words,
    'Q',
  ].join('\n');
  const dot = (size: number) => deflateSync(`0 0 ${num(size)} ${num(size)} re f`);
  s = { word, tint: deflateSync(tint, { level: 9 }), fine: dot(FINE_DOT), coarse: dot(COARSE_DOT) };
  streams.set(face, s);
  return s;
}

const tints = new WeakMap<Canvas, PdfRef>();

/** The tint's form XObject in this document (written once, drawn on every page). */
function tintForm(canvas: Canvas): PdfRef {
  let form = tints.get(canvas);
  if (form) return form;
  const s = tintStreams(canvas.face);
  // Uncoloured tiling patterns: the colour comes from the operator that paints with them.
  const dots = (step: number, content: Buffer) =>
    canvas.stream({ Type: 'Pattern', PatternType: 1, PaintType: 2, TilingType: 2, BBox: [0, 0, step, step], XStep: step, YStep: step, Resources: {} }, content, true);
  const word = canvas.stream({ Type: 'XObject', Subtype: 'Form', BBox: s.word.bbox.map(num).map(Number) }, s.word.content, true);
  form = canvas.stream({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, A4.width, A4.height],
    Resources: {
      Pattern: { Pf: dots(FINE_STEP, s.fine), Pc: dots(COARSE_STEP, s.coarse) },
      ColorSpace: { CsP: ['Pattern', 'DeviceRGB'] },
      XObject: { Wd: word },
    },
  }, s.tint, true);
  tints.set(canvas, form);
  return form;
}

/** Paint the tint over the whole current page; call first, before any text. */
export function drawCopyDeterrent(canvas: Canvas): void {
  canvas.useXObject('Tint', tintForm(canvas));
  canvas.raw('q /Tint Do Q');
}
