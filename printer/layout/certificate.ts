// One issued copy of a certificate, as duplex A4 sheets: the front is the certificate as the counter would print it
// (title, record, certification, date, mayor and seal); the back carries the konbini marks a receiving organization
// checks (verification code, scramble image). Every page carries the copy-deterrent tint, the issuance number, the
// copy number and "page n of m", so a page can never be mistaken for part of another person's session.
//
// A record that fits on one front (every certificate of the sample data) makes one sheet: two pages. A longer one
// (a large household, a long 附票 history) flows onto further sheets, each with its own back, and only the last front
// carries the certification, date, mayor and seal. The layout is planned before anything is drawn (planCertificate),
// so the printer knows how many sheets a copy takes without rendering it.
import type { IssuedCertificate, RecordField } from '../document.ts';
import { assertGlyphs, loadFont, type FontFace } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { A4, createPdf, rgb, wrapText, type Canvas } from './pdf.ts';
import { eraDate, isoToDate } from './japan-date.ts';
import { drawCopyDeterrent } from './copy-deterrent.ts';
import { drawOfficialSeal, drawSealImpression, sealText } from './official-seal.ts';
import { drawScrambleImage } from './scramble-image.ts';

/** More sheets than this for one copy means the data is wrong, not long. */
export const MAX_SHEETS = 10;
export const TEST_DATA_MARK = 'コンビニ交付（テストデータ）';
const SIMULATOR_NOTE = 'この証明書は証明書交付シミュレータが発行した見本であり、公的な効力はありません。';
const END_MARK = '以下余白';
const CONTINUED = '（続き）';
const BACK_HEADING = '証明書の真正性の確認について';
const BACK_TEXT = [
  'この証明書の真正性は、発行元の証明書交付センターで確認できます。証明書を受け取った機関は、照会サイトに下記の確認コードと発行番号を入力し、表示される内容と表面の記載を照らし合わせてください。',
  'また、裏面全体を読み取ると下のスクランブル画像が復号され、表面と同じ内容が表示されます。',
  'この証明書を複写したものは、背景に「複写」の文字が現れます。',
];
const CODE_LABEL = '確認コード';
const SCRAMBLE_LABEL = 'スクランブル画像';
const KOSEKI_CAPTION = '戸籍に記録されている者';
const ADDRESS_HEADING = '住所';
const DATE_HEADING = '住所を定めた年月日';
const IMPRESSION_LABEL = '印影';
const REGISTRATION_LABEL = '登録番号';
const SHEET_WORDS = '通中通目表裏面発行番号交付日第号';

/** Printed on every certificate, or on most: their glyphs start every subset (see truetype-subset.ts). */
const FIXED_TEXTS = [
  TEST_DATA_MARK, SIMULATOR_NOTE, END_MARK, BACK_HEADING, ...BACK_TEXT, CODE_LABEL, SCRAMBLE_LABEL, SHEET_WORDS,
  '0123456789/（）-　令和年月日', '証明する。写しは、の原本と相違ないことを', '市区町村長', '氏名生年月日性別続柄住所世帯主',
];

const RULE = rgb('#3a3a3a');
const WHITE = rgb('#ffffff');
const BLACK = rgb('#111111');
const MARGIN = 48;
const CONTENT_W = A4.width - 2 * MARGIN;
const BODY_TOP = 104;
/** Top of the record on a continuation front. */
const CONTINUATION_TOP = 92;
/** On the last front the record ends here; below are the certification, date, mayor and seal. */
const BODY_BOTTOM = 612;
/** On a front that is not the last the record may run down to here (above the page marks). */
const BODY_LIMIT = A4.height - 64;
const END_MARK_H = 16;
/** Tried in order until the record fits on one front: two pairs a row at readable sizes first, then three. */
const FITS: Style[] = [
  ...[10.5, 10, 9.5, 9].map((size) => style(size, 2)),
  ...[9.5, 9, 8.5].map((size) => style(size, 3)),
];
/** The style of a record that needs more than one front. */
const PAGED = style(10, 2);
const NUMBER_STRIP = 18;
const BLOCK_GAP = 6;
const IMPRESSION_SIZE = 62;

interface Style {
  size: number;
  /** label|value pairs per row. */
  columns: number;
  padX: number;
  padY: number;
}
function style(size: number, columns: number): Style {
  return { size, columns, padX: 4, padY: size * 0.35 };
}

