// The 交付申請書 as a booth's scanner and a person read it: two A4 pages, the 申請書ID twice and in a QR code that a
// real decoder (jsQR) reads back from the rendered page, the printed name, address and birth date.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import type { ApplicationFormDocument } from '../document.ts';
import { DocumentLayoutError } from '../errors.ts';
import { fontRows, greyPixels, pdfinfo, pdftotext } from '../testing/poppler.ts';
import { A4 } from './pdf.ts';
import { APPLICATION_SITE, renderApplicationFormPdf } from './application-form.ts';

const form = (o: Partial<ApplicationFormDocument> = {}): ApplicationFormDocument => ({
  formId: '25762242390461768938943', printedAt: '2026-12-07T10:00:00+09:00', name: '川崎 花子', kana: 'カワサキ ハナコ',
  address: '神奈川県川崎市中原区小杉町三丁目600番地', birthDate: '1982-09-30', sex: '女', municipality: '川崎市', ...o,
});

describe('renderApplicationFormPdf (交付申請書)', () => {
  it('is two A4 pages: the ID in groups of four twice, what binds the form to the person, the photo and certificate boxes', async () => {
    const pdf = await renderApplicationFormPdf(form());
    expect(pdfinfo(pdf)).toMatch(/^Pages:\s+2$/m);
    expect(fontRows(pdf)).toEqual([expect.objectContaining({ emb: 'yes', sub: 'yes' })]);
    const front = pdftotext(pdf, 1);
    expect(front.match(/2576 2242 3904 6176 8938 943/g)).toHaveLength(2);
    for (const text of ['個人番号カード交付申請書兼電子証明書発行申請書', '川崎 花子', '神奈川県川崎市中原区小杉町三丁目600番', '昭和57年9月30日', '(10) 点字表記']) expect(front).toContain(text);
    const back = pdftotext(pdf, 2);
    for (const text of ['(4) 顔写真', '縦4.5cm×横3.5cm', '署名用電子証明書', '利用者証明用電子証明書', '(6) 代理人記入欄']) expect(back).toContain(text);
  });

  it('carries the ID in a QR code that a decoder reads from the page at 150 dpi', async () => {
    const pdf = await renderApplicationFormPdf(form());
    const region = { x: A4.width / 2, y: 100, width: A4.width / 2, height: 200 };
    const { width, height, pixels } = greyPixels(pdf, 1, 150, region);
    const rgba = new Uint8ClampedArray(width * height * 4);
    pixels.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    expect(jsQR(rgba, width, height)?.data).toBe(`${APPLICATION_SITE}25762242390461768938943`);
  });

  it('prints a foreign resident’s classification and the end of the stay, and refuses an ID that is not 23 digits', async () => {
    const text = pdftotext(await renderApplicationFormPdf(form({ foreign: { classification: '技術・人文知識・国際業務', stayUntil: '2028-03-31' } })), 1);
    expect(text).toContain('技術・人文知識・国際業務');
    expect(text).toContain('令和10年3月31日');
    await expect(renderApplicationFormPdf(form({ formId: '1234' }))).rejects.toThrow(DocumentLayoutError);
  });
});
