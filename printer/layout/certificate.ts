// One issued copy of a certificate as one duplex A4 sheet: the front is the certificate as the counter would print
// it (title, record, certification, date, mayor and seal); the back carries the konbini marks a receiving
// organization checks (verification code, scramble image). Both sides carry the copy-deterrent tint and the
// issuance number, so a page can never be mistaken for part of another person's session.
import type { Font } from 'fontkit';
import type { IssuedCertificate, RecordField } from '../document.ts';
import { assertGlyphs, loadFont } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { A4, createPdf, type Pdf } from './pdf.ts';
import { eraDate, isoToDate } from './japan-date.ts';
import { drawCopyDeterrent } from './copy-deterrent.ts';
import { drawOfficialSeal, sealText } from './official-seal.ts';
import { drawScrambleImage } from './scramble-image.ts';

export const CERTIFICATE_PAGES = 2;
export const TEST_DATA_MARK = 'コンビニ交付（テストデータ）';
const SIMULATOR_NOTE = 'この証明書は証明書交付シミュレータが発行した見本であり、公的な効力はありません。';
const END_MARK = '以下余白';
const BACK_HEADING = '証明書の真正性の確認について';
const BACK_TEXT = [
  'この証明書の真正性は、発行元の証明書交付センターで確認できます。証明書を受け取った機関は、照会サイトに下記の確認コードと発行番号を入力し、表示される内容と表面の記載を照らし合わせてください。',
  'また、裏面全体を読み取ると下のスクランブル画像が復号され、表面と同じ内容が表示されます。',
  'この証明書を複写したものは、背景に「複写」の文字が現れます。',
];
const CODE_LABEL = '確認コード';
const SCRAMBLE_LABEL = 'スクランブル画像';

const INK = '#111111';
const RULE = '#3a3a3a';
const MARGIN = 48;
const CONTENT_W = A4.width - 2 * MARGIN;
const BODY_TOP = 104;
/** The record must end here; below is the certification, date, mayor and seal. */
const BODY_BOTTOM = 612;
/** Tried in order until the record fits: two pairs a row at readable sizes first, then three pairs a row. */
const FITS: Array<{ size: number; columns: number }> = [
  ...[10.5, 10, 9.5, 9].map((size) => ({ size, columns: 2 })),
  ...[10, 9.5, 9, 8.5, 8, 7.5, 7].map((size) => ({ size, columns: 3 })),
];
const NUMBER_STRIP = 18;
const BLOCK_GAP = 6;

/** Render one copy as a two-page PDF (front, back). */
export async function renderCertificatePdf(cert: IssuedCertificate): Promise<Buffer> {
  checkCertificate(cert);
  const { font } = loadFont();
  const { doc, done } = createPdf({ title: cert.title, createdAt: isoToDate(cert.issuedAt) });
  drawFront(doc, font, cert);
  doc.addPage();
  drawBack(doc, font, cert);
  return done(CERTIFICATE_PAGES);
}

/**
 * Everything that can make a copy unprintable, checked before any paper moves: copy numbering, the date, and a glyph
 * for every character of every text on the sheet.
 */
