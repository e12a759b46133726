// The usage statement (利用明細) printed after the certificates: what was ordered, what was printed, and where every
// yen inserted went (fee, change, refund). One A4 page from the same tray as the certificates.
import type { Receipt } from '../document.ts';
import { assertGlyphs } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { A4, createPdf, rgb, type Canvas } from './pdf.ts';
import { isoToDate, japanDateTime } from './japan-date.ts';
import { TEST_DATA_MARK } from './certificate.ts';

export const RECEIPT_PAGES = 1;
const TITLE = '利用明細';
const REFUND_NOTE = '印刷できなかった証明書の手数料は返金しました。';
const COLUMNS = ['証明書', '通数', '単価', '印刷', '金額'];
const INFO_LABELS = ['店舗', '端末番号', '発行番号', '利用日時'];
const TOTAL_LABELS = ['手数料合計', 'お預かり', 'おつり', '返金'];
/** Their glyphs start every receipt's font subset (see truetype-subset.ts). */
const FIXED_TEXTS = [TITLE, REFUND_NOTE, ...COLUMNS, ...INFO_LABELS, ...TOTAL_LABELS, TEST_DATA_MARK, '発行番号 0123456789,円年月日:-', '住民票の写し'];

const RULE = rgb('#3a3a3a');
const MARGIN = 72;
const WIDTH = A4.width - 2 * MARGIN;

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

export async function renderReceiptPdf(receipt: Receipt): Promise<Buffer> {
  checkReceipt(receipt);
  const canvas = createPdf({ title: TITLE, createdAt: isoToDate(receipt.issuedAt), fixedTexts: FIXED_TEXTS });
  drawReceipt(canvas, receipt);
  return canvas.finish(RECEIPT_PAGES);
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

function drawReceipt(canvas: Canvas, r: Receipt): void {
  canvas.text(`発行番号 ${r.issuanceNumber}`, MARGIN, 26, 9, { width: WIDTH, align: 'right' });
  canvas.text(TITLE, MARGIN, 60, 20, { width: WIDTH, align: 'center', spacing: 4 });

  let y = 116;
  const info = [r.storeName, r.terminalId, r.issuanceNumber, japanDateTime(r.issuedAt)];
  INFO_LABELS.forEach((label, i) => {
    canvas.text(label, MARGIN, y, 10.5);
    y += Math.max(18, canvas.paragraph(info[i], MARGIN + 90, y, WIDTH - 90, 10.5) + 4);
  });

  // The lines: one row per certificate ordered; amounts right-aligned in their columns.
  y += 14;
  const colX = [0, 250, 300, 370, 400].map((x) => MARGIN + x);
  const colW = [240, 40, 60, 30, WIDTH - 400];
  const rowH = 22;
  const row = (cells: string[], yy: number) =>
    cells.forEach((c, i) => canvas.text(c, colX[i], yy + 6, 10.5, { width: colW[i], align: i === 0 ? 'left' : 'right' }));
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 1, RULE);
  row(COLUMNS, y);
  y += rowH;
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 0.5, RULE);
  for (const line of r.lines) {
    // A long certificate name is shrunk to its column rather than running into the numbers.
    let size = 10.5;
    while (canvas.widthOf(line.title, size) > colW[0] && size > 7) size -= 0.5;
    canvas.text(line.title, colX[0], y + 6 + (10.5 - size) / 2, size);
    row(['', String(line.copies), yen(line.unitFee), String(line.printed), yen(line.unitFee * line.printed)], y);
    y += rowH;
    canvas.line(MARGIN, y, MARGIN + WIDTH, y, 0.3, RULE);
  }
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 1, RULE);

  y += 16;
  const totals = [r.charged, r.inserted, r.change, r.refunded];
  TOTAL_LABELS.forEach((label, i) => {
    const size = i === 0 ? 12 : 10.5;
    canvas.text(label, MARGIN + 250, y, size);
    canvas.text(yen(totals[i]), MARGIN + 370, y, size, { width: WIDTH - 370, align: 'right' });
    y += i === 0 ? 24 : 20;
  });
  if (r.refunded > 0) canvas.text(REFUND_NOTE, MARGIN, y + 10, 9.5, { width: WIDTH, align: 'right' });

  canvas.text(TEST_DATA_MARK, MARGIN, A4.height - 34, 7.5);
}