// ---- the plan ----

interface Cell {
  x: number;
  w: number;
  /** Width of the label column (0: a table cell without label). */
  labelW: number;
  labelLines: string[];
  valueLines: string[];
  valueSize: number;
}
interface Row {
  cells: Cell[];
  height: number;
}
interface Block {
  rows: Row[];
  /** The number in the strip left of a person's block (a household member, a register member); null: no strip. */
  number: number | null;
  /** A line above the block, kept on the same page (戸籍に記録されている者). */
  caption: string | null;
  /** 印鑑登録証明書: the impression box instead of rows. */
  impression: { text: string; registrationNumber: string } | null;
  gapAfter: number;
}
/** The part of a block on one page. */
interface Fragment {
  block: Block;
  rows: Row[];
  first: boolean;
  height: number;
}
interface FrontPage {
  fragments: Fragment[];
}
export interface CertificatePlan {
  style: Style;
  labelW: number;
  fronts: FrontPage[];
  /** Pages in the PDF: a front and a back for each sheet. */
  pages: number;
}

const isName = (f: RecordField) => f.label === '氏名';
const numberedKinds = new Set(['juminhyo', 'kisai', 'koseki-zenbu', 'koseki-kojin']);

/** How the copy will be laid out: font size, rows and which block goes on which front. */
export function planCertificate(cert: IssuedCertificate, face: FontFace = loadFont().face): CertificatePlan {
  const labels = [...cert.header, ...cert.people.flat()].map((f) => f.label);
  const plan = (s: Style) => {
    const widest = Math.max(0, ...labels.map((l) => face.widthOf(l, s.size)));
    const labelW = Math.min(Math.max(widest + 2 * s.padX + 4, 52), 120);
    return { style: s, labelW, blocks: planBlocks(face, cert, s, labelW) };
  };
  for (const s of FITS) {
    const p = plan(s);
    const height = p.blocks.reduce((h, b) => h + blockHeight(b, b.rows) + captionHeight(b) + b.gapAfter, 0) + END_MARK_H;
    if (BODY_TOP + height <= BODY_BOTTOM) {
      const fragments = p.blocks.map((b) => fragment(b, b.rows, true));
      return { style: s, labelW: p.labelW, fronts: [{ fragments }], pages: 2 };
    }
  }
  const p = plan(PAGED);
  const fronts = paginate(p.blocks);
  if (fronts.length > MAX_SHEETS) {
    throw new DocumentLayoutError(
      `The record (${cert.people.length} people, ${cert.header.length} header fields) needs ${fronts.length} sheets; ` +
        `more than ${MAX_SHEETS} for one copy means the data is wrong. Check the fields the center sends.`,
    );
  }
  return { style: PAGED, labelW: p.labelW, fronts, pages: 2 * fronts.length };
}

function planBlocks(face: FontFace, cert: IssuedCertificate, s: Style, labelW: number): Block[] {
  const blocks: Block[] = [];
  if (cert.header.length) {
    blocks.push({ rows: planRows(face, cert.header, CONTENT_W, s, labelW), number: null, caption: null, impression: null, gapAfter: BLOCK_GAP * 2 });
  }
  const numbered = numberedKinds.has(cert.kind);
  cert.people.forEach((person, i) => {
    const width = numbered ? CONTENT_W - NUMBER_STRIP : CONTENT_W;
    blocks.push({
      rows: planRows(face, person, width, s, labelW),
      number: numbered ? i + 1 : null,
      caption: i === 0 && cert.kind.startsWith('koseki') ? KOSEKI_CAPTION : null,
      impression: null,
      gapAfter: BLOCK_GAP,
    });
  });
  if (cert.sealImpression) {
    blocks.push({ rows: [], number: null, caption: null, impression: cert.sealImpression, gapAfter: BLOCK_GAP });
  }
  return blocks;
}

/**
 * Pack fields into rows of `columns` label|value slots, in their given order. A field takes as many slots as its value
 * needs (an address takes several); the last field of a row is stretched to the row's end, so no row has a hole.
 * A run of addresses each followed by the day it was set (a 附票's history) becomes a table: 住所 | 住所を定めた年月日.
 */
