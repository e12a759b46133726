import { describe, expect, it } from 'vitest';
import { renderReceiptPdf } from './receipt.ts';
import { sampleReceipt } from '../sample.ts';
import { DocumentLayoutError, MissingGlyphError } from '../errors.ts';
import { fontRows, pdfinfo, pdftotext } from '../testing/poppler.ts';

describe('renderReceiptPdf (利用明細)', () => {
  it('is one A4 page with an embedded subset font', async () => {
    const pdf = await renderReceiptPdf(sampleReceipt());
    expect(pdfinfo(pdf)).toMatch(/^Pages:\s+1$/m);
    expect(pdfinfo(pdf)).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(pdfinfo(pdf)).toMatch(/^Title:\s+利用明細$/m);
    expect(fontRows(pdf)).toEqual([expect.objectContaining({ emb: 'yes', sub: 'yes' })]);
  });

  it('shows store, terminal, issuance number, Japan date and time, lines and where the money went', async () => {
    const text = pdftotext(await renderReceiptPdf(sampleReceipt({ issuedAt: '2025-11-21T05:05:00Z' })));
    expect(text).toContain('利用明細');
    expect(text).toContain('テストマート 武蔵小杉駅前店');
    expect(text).toContain('MCP-0042');
    expect(text).toContain('K2025-000123');
    expect(text).toContain('2025年11月21日 14:05');
    expect(text).toMatch(/住民票の写し\s+2\s+200円\s+2\s+400円/);
    expect(text).toMatch(/印鑑登録証明書\s+1\s+200円\s+0\s+0円/);
    expect(text).toMatch(/手数料合計\s+400円/);
    expect(text).toMatch(/お預かり\s+1,000円/);
    expect(text).toMatch(/おつり\s+400円/);
    expect(text).toMatch(/返金\s+200円/);
    expect(text).toContain('印刷できなかった証明書の手数料は返金しました。');
    expect(text).toContain('コンビニ交付（テストデータ）');
  });

  it('leaves out the refund note when nothing was refunded', async () => {
    const text = pdftotext(await renderReceiptPdf(sampleReceipt({ refunded: 0 })));
    expect(text).toMatch(/返金\s+0円/);
    expect(text).not.toContain('返金しました');
  });

  it('refuses amounts that are not whole yen, and characters the font lacks', async () => {
    await expect(renderReceiptPdf(sampleReceipt({ change: -100 }))).rejects.toThrow(DocumentLayoutError);
    await expect(renderReceiptPdf(sampleReceipt({ inserted: 10.5 }))).rejects.toThrow(/inserted is 10.5/);
    await expect(renderReceiptPdf(sampleReceipt({ storeName: 'テスト店\uE000' }))).rejects.toThrow(MissingGlyphError);
  });
});
