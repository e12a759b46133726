// A tax sub-type as a screen (or a center client) sends it: the kind is optional, and when given one of TAX_KINDS.
import { describe, expect, it } from 'vitest';
import { checkSubtype } from './ui-input.ts';

describe('checkSubtype: the tax certificate', () => {
  it('takes a year alone, or a year and a kind', () => {
    expect(checkSubtype({ kind: 'kazei', year: 2026 })).toEqual({ ok: true, value: { kind: 'kazei', year: 2026 } });
    expect(checkSubtype({ kind: 'kazei', year: 2026, taxKind: 'nozei' })).toEqual({ ok: true, value: { kind: 'kazei', year: 2026, taxKind: 'nozei' } });
  });
  it('refuses a kind that is none, naming the field and the kinds', () => {
    const r = checkSubtype({ kind: 'kazei', year: 2026, taxKind: 'passport' });
    expect(r).toMatchObject({ ok: false, field: 'taxKind', missing: false });
    expect(!r.ok && r.problem).toBe("a tax subtype's taxKind is one of kazei, shotoku, shotoku-kazei, nozei");
    expect(checkSubtype({ kind: 'kazei', year: 2026, taxKind: null })).toMatchObject({ ok: false, field: 'taxKind' });
  });
});
