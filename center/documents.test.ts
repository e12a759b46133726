import { describe, expect, it } from 'vitest';
import { documentKind, residentTaxName, TITLES } from './documents.ts';
import type { CertificateRequest, TaxKind } from '../machine/types.ts';
import type { CertificateKind } from '../printer/document.ts';
import { sampleCertificates } from '../samples/registry-samples.ts';
import { loadSampleData } from '../samples/sample-data.ts';

describe('the resident tax as each city names it on a 課税証明書', () => {
  it('特別区民税・都民税 in Tokyo’s wards, 市民税・都民税 in its cities, 県, 道, 府 and 町村 elsewhere', () => {
    expect(residentTaxName({ name: '文京区', prefecture: '東京都' })).toBe('特別区民税・都民税');
    expect(residentTaxName({ name: '府中市', prefecture: '東京都' })).toBe('市民税・都民税');
    expect(residentTaxName({ name: '川崎市', prefecture: '神奈川県' })).toBe('市民税・県民税');
    expect(residentTaxName({ name: '札幌市', prefecture: '北海道' })).toBe('市民税・道民税');
    expect(residentTaxName({ name: '豊中市', prefecture: '大阪府' })).toBe('市民税・府民税');
    expect(residentTaxName({ name: 'まぼろし村', prefecture: '北海道' })).toBe('村民税・道民税');
    expect(residentTaxName({ name: '葉山町', prefecture: '神奈川県' })).toBe('町民税・県民税');
  });
});

describe('each tax certificate prints its own title and content', () => {
  const AT = '2026-11-24T10:00:00+09:00';
  const fields = (kind: CertificateKind, persona: string, year?: number) => {
    const [c] = sampleCertificates(kind, persona, { issuedAt: AT, ...(year ? { subtype: { kind: 'kazei', year, taxKind: kind as TaxKind } } : {}) });
    return { c, all: Object.fromEntries([...c.header, ...c.people.flat()].map((f) => [f.label, f.value])) };
  };

  it('課税・非課税証明書: income and tax, as before kinds existed (no deductions)', () => {
    const { c, all } = fields('kazei', 'kawasaki-taro');
    expect(c.title).toBe('課税・非課税証明書');
    expect(Object.keys(all)).toEqual(['年度', '住所', '氏名', '生年月日', '総所得金額', '市民税・県民税 所得割額', '均等割額', '課税区分']);
    expect(all['市民税・県民税 所得割額']).toBe('520,000円');
  });

  it('所得証明書: income, each deduction, their sum and the dependants; no tax amount', () => {
    const { c, all } = fields('shotoku', 'kawasaki-taro');
    expect(c.kind).toBe('shotoku');
    expect(c.title).toBe('所得証明書');
    expect(all).toMatchObject({ 年度: '2026年度（2025年分所得）', 総所得金額: '5,200,000円', 社会保険料控除: '780,000円', 扶養控除: '330,000円', 基礎控除: '430,000円', 所得控除額合計: '1,540,000円', 扶養親族数: '1人' });
    expect(Object.keys(all).some((k) => /税額|均等割|課税区分|納付/.test(k))).toBe(false);
  });

  it('所得・課税証明書: the income with its deductions and the tax', () => {
    const { c, all } = fields('shotoku-kazei', 'yokohama-resident');
    expect(c.title).toBe('所得・課税証明書');
    expect(all).toMatchObject({ 総所得金額: '3,600,000円', 所得控除額合計: '970,000円', '市民税・県民税 所得割額': '360,000円', 均等割額: '6,200円', 課税区分: '課税' });
  });

  it('納税証明書: the year’s tax levied, paid and unpaid (an instalment not yet due is unpaid); no income', () => {
    const { c, all } = fields('nozei', 'bunkyo-resident');
    expect(c.title).toBe('納税証明書');
    expect(all).toMatchObject({ 年度: '2026年度', 税目: '特別区民税・都民税（個人）', 税額: '366,200円', 納付済額: '275,200円', 未納額: '91,000円' });
    expect(Object.keys(all)).not.toContain('総所得金額');
  });

  it('納税証明書 of a year paid in full: nothing unpaid', () => {
    const { all } = fields('nozei', 'bunkyo-resident', 2025);
    expect(all).toMatchObject({ 年度: '2025年度', 税額: '354,200円', 納付済額: '354,200円', 未納額: '0円' });
  });

  it('a request that names no kind gets the city’s first: 川崎市 the 課税・非課税証明書, 横浜市 the 所得・課税証明書', () => {
    const { municipalities } = loadSampleData();
    const city = (code: string) => municipalities.find((m) => m.code === code)!;
    const req = (city: string): CertificateRequest => ({ scope: 'residence', city, certificate: 'kazei', subtype: { kind: 'kazei', year: 2026 }, options: null, copies: 1, unitFee: 200 });
    expect(documentKind(req('141305'), city('141305'))).toBe('kazei');
    expect(documentKind(req('141003'), city('141003'))).toBe('shotoku-kazei');
    expect(documentKind(req('132063'), city('132063'))).toBe('kazei');
    expect(documentKind({ ...req('141305'), subtype: { kind: 'kazei', year: 2026, taxKind: 'shotoku' } }, city('141305'))).toBe('shotoku');
    expect(TITLES.nozei).toBe('納税証明書');
  });
});
