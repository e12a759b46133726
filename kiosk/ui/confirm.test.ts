// The confirm screen's sub-type in words: a tax certificate is named by its kind where the city issues more than one.
import { describe, expect, it } from 'vitest';
import { baseView } from './fixtures.ts';
import { STRINGS } from './i18n/all.ts';
import { loadLanguage } from './i18n/index.ts';
import { subtypeText } from './screens/confirm.tsx';
import type { KioskView } from './types.ts';

await loadLanguage('en');

const taxView = (taxKinds: KioskView['taxKinds'], taxKind?: 'kazei' | 'shotoku', language: 'ja' | 'en' = 'ja'): KioskView => {
  const v = baseView('confirm', language);
  return { ...v, taxKinds, request: { ...v.request, certificate: 'kazei', subtype: { kind: 'kazei', year: 2026, ...(taxKind ? { taxKind } : {}) }, options: null } };
};

describe('confirm: the tax certificate chosen', () => {
  it('names the kind and the year where the city issues more than one', () => {
    expect(subtypeText(taxView(['kazei', 'shotoku'], 'shotoku'), STRINGS.ja)).toBe(`所得証明書: ${STRINGS.ja.fiscalYear(2026)}`);
    expect(subtypeText(taxView(['kazei', 'shotoku'], 'shotoku', 'en'), STRINGS.en)).toBe('Income Certificate（所得証明書）: Fiscal year 2026 (income of 2025)');
  });
  it('a sub-type naming no kind is the city’s first', () => {
    expect(subtypeText(taxView(['kazei', 'shotoku']), STRINGS.ja)).toBe(`課税・非課税証明書: ${STRINGS.ja.fiscalYear(2026)}`);
  });
  it('only the year where the city issues one', () => {
    expect(subtypeText(taxView(['kazei']), STRINGS.ja)).toBe(STRINGS.ja.fiscalYear(2026));
  });
});
