// The 個人番号カード交付申請書兼電子証明書発行申請書 (photo-booth.md §5): the form J-LIS mails a resident, the one a
// photo booth's barcode scanner reads. Two A4 pages, numbered as the seed numbers the real form's fields: the front
// with the 申請書ID (2) and (13), the printed name, address, birth date and sex (3)-(6), the boxes the person fills
// (7)-(10), and the QR code (11) that carries the ID; the back with the declaration, the signature, the photo box, the
// certificate boxes and the agent's columns. What the real QR code carries is UNCONFIRMED: ours is a URL of a
// fictional application site with the ID (APPLICATION_SITE), as the smartphone route suggests.
import QRCode from 'qrcode';
import type { ApplicationFormDocument } from '../document.ts';
import { DocumentLayoutError } from '../errors.ts';
import { assertGlyphs } from '../fonts.ts';
import { TEST_DATA_MARK } from './certificate.ts';
import { eraDate, isoToDate } from './japan-date.ts';
import { A4, createPdf, rgb, type Canvas } from './pdf.ts';

export const APPLICATION_FORM_PAGES = 2;
/** The page the form's QR code opens (fictional: the real site's address with our own host). */
export const APPLICATION_SITE = 'https://net.kojinbango-card.example/apply?id=';
const TITLE = '個人番号カード交付申請書兼電子証明書発行申請書';
const MM = 72 / 25.4;
const MARGIN = 48;
const WIDTH = A4.width - 2 * MARGIN;
const RULE = rgb('#3a3a3a');
const FAINT = rgb('#777777');
const DARK = rgb('#000000');

const FRONT = {
  id: '(2) 申請書ID', name: '(3) 氏名', address: '(4) 住所', birth: '(5) 生年月日', sex: '(6) 性別', phone: '(7) 日中の連絡先電話番号',
  foreign: '(8) 外国人住民の区分', stay: '(9) 在留期間の満了日', braille: '(10) 点字表記を希望する場合は■を塗りつぶしてください',
  qr: '(11) スマートフォンから申請する場合はこのQRコードを読み取ってください', voice: '(12) 音声コード', idAgain: '(13) 申請書ID',
  warning: '★の項目に誤りや変更がある場合はこの申請書を使用できません。市区町村にお問い合わせください。',
};
const BACK = {
  declaration: '(1) 記載内容に誤りがないことを確認のうえ、個人番号カードの交付と電子証明書の発行を申請します。',
  date: '(2) 申請日', signature: '(3) 申請者氏名（署名または記名押印）', photo: '(4) 顔写真', photoRules: ['縦4.5cm×横3.5cm', '最近6か月以内に撮影', '正面・無帽・無背景'],
  certificates: '(5) 電子証明書の発行を希望しない場合は□を黒く塗りつぶしてください', sign: '署名用電子証明書', auth: '利用者証明用電子証明書',
  agent: '(6) 代理人記入欄（15歳未満の方・成年被後見人の方は法定代理人が記入）', agentFields: ['(7) フリガナ', '(8) 氏名', '(9) 本人との関係', '(10) 住所', '(11) 電話番号'],
  notes: '(12) 申請書IDの控えは、カードの交付まで大切に保管してください。',
};

/** The 23 digits as the form prints them, in groups of four: 1234 5678 9012 3456 7890 123. */
export const groupedId = (id: string) => id.replace(/(\d{4})(?=\d)/g, '$1 ');

export async function renderApplicationFormPdf(form: ApplicationFormDocument): Promise<Buffer> {
  checkApplicationForm(form);
  const canvas = createPdf({ title: TITLE, createdAt: isoToDate(form.printedAt, 'printedAt') });
  drawFront(canvas, form);
  canvas.addPage();
  drawBack(canvas, form);
  return canvas.finish(APPLICATION_FORM_PAGES);
}

/** Refuse a form that cannot be printed truthfully: an ID that is no 申請書ID, a birth date that is no date, glyphs the font lacks. */
export function checkApplicationForm(form: ApplicationFormDocument): void {
  if (!/^\d{23}$/.test(form.formId)) throw new DocumentLayoutError(`An application form ID is 23 digits, not ${JSON.stringify(form.formId).slice(0, 40)}.`);
  isoToDate(form.printedAt, 'printedAt');
  eraDate(form.birthDate, 'birthDate');
  for (const [where, text] of [['name', form.name], ['address', form.address], ['sex', form.sex], ['municipality', form.municipality], ['kana', form.kana ?? '']] as const) {
    assertGlyphs(text, `application form ${where}`);
  }
}

