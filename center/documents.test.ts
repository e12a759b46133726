import { describe, expect, it } from 'vitest';
import { residentTaxName } from './documents.ts';

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
