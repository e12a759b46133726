// The 個人番号カード交付通知書 兼 照会書 (card-life.md §2, L2, L9): one A4 page the municipality mails when a new card
// reaches its office. The upper part says where and until when to collect it and what to bring; the lower part is the
// inquiry (照会書) the holder answers when a proxy must collect it (illness, disability).
import type { CollectionNotice } from '../document.ts';
import { assertGlyphs } from '../fonts.ts';
import { TEST_DATA_MARK } from './certificate.ts';
import { eraDate, isoToDate } from './japan-date.ts';
import { A4, createPdf, rgb } from './pdf.ts';

export const COLLECTION_NOTICE_PAGES = 1;
const TITLE = '個人番号カード交付通知書 兼 照会書';
const FAINT = rgb('#666666');
const RULE = rgb('#3a3a3a');
const MARGIN = 56;
const WIDTH = A4.width - 2 * MARGIN;

export async function renderCollectionNoticePdf(n: CollectionNotice): Promise<Buffer> {
  for (const [where, text] of [['name', n.name], ['address', n.address], ['municipality', n.municipality], ['office', n.office ? `${n.office.name}${n.office.address}` : ''], ['hours', n.hours]] as const) {
    assertGlyphs(text, `collection notice ${where}`);
  }
  eraDate(n.arrivedOn, 'arrivedOn');
  eraDate(n.keptUntil, 'keptUntil');
  const c = createPdf({ title: TITLE, createdAt: isoToDate(n.printedAt, 'printedAt') });
  c.text(TEST_DATA_MARK, MARGIN, 24, 8, { width: WIDTH, align: 'right', color: FAINT });
  c.text(`${n.address}`, MARGIN, 48, 10);
  c.text(`${n.name} 様`, MARGIN, 66, 13);
  c.text(TITLE, MARGIN, 100, 16, { width: WIDTH, align: 'center' });
  let y = 136;
  y += c.paragraph(`あなたの個人番号カードができました（${eraDate(n.arrivedOn, 'arrivedOn')}到着）。受取期限までに、ご本人が下記の窓口で受け取ってください。受け取りの際、カードの暗証番号を設定していただきます${n.certificates ? '（数字4桁と、署名用の英大文字・数字6〜16文字）' : '（数字4桁）'}。`, MARGIN, y, WIDTH, 11) + 14;
  const row = (label: string, value: string) => {
    c.line(MARGIN, y, MARGIN + WIDTH, y, 0.5, RULE);
    c.text(label, MARGIN + 6, y + 8, 10);
    const h = c.paragraph(value, MARGIN + 110, y + 8, WIDTH - 116, 11);
    y += Math.max(28, h + 14);
  };
  row('受取場所', n.office ? `${n.office.name}（${n.office.address}）` : `${n.municipality}の窓口`);
  row('受付時間', n.hours);
  row('受取期限', `${eraDate(n.keptUntil, 'keptUntil')}（期限を過ぎたカードは廃棄します。改めて申請が必要です）`);
  row('持ち物', 'この通知書、本人確認書類（顔写真付きは1点、それ以外は2点）、通知カード（お持ちの方）、住民基本台帳カード（お持ちの方：回収します）');
  row('カード番号', n.cardId);
  c.line(MARGIN, y, MARGIN + WIDTH, y, 0.5, RULE);
  // The inquiry: for a proxy only (the holder cannot come: illness, disability and the like).
  y += 30;
  c.line(MARGIN, y, MARGIN + WIDTH, y, 0.5, FAINT);
  c.text('照会書（ご本人が来られない場合のみ：病気、障害などやむを得ない理由があるとき）', MARGIN, y + 8, 10);
  y += 30;
  c.paragraph('代理人に受け取りを委任する場合は、下欄をご本人が記入し、代理人がこの通知書とご本人・代理人の本人確認書類を持参してください。', MARGIN, y, WIDTH, 9.5, { color: FAINT });
  y += 34;
  for (const label of ['委任の理由', '代理人の氏名', '代理人の住所', 'ご本人の署名', `生年月日 ${eraDate(n.birthDate, 'birthDate')}`]) {
    c.strokeRect(MARGIN, y, WIDTH, 30, 0.6, RULE);
    c.text(label, MARGIN + 6, y + 9, 9.5);
    y += 30;
  }
  c.text(`${n.municipality}長`, MARGIN, A4.height - 60, 9, { width: WIDTH, align: 'right', color: FAINT });
  return c.finish(COLLECTION_NOTICE_PAGES);
}
