// The booth's 申請受付票: one small page (A6) after an application was sent — the form's ID, J-LIS's number, what was
// asked for, the fee, and what comes next (the 交付通知書 by mail, the card at the office). What a real booth prints is
// UNCONFIRMED (photo-booth.md §3 step 8); this is the simulator's choice.
import type { ApplicationSlip } from '../document.ts';
import { DocumentLayoutError } from '../errors.ts';
import { groupedId } from './application-form.ts';
import { TEST_DATA_MARK } from './certificate.ts';
import { eraDate, isoToDate, japanDateTime } from './japan-date.ts';
import { createPdf, rgb } from './pdf.ts';

export const APPLICATION_SLIP_PAGES = 1;
const TITLE = '個人番号カード 申請受付票';
const FAINT = rgb('#666666');
const MARGIN = 24;
/** A6 in points. */
const A6 = { width: 297.64, height: 419.53 };

export async function renderApplicationSlipPdf(s: ApplicationSlip): Promise<Buffer> {
  if (!/^\d{23}$/.test(s.formId)) throw new DocumentLayoutError('An application slip carries the 23-digit form ID.');
  if (!Number.isInteger(s.fee) || s.fee < 0) throw new DocumentLayoutError(`A fee of ${s.fee} yen cannot be printed.`);
  const c = createPdf({ title: TITLE, createdAt: isoToDate(s.appliedAt, 'appliedAt'), size: [A6.width, A6.height] });
  const w = A6.width - 2 * MARGIN;
  c.text(TEST_DATA_MARK, MARGIN, 14, 6.5, { width: w, align: 'right', color: FAINT });
  c.text(TITLE, MARGIN, 30, 13, { width: w, align: 'center' });
  let y = 62;
  const row = (label: string, value: string) => {
    c.text(label, MARGIN, y, 8, { color: FAINT });
    y += 11;
    y += c.paragraph(value, MARGIN + 8, y, w - 8, 10) + 6;
  };
  row('申請書ID', groupedId(s.formId));
  row('受付番号', String(s.application));
  row('申請日時', japanDateTime(s.appliedAt, 'appliedAt'));
  row('電子証明書', s.certificates ? '発行を希望する' : '発行を希望しない');
  row('点字表記', s.braille ? '希望する' : '希望しない');
  row('写真代', `${s.fee.toLocaleString('ja-JP')}円（端末 ${s.boothId}）`);
  y += 6;
  y += c.paragraph(`カードは${eraDate(s.arrivesOn, 'arrivesOn')}ごろ市区町村の窓口に届きます。交付通知書が届いたら、通知書・本人確認書類を持って窓口で受け取ってください（暗証番号はそのとき設定します）。`, MARGIN, y, w, 8.5);
  c.paragraph('この票は交付まで保管してください。', MARGIN, y + 8, w, 8, { color: FAINT });
  return c.finish(APPLICATION_SLIP_PAGES);
}