function drawFront(c: Canvas, f: ApplicationFormDocument): void {
  c.text(TEST_DATA_MARK, MARGIN, 22, 8, { width: WIDTH, align: 'right', color: FAINT });
  c.text(`(1) ${TITLE}`, MARGIN, 44, 13, { width: WIDTH, align: 'center' });
  c.text(`${f.municipality}長 様　　地方公共団体情報システム機構 理事長 様`, MARGIN, 68, 8.5, { color: FAINT });
  let y = 90;
  c.text(FRONT.id, MARGIN, y, 9);
  c.strokeRect(MARGIN + 90, y - 4, 250, 20, 1, RULE);
  c.text(groupedId(f.formId), MARGIN + 98, y, 11, { spacing: 1 });
  y += 32;
  const row = (label: string, value: string, h = 24, star = true) => {
    c.strokeRect(MARGIN, y, WIDTH - 130, h, 0.6, RULE);
    c.text(`${star ? '★' : ''}${label}`, MARGIN + 6, y + 6, 8.5);
    c.paragraph(value, MARGIN + 150, y + 5, WIDTH - 130 - 156, 11);
    y += h;
  };
  if (f.kana) row('フリガナ', f.kana, 20);
  row(FRONT.name, f.name, 30);
  row(FRONT.address, f.address, 36);
  row(FRONT.birth, eraDate(f.birthDate, 'birthDate'));
  row(FRONT.sex, f.sex);
  row(FRONT.phone, '', 24, false);
  if (f.foreign) {
    row(FRONT.foreign, f.foreign.classification);
    row(FRONT.stay, f.foreign.stayUntil ? eraDate(f.foreign.stayUntil, 'stayUntil') : '期間の定めなし');
  }
  // (10) Braille: a box to blacken, only when the form carries a Braille kana (the seed's rule).
  y += 10;
  c.strokeRect(MARGIN, y, 12, 12, 0.8, DARK);
  c.text(FRONT.braille, MARGIN + 18, y + 1, 8.5);
  y += 26;
  c.paragraph(FRONT.warning, MARGIN, y, WIDTH - 130, 8.5, { color: FAINT });

  // (11) The QR code on the right, with its quiet zone; (12) the voice code under it.
  const qrTop = 90 + 32;
  const side = 104;
  drawQr(c, `${APPLICATION_SITE}${f.formId}`, A4.width - MARGIN - side, qrTop, side);
  c.paragraph(FRONT.qr, A4.width - MARGIN - side, qrTop + side + 4, side, 6.5);
  c.strokeRect(A4.width - MARGIN - side, qrTop + side + 40, side, 40, 0.6, FAINT);
  c.text(FRONT.voice, A4.width - MARGIN - side + 4, qrTop + side + 44, 7, { color: FAINT });

  // (13) The ID again, on the part the person keeps.
  const keep = A4.height - 120;
  c.line(MARGIN, keep - 14, A4.width - MARGIN, keep - 14, 0.5, FAINT);
  c.text('切り取り線（この部分は控えとして保管してください）', MARGIN, keep - 10, 7, { color: FAINT });
  c.text(FRONT.idAgain, MARGIN, keep + 12, 9);
  c.text(groupedId(f.formId), MARGIN + 90, keep + 10, 12, { spacing: 1 });
  c.text(`印刷 ${f.printedAt.slice(0, 10)}`, MARGIN, keep + 40, 7.5, { color: FAINT });
}

function drawBack(c: Canvas, f: ApplicationFormDocument): void {
  let y = 44;
  c.paragraph(BACK.declaration, MARGIN, y, WIDTH, 10);
  y += 36;
  c.text(BACK.date, MARGIN, y, 9);
  c.text('　　　年　　月　　日', MARGIN + 90, y, 10);
  y += 28;
  c.text(BACK.signature, MARGIN, y, 9);
  c.strokeRect(MARGIN, y + 14, WIDTH - 150, 34, 0.6, RULE);
  // (4) The photo box, 4.5 × 3.5 cm, on the right.
  const pw = 35 * MM;
  const ph = 45 * MM;
  const px = A4.width - MARGIN - pw;
  c.strokeRect(px, 70, pw, ph, 1, DARK);
  c.text(BACK.photo, px + 4, 74, 8);
  BACK.photoRules.forEach((t, i) => c.text(t, px + 4, 74 + ph / 2 + i * 11 - 10, 7, { color: FAINT }));
  y += 66;
  c.paragraph(BACK.certificates, MARGIN, y, WIDTH - pw - 20, 9);
  y += 30;
  for (const label of [BACK.sign, BACK.auth]) {
    c.strokeRect(MARGIN + 8, y, 12, 12, 0.8, DARK);
    c.text(label, MARGIN + 26, y + 1, 9.5);
    y += 20;
  }
  y = Math.max(y, 70 + ph) + 24;
  c.paragraph(BACK.agent, MARGIN, y, WIDTH, 9);
  y += 20;
  for (const label of BACK.agentFields) {
    c.strokeRect(MARGIN, y, WIDTH, 26, 0.6, RULE);
    c.text(label, MARGIN + 6, y + 8, 8.5);
    y += 26;
  }
  y += 16;
  c.paragraph(BACK.notes, MARGIN, y, WIDTH, 8.5, { color: FAINT });
  c.text(`${f.municipality}`, MARGIN, A4.height - 60, 8, { color: FAINT });
}

/** A QR code of `text` (error correction M) drawn as dark squares in a square of `side` points, quiet zone inside. */
function drawQr(c: Canvas, text: string, x: number, y: number, side: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = side / (n + 8);
  const dark = (row: number, col: number) => qr.modules.get(row, col) === 1;
  for (let row = 0; row < n; row++) {
    // Runs of dark modules as one rectangle each (fewer operators, no seams between modules).
    for (let col = 0; col < n; ) {
      if (!dark(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < n && dark(row, end)) end++;
      c.fillRect(x + (4 + col) * cell, y + (4 + row) * cell, (end - col) * cell, cell, DARK);
      col = end;
    }
  }
}