function planRows(face: FontFace, fields: RecordField[], width: number, s: Style, labelW: number): Row[] {
  const slot = width / s.columns;
  type Planned = { label: string; value: string; x: number; w: number; labelW: number; size: number };
  const rows: Planned[][] = [];
  let used = s.columns; // slots used in the current row; full means "start a new row"
  const valueSize = (f: RecordField) => (isName(f) ? s.size * 1.25 : s.size);
  const isHistory = (i: number) => fields[i]?.label === '住所' && fields[i + 1]?.label === '住所を定めた年月日';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (isHistory(i)) {
      const pairs: Array<[string, string]> = [];
      for (; isHistory(i); i += 2) pairs.push([fields[i].value, fields[i + 1].value]);
      i--;
      const dateW = Math.max(...[DATE_HEADING, ...pairs.map(([, d]) => d)].map((t) => face.widthOf(t, s.size))) + 2 * s.padX + 4;
      const row = (a: string, d: string): Planned[] => [
        { label: '', value: a, x: 0, w: width - dateW, labelW: 0, size: s.size },
        { label: '', value: d, x: width - dateW, w: dateW, labelW: 0, size: s.size },
      ];
      rows.push(row(ADDRESS_HEADING, DATE_HEADING), ...pairs.map(([a, d]) => row(a, d)));
      used = s.columns;
      continue;
    }
    const need = field.value.includes('\n') ? Infinity : face.widthOf(field.value, valueSize(field)) + 2 * s.padX + labelW;
    const span = Math.min(s.columns, Math.max(1, Math.ceil(need / slot)));
    if (used + span > s.columns) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push({ label: field.label, value: field.value, x: used * slot, w: span * slot, labelW, size: valueSize(field) });
    used += span;
  }
  const lh = (size: number) => ((face.ascent - face.descent) * size) / face.unitsPerEm;
  return rows.map((cells) => {
    const last = cells.at(-1)!;
    last.w = width - last.x;
    const planned: Cell[] = cells.map((c) => ({
      x: c.x,
      w: c.w,
      labelW: c.labelW,
      labelLines: c.labelW ? wrapText(face, c.label, c.labelW - 2 * s.padX, s.size) : [],
      valueLines: wrapText(face, c.value, c.w - c.labelW - 2 * s.padX, c.size),
      valueSize: c.size,
    }));
    const height = Math.max(
      ...planned.map((c) => Math.max(c.labelLines.length * lh(s.size), c.valueLines.length * (lh(c.valueSize) + 1) - 1)),
    );
    return { cells: planned, height: height + 2 * s.padY };
  });
}

const impressionHeight = () => IMPRESSION_SIZE + 28;
const captionHeight = (b: Block) => (b.caption ? 16 : 0);
const blockHeight = (b: Block, rows: Row[]) => (b.impression ? impressionHeight() : rows.reduce((h, r) => h + r.height, 0));
const fragment = (block: Block, rows: Row[], first: boolean): Fragment => ({
  block,
  rows,
  first,
  height: blockHeight(block, rows) + (first ? captionHeight(block) : 0),
});

/** Fronts for a record longer than one: whole blocks where they fit, split between rows where they do not. */
function paginate(blocks: Block[]): FrontPage[] {
  const pages: FrontPage[] = [{ fragments: [] }];
  let y = BODY_TOP;
  const newPage = () => {
    pages.push({ fragments: [] });
    y = CONTINUATION_TOP;
  };
  for (const block of blocks) {
    const whole = fragment(block, block.rows, true);
    if (y + whole.height > BODY_LIMIT && pages.at(-1)!.fragments.length && CONTINUATION_TOP + whole.height <= BODY_LIMIT) newPage();
    if (y + whole.height <= BODY_LIMIT) {
      pages.at(-1)!.fragments.push(whole);
      y += whole.height + block.gapAfter;
      continue;
    }
    // Taller than a page: row by row.
    let rows: Row[] = [];
    let first = true;
    for (const row of block.rows) {
      const h = fragment(block, [...rows, row], first).height;
      if (y + h > BODY_LIMIT && (rows.length || pages.at(-1)!.fragments.length)) {
        if (rows.length) pages.at(-1)!.fragments.push(fragment(block, rows, first));
        if (rows.length) first = false;
        rows = [];
        newPage();
      }
      rows.push(row);
    }
    const last = fragment(block, rows, first);
    pages.at(-1)!.fragments.push(last);
    y += last.height + block.gapAfter;
  }
  // The last front also carries the certification: if its record runs into that space, its last block (or the
  // last rows of it) moves to a front of its own.
  const lastPage = pages.at(-1)!;
  const bottom = (p: FrontPage, top: number) => p.fragments.reduce((h, f) => h + f.height + f.block.gapAfter, top) + END_MARK_H;
  if (bottom(lastPage, pages.length === 1 ? BODY_TOP : CONTINUATION_TOP) > BODY_BOTTOM) {
    const tail = lastPage.fragments.pop()!;
    if (CONTINUATION_TOP + tail.height + END_MARK_H <= BODY_BOTTOM || tail.rows.length < 2) {
      if (!lastPage.fragments.length) lastPage.fragments.push(tail);
      else pages.push({ fragments: [tail] });
    } else {
      const keep = fragment(tail.block, tail.rows.slice(0, -1), tail.first);
      lastPage.fragments.push(keep);
      pages.push({ fragments: [fragment(tail.block, tail.rows.slice(-1), false)] });
    }
  }
  return pages.filter((p) => p.fragments.length);
}

