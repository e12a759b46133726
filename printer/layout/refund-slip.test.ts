import { describe, expect, it } from 'vitest';
import { renderRefundSlipPdf } from './refund-slip.ts';
import type { RefundSlip } from '../document.ts';
import { DocumentLayoutError, MissingGlyphError } from '../errors.ts';
import { sampleRefundSlipFor } from '../../samples/registry-samples.ts';
import { fontRows, pdfinfo, pdftotext } from '../testing/poppler.ts';

const slip = (overrides: Partial<RefundSlip> = {}): RefundSlip => ({
  ...sampleRefundSlipFor('kawasaki-taro', { issuedAt: '2026-11-24T14:05:00+09:00', issuanceNumber: 'K01-20261124-000009', copies: 3 }),
  ...overrides,
});

describe('renderRefundSlipPdf (返金票)', () => {
  it('is one A4 page with an embedded subset font', async () => {
    const pdf = await renderRefundSlipPdf(slip());
    expect(pdfinfo(pdf)).toMatch(/^Pages:\s+1$/m);
    expect(pdfinfo(pdf)).toMatch(/^Title:\s+返金票$/m);
    expect(fontRows(pdf)).toEqual([expect.objectContaining({ emb: 'yes', sub: 'yes' })]);
  });

  it('says what failed, what is owed, and to show it at the store counter', async () => {
    const s = slip({ failed: [{ title: '住民票の写し', unitFee: 200, copies: 3, failedCopies: [2, 3] }], amount: 600 });
    const text = pdftotext(await renderRefundSlipPdf(s));
    expect(text).toContain('返金票');
    expect(text).toContain('シミュレーター店（テスト）');
    expect(text).toContain('K01');
    expect(text).toContain('K01-20261124-000009');
    expect(text).toContain('2026年11月24日 14:05');
    expect(text).toMatch(/住民票の写し\s+3通中 2・3通目\s+200円\s+400円/);
    expect(text).toMatch(/手数料の返金\s+400円/);
    expect(text).toMatch(/お支払いできなかったおつり\s+200円/);
    expect(text).toMatch(/お支払いする金額\s+600円/);
    expect(text).toContain('この返金票を、この店舗のレジ（カウンター）にお持ちください。');
    expect(text).toContain('紙詰まり');
  });

  it('without an issuance number (the center never issued) says so; without unpaid change leaves that line out', async () => {
    const text = pdftotext(await renderRefundSlipPdf(slip({ issuanceNumber: null, amount: 200, failed: [{ title: '住民票の写し', unitFee: 200, copies: 3, failedCopies: [3] }] })));
    expect(text).toContain('―（発行前）');
    expect(text).not.toContain('お支払いできなかったおつり');
    expect(text).toMatch(/お支払いする金額\s+200円/);
  });

  it('for change the machine could not pay (every copy printed) lists no copy and says why', async () => {
    const text = pdftotext(await renderRefundSlipPdf(slip({ amount: 500, failed: [] })));
    expect(text).toContain('おつりを機械からお支払いできなかったため');
    expect(text).not.toContain('証明書を印刷できなかったため');
    expect(text).toMatch(/お支払いできなかったおつり\s+500円/);
  });

  it('refuses a slip that would pay too little, names copies that do not exist, or characters the font lacks', async () => {
    await expect(renderRefundSlipPdf(slip({ amount: 100 }))).rejects.toThrow(/less than the failed copies' fees/);
    await expect(renderRefundSlipPdf(slip({ failed: [{ title: '住民票の写し', unitFee: 200, copies: 2, failedCopies: [3] }] }))).rejects.toThrow(DocumentLayoutError);
    await expect(renderRefundSlipPdf(slip({ failed: [], amount: 0 }))).rejects.toThrow(/lists neither/);
    await expect(renderRefundSlipPdf(slip({ amount: 10.5 }))).rejects.toThrow(/whole numbers/);
    await expect(renderRefundSlipPdf(slip({ storeName: '店\u{10FFFD}' }))).rejects.toThrow(MissingGlyphError);
  });
});
