// The refund slip (返金票): when paid copies failed to print and the machine cannot pay the money back, it prints
// this slip instead, and the store's staff pay the amount at the counter. One A4 page: what failed, what is owed,
// and what to do with the slip.
import type { RefundSlip } from '../document.ts';
import { assertGlyphs } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';
import { A4, createPdf, rgb, type Canvas } from './pdf.ts';
import { isoToDate, japanDateTime } from './japan-date.ts';
import { TEST_DATA_MARK } from './certificate.ts';
import { yen } from './receipt.ts';

export const REFUND_SLIP_PAGES = 1;
const TITLE = '返金票';
const LEAD = '証明書を印刷できなかったため、お支払いいただいた手数料をお返しします。';
/** A slip for change the machine could not pay, every copy printed. */
const LEAD_CHANGE = 'おつりを機械からお支払いできなかったため、その金額をお返しします。';
const WHAT_TO_DO = [
  'この返金票を、この店舗のレジ（カウンター）にお持ちください。',
  '店員が下記の金額を現金でお支払いします。',
  'この返金票は一度だけ有効です。お支払いの際に店舗でお預かりします。',
];
const COLUMNS = ['証明書', '印刷できなかったもの', '単価', '返金額'];
const INFO_LABELS = ['店舗', '端末番号', '発行番号', '日時'];
const REASON_LABEL = '理由';
const REFUND_TOTAL = '手数料の返金';
const UNPAID_CHANGE = 'お支払いできなかったおつり';
const OWED = 'お支払いする金額';
const NO_NUMBER = '―（発行前）';
/** Their glyphs start every slip's font subset (see truetype-subset.ts). */
const FIXED_TEXTS = [
  TITLE, LEAD, LEAD_CHANGE, ...WHAT_TO_DO, ...COLUMNS, ...INFO_LABELS, REASON_LABEL, REFUND_TOTAL, UNPAID_CHANGE, OWED, NO_NUMBER,
  TEST_DATA_MARK, '発行番号 0123456789,円年月日:-通中目・', '住民票の写し',
];

const RULE = rgb('#3a3a3a');
const BOX = rgb('#111111');
const MARGIN = 72;
const WIDTH = A4.width - 2 * MARGIN;

/** 3通中 2・3通目 */
const failedCopiesText = (f: RefundSlip['failed'][number]) => `${f.copies}通中 ${f.failedCopies.join('・')}通目`;

export async function renderRefundSlipPdf(slip: RefundSlip): Promise<Buffer> {
  checkRefundSlip(slip);
  const canvas = createPdf({ title: TITLE, createdAt: isoToDate(slip.issuedAt), fixedTexts: FIXED_TEXTS });
  drawSlip(canvas, slip);
  return canvas.finish(REFUND_SLIP_PAGES);
}

/** Refuse a slip that cannot be printed truthfully: one that owes nothing, amounts that are not whole yen, copy numbers that do not exist, an amount below the failed copies' fees, characters the font lacks. */
export function checkRefundSlip(slip: RefundSlip): void {
  isoToDate(slip.issuedAt);
  const whole = (what: string, n: number) => {
    if (!Number.isInteger(n) || n < 0) throw new DocumentLayoutError(`Refund slip ${what} is ${n}; amounts and counts must be whole numbers of 0 or more.`);
  };
  whole('amount', slip.amount);
  // A slip owes something: copies that failed, or change the machine could not pay (then it lists no copy).
  if (!slip.failed.length && slip.amount === 0) throw new DocumentLayoutError('A refund slip lists the copies that failed or the change owed; this one lists neither.');
  let fees = 0;
  slip.failed.forEach((f, i) => {
    whole(`failed[${i}].unitFee`, f.unitFee);
    whole(`failed[${i}].copies`, f.copies);
    const bad = f.failedCopies.find((c) => !Number.isInteger(c) || c < 1 || c > f.copies);
    if (!f.failedCopies.length || bad !== undefined || new Set(f.failedCopies).size !== f.failedCopies.length) {
      throw new DocumentLayoutError(`Refund slip failed[${i}]: copy numbers ${f.failedCopies.join(', ')} must be distinct, 1..${f.copies}.`);
    }
    fees += f.unitFee * f.failedCopies.length;
  });
  if (slip.amount < fees) {
    throw new DocumentLayoutError(`Refund slip amount ${slip.amount} is less than the failed copies' fees (${fees}); the person would be paid too little.`);
  }
  const texts: Array<[string, string]> = [
    ['storeName', slip.storeName],
    ['terminalId', slip.terminalId],
    ['issuanceNumber', slip.issuanceNumber ?? NO_NUMBER],
    ['reason', slip.reason ?? ''],
    ...slip.failed.map((f, i): [string, string] => [`failed[${i}].title`, f.title]),
    ...[TITLE, LEAD, LEAD_CHANGE, ...WHAT_TO_DO, ...COLUMNS, ...INFO_LABELS, REASON_LABEL, REFUND_TOTAL, UNPAID_CHANGE, OWED, TEST_DATA_MARK, '通中目・円,0123456789'].map(
      (t): [string, string] => ['layout text', t],
    ),
  ];
  for (const [where, text] of texts) assertGlyphs(text, `refund slip ${where}`);
}