// ---- rendering ----

/** Render one copy as a PDF: front and back of each sheet (two pages for a record that fits one front). */
export async function renderCertificatePdf(cert: IssuedCertificate): Promise<Buffer> {
  checkFields(cert);
  const canvas = createPdf({ title: cert.title, createdAt: isoToDate(cert.issuedAt), fixedTexts: FIXED_TEXTS });
  const plan = planCertificate(cert, canvas.face);
  plan.fronts.forEach((front, i) => {
    if (i) canvas.addPage();
    drawFront(canvas, cert, plan, i);
    canvas.addPage();
    drawBack(canvas, cert, plan, i);
  });
  return canvas.finish(plan.pages);
}

/**
 * Everything that can make a copy unprintable, checked before any paper moves: copy numbering, the date, a glyph
 * for every character of every text on the sheet, and a record that fits a sane number of sheets.
 */
export function checkCertificate(cert: IssuedCertificate): void {
  checkFields(cert);
  planCertificate(cert);
}

function checkFields(cert: IssuedCertificate): void {
  const { copyIndex, copies } = cert;
  if (!Number.isInteger(copies) || copies < 1 || !Number.isInteger(copyIndex) || copyIndex < 1 || copyIndex > copies) {
    throw new DocumentLayoutError(
      `Copy ${copyIndex} of ${copies} is not a valid copy number; copyIndex must be 1..copies (whole numbers).`,
    );
  }
  for (const key of ['title', 'issuanceNumber', 'verificationCode', 'certification'] as const) {
    if (!cert[key]?.trim()) throw new DocumentLayoutError(`The certificate has no ${key}; the center must fill it in.`);
  }
  if (cert.sealImpression && !cert.sealImpression.text.trim()) {
    throw new DocumentLayoutError('The seal impression has no characters; the center must send the registered seal as carved.');
  }
  eraDate(cert.issuedAt);
  for (const [where, text] of certificateTexts(cert)) assertGlyphs(text, where);
}

/** Every text printed on the sheet, with where it comes from (for MissingGlyphError messages). */
export function certificateTexts(cert: IssuedCertificate): Array<[string, string]> {
  const texts: Array<[string, string]> = [
    ['title', cert.title],
    ['issuanceNumber', cert.issuanceNumber],
    ['verificationCode', cert.verificationCode],
    ['certification', cert.certification],
    ['municipality.name', cert.municipality.name],
    ['municipality.mayor', cert.municipality.mayor],
  ];
  cert.header.forEach((f, i) => texts.push([`header[${i}].label`, f.label], [`header[${i}] ${f.label}`, f.value]));
  cert.people.forEach((person, p) =>
    person.forEach((f, i) => texts.push([`people[${p}][${i}].label`, f.label], [`people[${p}] ${f.label}`, f.value])),
  );
  if (cert.sealImpression) {
    texts.push(['sealImpression.text', cert.sealImpression.text], ['sealImpression.registrationNumber', cert.sealImpression.registrationNumber]);
  }
  const fixed = [
    TEST_DATA_MARK, SIMULATOR_NOTE, END_MARK, CONTINUED, BACK_HEADING, ...BACK_TEXT, CODE_LABEL, SCRAMBLE_LABEL,
    KOSEKI_CAPTION, ADDRESS_HEADING, DATE_HEADING, IMPRESSION_LABEL, REGISTRATION_LABEL, SHEET_WORDS, '0123456789/（）',
  ];
  fixed.forEach((t) => texts.push(['layout text', t]));
  return texts;
}

