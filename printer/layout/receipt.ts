// The usage statement (利用明細) printed after the certificates: what was ordered, what was printed, and where every
// yen inserted went (fee, change, refund). One A4 page from the same tray as the certificates.
import type { Receipt } from '../document.ts';
import { assertGlyphs } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { A4, createPdf, type Pdf } from './pdf.ts';
import { isoToDate, japanDateTime } from './japan-date.ts';
import { TEST_DATA_MARK } from './certificate.ts';

export const RECEIPT_PAGES = 1;
const TITLE = '利用明細';
const REFUND_NOTE = '印刷できなかった証明書の手数料は返金しました。';
const COLUMNS = ['証明書', '通数', '単価', '印刷', '金額'];
const INFO_LABELS = ['店舗', '端末番号', '発行番号', '利用日時'];
const TOTAL_LABELS = ['手数料合計', 'お預かり', 'おつり', '返金'];

const INK = '#111111';
const RULE = '#3a3a3a';
const MARGIN = 72;
const WIDTH = A4.width - 2 * MARGIN;

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

export async function renderReceiptPdf(receipt: Receipt): Promise<Buffer> {
  checkReceipt(receipt);
  const { doc, done } = createPdf({ title: TITLE, createdAt: isoToDate(receipt.issuedAt) });
  drawReceipt(doc, receipt);
  return done(RECEIPT_PAGES);
}

/** Reject a receipt that cannot be printed truthfully: bad date, amounts that are not whole yen, missing glyphs. */
export function checkReceipt(receipt: Receipt): void {
  isoToDate(receipt.issuedAt);
  const amounts: Array<[string, number]> = [
    ['charged', receipt.charged],
    ['inserted', receipt.inserted],
    ['change', receipt.change],
    ['refunded', receipt.refunded],
    ...receipt.lines.flatMap((l, i): Array<[string, number]> => [
      [`lines[${i}].copies`, l.copies],
      [`lines[${i}].unitFee`, l.unitFee],
      [`lines[${i}].printed`, l.printed],
    ]),
  ];
  for (const [what, n] of amounts) {
    if (!Number.isInteger(n) || n < 0) {
      throw new DocumentLayoutError(`Receipt ${what} is ${n}; amounts and counts must be whole numbers of 0 or more.`);
    }
  }
  const texts: Array<[string, string]> = [
    ['storeName', receipt.storeName],
    ['terminalId', receipt.terminalId],
    ['issuanceNumber', receipt.issuanceNumber],
    ...receipt.lines.map((l, i): [string, string] => [`lines[${i}].title`, l.title]),
    ...[TITLE, REFUND_NOTE, TEST_DATA_MARK, ...COLUMNS, ...INFO_LABELS, ...TOTAL_LABELS].map(
      (t): [string, string] => ['layout text', t],
    ),
  ];
  for (const [where, text] of texts) assertGlyphs(text, `receipt ${where}`);
}

function drawReceipt(doc: Pdf, r: Receipt): void {
  doc.fillColor(INK).fontSize(9);
  doc.text(`発行番号 ${r.issuanceNumber}`, MARGIN, 26, { width: WIDTH, align: 'right', lineBreak: false });
  doc.fontSize(20).text(TITLE, MARGIN, 60, { width: WIDTH, align: 'center', characterSpacing: 4, lineBreak: false });

  let y = 116;
  const info = [r.storeName, r.terminalId, r.issuanceNumber, japanDateTime(r.issuedAt)];
  doc.fontSize(10.5);
  INFO_LABELS.forEach((label, i) => {
    doc.text(label, MARGIN, y, { width: 80, lineBreak: false });
    doc.text(info[i], MARGIN + 90, y, { width: WIDTH - 90 });
    y += Math.max(18, doc.heightOfString(info[i], { width: WIDTH - 90 }) + 4);
  });

  // The lines: one row per certificate ordered; amounts right-aligned in their columns.
  y += 14;
  const colX = [0, 250, 300, 370, 400].map((x) => MARGIN + x);
  const colW = [240, 40, 60, 30, WIDTH - 400];
  const rowH = 22;
  const row = (cells: string[], yy: number) =>
    cells.forEach((c, i) =>
      doc.text(c, colX[i], yy + 6, { width: colW[i], align: i === 0 ? 'left' : 'right', lineBreak: false }),
    );
  doc.lineWidth(1).moveTo(MARGIN, y).lineTo(MARGIN + WIDTH, y).stroke(RULE);
  row(COLUMNS, y);
  y += rowH;
  doc.lineWidth(0.5).moveTo(MARGIN, y).lineTo(MARGIN + WIDTH, y).stroke(RULE);
  for (const line of r.lines) {
    doc.fontSize(10.5);
    // A long certificate name is shrunk to its column rather than running into the numbers.
    let size = 10.5;
    while (doc.widthOfString(line.title) > colW[0] && size > 7) doc.fontSize((size -= 0.5));
    doc.text(line.title, colX[0], y + 6, { width: colW[0], lineBreak: false });
    doc.fontSize(10.5);
    row(['', String(line.copies), yen(line.unitFee), String(line.printed), yen(line.unitFee * line.printed)], y);
    y += rowH;
    doc.lineWidth(0.3).moveTo(MARGIN, y).lineTo(MARGIN + WIDTH, y).stroke(RULE);
  }
  doc.lineWidth(1).moveTo(MARGIN, y).lineTo(MARGIN + WIDTH, y).stroke(RULE);

  y += 16;
  const totals = [r.charged, r.inserted, r.change, r.refunded];
  TOTAL_LABELS.forEach((label, i) => {
    doc.fontSize(i === 0 ? 12 : 10.5);
    doc.text(label, MARGIN + 250, y, { width: 120, lineBreak: false });
    doc.text(yen(totals[i]), MARGIN + 370, y, { width: WIDTH - 370, align: 'right', lineBreak: false });
    y += i === 0 ? 24 : 20;
  });
  if (r.refunded > 0) {
    doc.fontSize(9.5).text(REFUND_NOTE, MARGIN, y + 10, { width: WIDTH, align: 'right', lineBreak: false });
  }

  doc.fontSize(7.5).text(TEST_DATA_MARK, MARGIN, A4.height - 34, { lineBreak: false });
}