export function checkCertificate(cert: IssuedCertificate): void {
  const { copyIndex, copies } = cert;
  if (!Number.isInteger(copies) || copies < 1 || !Number.isInteger(copyIndex) || copyIndex < 1 || copyIndex > copies) {
    throw new DocumentLayoutError(
      `Copy ${copyIndex} of ${copies} is not a valid copy number; copyIndex must be 1..copies (whole numbers).`,
    );
  }
  for (const key of ['title', 'issuanceNumber', 'verificationCode', 'certification'] as const) {
    if (!cert[key]?.trim()) throw new DocumentLayoutError(`The certificate has no ${key}; the center must fill it in.`);
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
  const fixed = [TEST_DATA_MARK, SIMULATOR_NOTE, END_MARK, BACK_HEADING, ...BACK_TEXT, CODE_LABEL, SCRAMBLE_LABEL];
  fixed.forEach((t) => texts.push(['layout text', t]));
  return texts;
}

// ---- both sides ----

function pageMarks(doc: Pdf, cert: IssuedCertificate, side: '表' | '裏'): void {
  doc.fillColor(INK).fontSize(9);
  doc.text(`発行番号 ${cert.issuanceNumber}　${cert.copyIndex}/${cert.copies}`, MARGIN, 26, {
    width: CONTENT_W,
    align: 'right',
    lineBreak: false,
  });
  doc.fontSize(7.5).text(TEST_DATA_MARK, MARGIN, A4.height - 34, { lineBreak: false });
  doc.fontSize(6.5).text(`${SIMULATOR_NOTE}（${side}面）`, MARGIN, A4.height - 23, { lineBreak: false });
}

// ---- front ----

function drawFront(doc: Pdf, font: Font, cert: IssuedCertificate): void {
  drawCopyDeterrent(doc, font);
  pageMarks(doc, cert, '表');

  doc.fillColor(INK).fontSize(22);
  doc.text(cert.title, MARGIN, 56, { width: CONTENT_W, align: 'center', characterSpacing: 3, lineBreak: false });

  const plan = fitRecord(doc, cert);
  let y = BODY_TOP;
  if (plan.header.rows.length) {
    drawGrid(doc, plan.header, MARGIN, y, CONTENT_W, plan.style);
    doc.lineWidth(1).rect(MARGIN, y, CONTENT_W, plan.header.height).stroke(RULE);
    y += plan.header.height + BLOCK_GAP * 2;
  }
  plan.people.forEach((grid, i) => {
    drawGrid(doc, grid, MARGIN + NUMBER_STRIP, y, CONTENT_W - NUMBER_STRIP, plan.style);
    doc.lineWidth(0.5).moveTo(MARGIN + NUMBER_STRIP, y).lineTo(MARGIN + NUMBER_STRIP, y + grid.height).stroke(RULE);
    doc.fillColor(INK).fontSize(plan.style.size);
    doc.text(String(i + 1), MARGIN, y + grid.height / 2 - plan.style.size / 2, {
      width: NUMBER_STRIP,
      align: 'center',
      lineBreak: false,
    });
    doc.lineWidth(1).rect(MARGIN, y, CONTENT_W, grid.height).stroke(RULE);
    y += grid.height + BLOCK_GAP;
  });
  doc.fillColor(INK).fontSize(9).text(END_MARK, MARGIN, y + 2, { width: CONTENT_W, align: 'right', lineBreak: false });

  // Certification, date, mayor and seal sit at fixed places at the foot, as on the counter's form.
  let by = BODY_BOTTOM + 22;
  doc.fontSize(11.5).text(cert.certification, MARGIN + 24, by, { width: CONTENT_W - 48, lineGap: 3 });
  by += doc.heightOfString(cert.certification, { width: CONTENT_W - 48, lineGap: 3 }) + 10;
  doc.text(eraDate(cert.issuedAt), MARGIN + 48, by, { lineBreak: false });

  const mayorLine = `${cert.municipality.name}長　${cert.municipality.mayor}`;
  const sealSize = 64;
  const mayorRight = A4.width - MARGIN - sealSize + 8;
  const mayorY = Math.max(by + 40, 712);
  doc.fontSize(15);
  const mayorW = doc.widthOfString(mayorLine);
  doc.text(mayorLine, mayorRight - mayorW, mayorY, { lineBreak: false });
  // The seal is stamped over the end of the name, as a real 職印 is.
  drawOfficialSeal(doc, font, sealText(cert.municipality.name), mayorRight - 8, mayorY - 24, sealSize);
}

interface Cell {
  field: RecordField;
  /** Offset from the grid's left edge, and width, of the label+value pair. */
  x: number;
  w: number;
}
interface Row {
  cells: Cell[];
  height: number;
}
interface Grid {
  rows: Row[];
  height: number;
}
interface Style {
  size: number;
  /** label|value pairs per row. */
  columns: number;
  labelW: number;
  padX: number;
  padY: number;
}

const isName = (f: RecordField) => f.label === '氏名';
const valueSize = (f: RecordField, style: Style) => (isName(f) ? style.size * 1.25 : style.size);

/** Lay the record out at the largest font size that fits above the certification; too long a record is an error. */
function fitRecord(doc: Pdf, cert: IssuedCertificate): { style: Style; header: Grid; people: Grid[] } {
  const labels = [...cert.header, ...cert.people.flat()].map((f) => f.label);
  for (const { size, columns } of FITS) {
    doc.fontSize(size);
    const widest = Math.max(0, ...labels.map((l) => doc.widthOfString(l)));
    const style: Style = { size, columns, labelW: Math.min(Math.max(widest + 12, 52), 120), padX: 4, padY: size * 0.35 };
    const header = planGrid(doc, cert.header, CONTENT_W, style);
    const people = cert.people.map((p) => planGrid(doc, p, CONTENT_W - NUMBER_STRIP, style));
    const height =
      (header.rows.length ? header.height + BLOCK_GAP * 2 : 0) +
      people.reduce((h, g) => h + g.height + BLOCK_GAP, 0) +
      14; // 以下余白
    if (BODY_TOP + height <= BODY_BOTTOM) return { style, header, people };
  }
  throw new DocumentLayoutError(
    `The record (${cert.people.length} people, ${cert.header.length} header fields) does not fit on the front of one ` +
      `A4 sheet even at ${FITS.at(-1)!.size}pt. Issue it for fewer members per certificate (type-select), ` +
      `or shorten the fields the center sends.`,
  );
}

/**
 * Pack fields into rows of `columns` label|value slots, in their given order. A field takes as many slots as its value
 * needs (an address takes several); the last field of a row is stretched to the row's end, so no row has a hole.
 */
function planGrid(doc: Pdf, fields: RecordField[], width: number, style: Style): Grid {
  const slot = width / style.columns;
  const rows: Row[] = [];
  let used = style.columns; // slots used in the current row; full means "start a new row"
  for (const field of fields) {
    doc.fontSize(valueSize(field, style));
    const need = field.value.includes('\n') ? Infinity : doc.widthOfString(field.value) + 2 * style.padX + style.labelW;
    const span = Math.min(style.columns, Math.max(1, Math.ceil(need / slot)));
    if (used + span > style.columns) {
      rows.push({ cells: [], height: 0 });
      used = 0;
    }
    rows.at(-1)!.cells.push({ field, x: used * slot, w: span * slot });
    used += span;
  }
  for (const row of rows) {
    const last = row.cells.at(-1)!;
    last.w = width - last.x;
    row.height = Math.max(
      ...row.cells.map((c) => {
        doc.fontSize(style.size);
        const lh = doc.heightOfString(c.field.label, { width: style.labelW - 2 * style.padX });
        doc.fontSize(valueSize(c.field, style));
        const vh = doc.heightOfString(c.field.value, { width: c.w - style.labelW - 2 * style.padX, lineGap: 1 });
        return Math.max(lh, vh) + 2 * style.padY;
      }),
    );
  }
  return { rows, height: rows.reduce((h, r) => h + r.height, 0) };
}

function drawGrid(doc: Pdf, grid: Grid, x: number, y: number, width: number, style: Style): void {
  doc.lineWidth(0.5).strokeColor(RULE);
  for (const row of grid.rows) {
    if (row !== grid.rows[0]) doc.moveTo(x, y).lineTo(x + width, y).stroke();
    for (const cell of row.cells) {
      const cx = x + cell.x;
      if (cell.x > 0) doc.moveTo(cx, y).lineTo(cx, y + row.height).stroke();
      doc.moveTo(cx + style.labelW, y).lineTo(cx + style.labelW, y + row.height).stroke();
      doc.fillColor(INK).fontSize(style.size);
      doc.text(cell.field.label, cx + style.padX, y + style.padY, { width: style.labelW - 2 * style.padX });
      const vs = valueSize(cell.field, style);
      // Centre a single-line value against the label row when it is set larger (氏名).
      const dy = vs > style.size && !cell.field.value.includes('\n') ? -(vs - style.size) / 2 : 0;
      doc.fontSize(vs).text(cell.field.value, cx + style.labelW + style.padX, y + style.padY + dy, {
        width: cell.w - style.labelW - 2 * style.padX,
        lineGap: 1,
      });
    }
    y += row.height;
  }
}

// ---- back ----

function drawBack(doc: Pdf, font: Font, cert: IssuedCertificate): void {
  drawCopyDeterrent(doc, font);
  pageMarks(doc, cert, '裏');

  doc.fillColor(INK).fontSize(15);
  doc.text(BACK_HEADING, MARGIN, 70, { width: CONTENT_W, align: 'center', lineBreak: false });

  const textX = MARGIN + 16;
  const textW = CONTENT_W - 32;
  let y = 110;
  doc.fontSize(10.5);
  for (const para of BACK_TEXT) {
    doc.text(para, textX, y, { width: textW, lineGap: 3 });
    y += doc.heightOfString(para, { width: textW, lineGap: 3 }) + 6;
  }

  // The code box: the code large, alone on its line, so it can be read out or typed in without mistakes.
  y += 14;
  const boxW = 360;
  const boxX = (A4.width - boxW) / 2;
  const boxH = 80;
  doc.save();
  doc.rect(boxX, y, boxW, boxH).fill('white');
  doc.restore();
  doc.lineWidth(1.2).rect(boxX, y, boxW, boxH).stroke(INK);
  doc.fillColor(INK).fontSize(10).text(CODE_LABEL, boxX + 10, y + 8, { lineBreak: false });
  let codeSize = 28;
  doc.fontSize(codeSize);
  while (doc.widthOfString(cert.verificationCode, { characterSpacing: 2 }) > boxW - 24 && codeSize > 10) {
    doc.fontSize(--codeSize);
  }
  doc.text(cert.verificationCode, boxX + 12, y + 28 + (28 - codeSize) / 2, {
    width: boxW - 24,
    align: 'center',
    characterSpacing: 2,
    lineBreak: false,
  });
  y += boxH + 10;
  doc.fontSize(10).text(`発行番号 ${cert.issuanceNumber}　　交付日 ${eraDate(cert.issuedAt)}`, MARGIN, y, {
    width: CONTENT_W,
    align: 'center',
    lineBreak: false,
  });

  y += 34;
  const size = 220;
  doc.fontSize(10).text(SCRAMBLE_LABEL, MARGIN, y, { width: CONTENT_W, align: 'center', lineBreak: false });
  drawScrambleImage(doc, cert.verificationCode, (A4.width - size) / 2, y + 22, size);
}