// ---- both sides ----

function pageMarks(canvas: Canvas, cert: IssuedCertificate, page: number, pages: number, side: '表' | '裏'): void {
  canvas.text(`発行番号 ${cert.issuanceNumber}　${cert.copies}通中${cert.copyIndex}通目`, MARGIN, 26, 9, { width: CONTENT_W, align: 'right' });
  canvas.text(TEST_DATA_MARK, MARGIN, A4.height - 36, 7.5);
  canvas.text(`${SIMULATOR_NOTE}（${side}面）`, MARGIN, A4.height - 24, 6.5);
  canvas.text(`（${page}/${pages}）`, MARGIN, A4.height - 36, 9, { width: CONTENT_W, align: 'right' });
}

// ---- front ----

function drawFront(canvas: Canvas, cert: IssuedCertificate, plan: CertificatePlan, sheet: number): void {
  const front = plan.fronts[sheet];
  const last = sheet === plan.fronts.length - 1;
  drawCopyDeterrent(canvas);
  pageMarks(canvas, cert, 2 * sheet + 1, plan.pages, '表');

  let y: number;
  if (sheet === 0) {
    canvas.text(cert.title, MARGIN, 56, 22, { width: CONTENT_W, align: 'center', spacing: 3 });
    y = BODY_TOP;
  } else {
    canvas.text(`${cert.title}${CONTINUED}`, MARGIN, 58, 13, { width: CONTENT_W, align: 'center', spacing: 1 });
    y = CONTINUATION_TOP;
  }
  for (const frag of front.fragments) {
    drawFragment(canvas, frag, y, plan);
    y += frag.height + frag.block.gapAfter;
  }
  if (last) canvas.text(END_MARK, MARGIN, y + 1, 9, { width: CONTENT_W, align: 'right' });
  if (last) drawFoot(canvas, cert);
}

/** Certification, date, mayor and seal sit at fixed places at the foot of the last front, as on the counter's form. */
function drawFoot(canvas: Canvas, cert: IssuedCertificate): void {
  let by = BODY_BOTTOM + 22;
  by += canvas.paragraph(cert.certification, MARGIN + 24, by, CONTENT_W - 48, 11.5, { lineGap: 3 }) + 10;
  canvas.text(eraDate(cert.issuedAt), MARGIN + 48, by, 11.5);

  const mayorLine = `${cert.municipality.name}長　${cert.municipality.mayor}`;
  const sealSize = 64;
  const mayorRight = A4.width - MARGIN - sealSize + 8;
  const mayorY = Math.max(by + 40, 712);
  let size = 15;
  while (canvas.widthOf(mayorLine, size) > CONTENT_W - 80 && size > 9) size -= 0.5;
  canvas.text(mayorLine, mayorRight - canvas.widthOf(mayorLine, size), mayorY, size);
  // The seal is stamped over the end of the name, as a real 職印 is.
  drawOfficialSeal(canvas, sealText(cert.municipality.name), mayorRight - 8, mayorY - 24, sealSize);
}

function drawFragment(canvas: Canvas, frag: Fragment, y: number, plan: CertificatePlan): void {
  const { block } = frag;
  const s = plan.style;
  if (frag.first && block.caption) {
    canvas.text(block.caption, MARGIN, y + 1, s.size);
    y += captionHeight(block);
  }
  const h = blockHeight(block, frag.rows);
  if (block.impression) {
    drawImpressionBlock(canvas, block.impression, y, plan);
    canvas.strokeRect(MARGIN, y, CONTENT_W, h, 1, RULE);
    return;
  }
  const strip = block.number === null ? 0 : NUMBER_STRIP;
  const x = MARGIN + strip;
  const width = CONTENT_W - strip;
  let ry = y;
  for (const row of frag.rows) {
    if (row !== frag.rows[0]) canvas.line(x, ry, x + width, ry, 0.5, RULE);
    for (const cell of row.cells) {
      const cx = x + cell.x;
      if (cell.x > 0) canvas.line(cx, ry, cx, ry + row.height, 0.5, RULE);
      if (cell.labelW) canvas.line(cx + cell.labelW, ry, cx + cell.labelW, ry + row.height, 0.5, RULE);
      drawLines(canvas, cell.labelLines, cx + s.padX, ry, row.height, s.size, s.padY);
      drawLines(canvas, cell.valueLines, cx + cell.labelW + s.padX, ry, row.height, cell.valueSize, s.padY);
    }
    ry += row.height;
  }
  if (strip) {
    canvas.line(x, y, x, y + h, 0.5, RULE);
    canvas.text(String(block.number), MARGIN, y + h / 2 - canvas.lineHeight(s.size) / 2, s.size, { width: NUMBER_STRIP, align: 'center' });
  }
  canvas.strokeRect(MARGIN, y, CONTENT_W, h, 1, RULE);
}