function drawSlip(canvas: Canvas, s: RefundSlip): void {
  canvas.text(`発行番号 ${s.issuanceNumber ?? NO_NUMBER}`, MARGIN, 26, 9, { width: WIDTH, align: 'right' });
  canvas.text(TITLE, MARGIN, 60, 22, { width: WIDTH, align: 'center', spacing: 8 });
  let y = 108;
  y += canvas.paragraph(s.failed.length ? LEAD : LEAD_CHANGE, MARGIN, y, WIDTH, 11) + 16;

  const info = [s.storeName, s.terminalId, s.issuanceNumber ?? NO_NUMBER, japanDateTime(s.issuedAt)];
  INFO_LABELS.forEach((label, i) => {
    canvas.text(label, MARGIN, y, 10.5);
    y += Math.max(18, canvas.paragraph(info[i], MARGIN + 90, y, WIDTH - 90, 10.5) + 4);
  });
  if (s.reason) {
    canvas.text(REASON_LABEL, MARGIN, y, 10.5);
    y += Math.max(18, canvas.paragraph(s.reason, MARGIN + 90, y, WIDTH - 90, 10.5) + 4);
  }

  // What failed: one row per certificate, with the copies that did not come out.
  y += 14;
  const colX = [0, 190, 330, 380].map((x) => MARGIN + x);
  const colW = [180, 130, 50, WIDTH - 380];
  const row = (cells: string[], yy: number) =>
    cells.forEach((c, i) => canvas.text(c, colX[i], yy + 6, 10.5, { width: colW[i], align: i < 2 ? 'left' : 'right' }));
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 1, RULE);
  row(COLUMNS, y);
  y += 22;
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 0.5, RULE);
  let fees = 0;
  for (const f of s.failed) {
    let size = 10.5;
    while (canvas.widthOf(f.title, size) > colW[0] && size > 7) size -= 0.5;
    canvas.text(f.title, colX[0], y + 6 + (10.5 - size) / 2, size);
    const refund = f.unitFee * f.failedCopies.length;
    fees += refund;
    row(['', failedCopiesText(f), yen(f.unitFee), yen(refund)], y);
    y += 22;
    canvas.line(MARGIN, y, MARGIN + WIDTH, y, 0.3, RULE);
  }
  canvas.line(MARGIN, y, MARGIN + WIDTH, y, 1, RULE);

  y += 14;
  const line = (label: string, amount: number, size: number) => {
    canvas.text(label, MARGIN + 190, y, size);
    canvas.text(yen(amount), MARGIN + 330, y, size, { width: WIDTH - 330, align: 'right' });
    y += size + 10;
  };
  line(REFUND_TOTAL, fees, 10.5);
  if (s.amount > fees) line(UNPAID_CHANGE, s.amount - fees, 10.5);
  y += 6;
  canvas.line(MARGIN + 190, y - 4, MARGIN + WIDTH, y - 4, 0.5, RULE);
  line(OWED, s.amount, 15);

  // What to do, in a box that stands out.
  y += 18;
  const boxH = WHAT_TO_DO.length * 20 + 20;
  canvas.strokeRect(MARGIN, y, WIDTH, boxH, 1.5, BOX);
  WHAT_TO_DO.forEach((t, i) => canvas.text(t, MARGIN + 16, y + 12 + i * 20, i === 0 ? 12 : 10.5));

  canvas.text(TEST_DATA_MARK, MARGIN, A4.height - 34, 7.5);
}