/** A cell's lines: a single line centred in the row, several from the top. */
function drawLines(canvas: Canvas, lines: string[], x: number, y: number, rowH: number, size: number, padY: number): void {
  const lh = canvas.lineHeight(size);
  const top = lines.length === 1 ? y + (rowH - lh) / 2 : y + padY;
  lines.forEach((line, i) => canvas.text(line, x, top + i * (lh + 1), size));
}

/** 印影: the registered seal's impression in a box, with its registration number. */
function drawImpressionBlock(canvas: Canvas, impression: { text: string; registrationNumber: string }, y: number, plan: CertificatePlan): void {
  const s = plan.style;
  const h = impressionHeight();
  canvas.line(MARGIN + plan.labelW, y, MARGIN + plan.labelW, y + h, 0.5, RULE);
  canvas.text(IMPRESSION_LABEL, MARGIN + s.padX, y + (h - canvas.lineHeight(s.size)) / 2, s.size);
  const box = IMPRESSION_SIZE + 16;
  const bx = MARGIN + plan.labelW + 24;
  const by = y + (h - box) / 2;
  canvas.strokeRect(bx, by, box, box, 0.5, RULE);
  drawSealImpression(canvas, impression.text, bx + 8, by + 8, IMPRESSION_SIZE);
  const tx = bx + box + 24;
  canvas.text(`${REGISTRATION_LABEL}　第${impression.registrationNumber}号`, tx, y + h / 2 - canvas.lineHeight(s.size), s.size);
}

// ---- back ----

function drawBack(canvas: Canvas, cert: IssuedCertificate, plan: CertificatePlan, sheet: number): void {
  drawCopyDeterrent(canvas);
  pageMarks(canvas, cert, 2 * sheet + 2, plan.pages, '裏');

  canvas.text(BACK_HEADING, MARGIN, 70, 15, { width: CONTENT_W, align: 'center' });
  const textX = MARGIN + 16;
  const textW = CONTENT_W - 32;
  let y = 110;
  for (const para of BACK_TEXT) y += canvas.paragraph(para, textX, y, textW, 10.5, { lineGap: 3 }) + 6;

  // The code box: the code large, alone on its line, so it can be read out or typed in without mistakes.
  y += 14;
  const boxW = 360;
  const boxX = (A4.width - boxW) / 2;
  const boxH = 80;
  canvas.fillRect(boxX, y, boxW, boxH, WHITE);
  canvas.strokeRect(boxX, y, boxW, boxH, 1.2, BLACK);
  canvas.text(CODE_LABEL, boxX + 10, y + 8, 10);
  let codeSize = 28;
  while (canvas.widthOf(cert.verificationCode, codeSize, 2) > boxW - 24 && codeSize > 10) codeSize--;
  canvas.text(cert.verificationCode, boxX + 12, y + 28 + (28 - codeSize) / 2, codeSize, { width: boxW - 24, align: 'center', spacing: 2 });
  y += boxH + 10;
  canvas.text(`発行番号 ${cert.issuanceNumber}　　交付日 ${eraDate(cert.issuedAt)}`, MARGIN, y, 10, { width: CONTENT_W, align: 'center' });

  y += 34;
  const size = 220;
  canvas.text(SCRAMBLE_LABEL, MARGIN, y, 10, { width: CONTENT_W, align: 'center' });
  drawScrambleImage(canvas, cert.verificationCode, (A4.width - size) / 2, y + 22, size, sheet + 1);
}
