// Table-driven checks of the kiosk's rules, from spec/kiosk.md "Rules the kiosk enforces".
import { describe, expect, it } from 'vitest';
import municipalitiesJson from '../../assets/municipalities.json' with { type: 'json' };
import type { Holder, Municipality, Subtype } from '../types.ts';
import { japanTime } from './japan-time.ts';
import { inMaintenance, isYearEndClosure, serviceClosure, withinHours } from './hours.ts';
import { acceptsToken, ageOn, cardProblem, cityProblem, holderProblem } from './eligibility.ts';
import { copiesAllowed, hasTaxKindChoice, maxCopies, subtypeFits, taxKindOf, taxKindsOffered, taxYearsOffered, unavailability, unitFee } from './catalog.ts';
import { acceptsDenomination, settlement } from './money.ts';

const cities = municipalitiesJson.municipalities as unknown as Municipality[];
const city = (name: string) => cities.find((c) => c.name === name)!;
const kawasaki = city('川崎市');

const holder = (over: Partial<Holder> = {}): Holder => ({
  id: 'h', name: '川崎 太郎', birthDate: '1980-04-12', foreign: false, adultWard: false, movedOut: false,
  supportMeasure: false, residenceCity: '141305', domicileCity: '141305', domicileRegistered: true,
  sealRegistered: true, taxYears: [2025, 2026], household: [], familyRegister: [], ...over,
});

describe('Japan time', () => {
  it('reads any offset as Japan time', () => {
    expect(japanTime('2026-11-24T15:30:00Z')).toMatchObject({ date: '2026-11-25', minutes: 30, weekday: 3 });
    expect(japanTime('2026-11-24T06:30:00+09:00')).toMatchObject({ date: '2026-11-24', minutes: 390 });
  });
  it('rejects a time that is not one', () => {
    expect(() => japanTime('tomorrow')).toThrow(/not an ISO date-time/);
  });
});

describe('service hours: 6:30–23:00, closed Dec 29 – Jan 3', () => {
  it.each([
    ['2026-11-24T06:29:59+09:00', 'outside-hours'],
    ['2026-11-24T06:30:00+09:00', null],
    ['2026-11-24T12:00:00+09:00', null],
    ['2026-11-24T22:59:59+09:00', null],
    ['2026-11-24T23:00:00+09:00', 'outside-hours'],
    ['2026-11-24T14:00:00Z', 'outside-hours'], // 23:00 in Japan
    ['2026-12-28T22:00:00+09:00', null],
    ['2026-12-29T10:00:00+09:00', 'year-end'],
    ['2026-12-31T10:00:00+09:00', 'year-end'],
    ['2027-01-03T22:00:00+09:00', 'year-end'],
    ['2027-01-04T06:30:00+09:00', null],
  ])('%s → %s', (at, expected) => {
    expect(serviceClosure(at)).toBe(expected);
  });
  it('year-end closure is by Japan date', () => {
    expect(isYearEndClosure('2026-12-28T15:00:00Z')).toBe(true); // already Dec 29 in Japan
  });
  it.each([
    ['2026-11-24T09:00:00+09:00', true], // Tuesday
    ['2026-11-24T08:59:00+09:00', false],
    ['2026-11-24T17:00:00+09:00', false],
    ['2026-11-28T10:00:00+09:00', false], // Saturday
    ['2026-11-29T10:00:00+09:00', false], // Sunday
    ['2026-11-23T10:00:00+09:00', false], // 勤労感謝の日, a holiday in the city's data
  ])('戸籍 weekdays 9:00–17:00 at %s → %s', (at, open) => {
    expect(withinHours({ open: '09:00', close: '17:00', days: 'weekdays' }, at, kawasaki.holidays)).toBe(open);
  });
  it.each([
    ['2026-12-05T23:59:59+09:00', false],
    ['2026-12-06T00:00:00+09:00', true],
    ['2026-12-06T11:59:00+09:00', true],
    ['2026-12-06T12:00:00+09:00', false],
  ])('府中市 maintenance at %s → %s', (at, closed) => {
    expect(inMaintenance(city('府中市'), at)).toBe(closed);
  });
});

describe('cards', () => {
  const at = '2026-11-24T10:00:00+09:00';
  const cert = (notBefore: string, notAfter: string) => ({ serial: '01', notBefore, notAfter });
  it.each([
    ['card', 'JPKIAPICCTOKEN2', true],
    ['card', 'JPKIAPICCTOKEN', false], // old 住基カード
    ['card', 'JPKIAPGPSETOKEN', false],
    ['card', null, false], // city card, no JPKI AP
    ['phone', 'JPKIAPGPSETOKEN', true],
    ['phone', 'JPKIAPICCTOKEN2', false],
  ] as const)('%s accepts token %s: %s', (medium, token, ok) => {
    expect(acceptsToken(medium, token)).toBe(ok);
  });
  it.each([
    ['valid', '2025-01-01T00:00:00Z', '2030-01-01T00:00:00Z', null],
    ['expired', '2021-01-01T00:00:00Z', '2026-11-24T00:59:59Z', 'certificate-expired'],
    ['expires later today', '2021-01-01T00:00:00Z', '2026-11-24T14:59:59Z', null],
    ['issued today (Japan)', '2026-11-23T15:00:00Z', '2031-11-24T00:00:00Z', 'certificate-not-yet-valid'],
    ['issued yesterday late (Japan)', '2026-11-23T14:59:00Z', '2031-11-24T00:00:00Z', null],
  ])('%s', (_, nb, na, expected) => {
    expect(cardProblem({ token: 'JPKIAPICCTOKEN2', certificate: cert(nb, na), triesLeft: 3 }, 'card', at)).toBe(expected);
  });
  it('a card with no certificate is not a usable card', () => {
    expect(cardProblem({ token: 'JPKIAPICCTOKEN2', certificate: null, triesLeft: 3 }, 'card', at)).toBe('unsupported-card');
  });
});

describe('who may use the service', () => {
  const at = '2026-11-24T10:00:00+09:00';
  it.each([
    ['2011-11-24', 15], ['2011-11-25', 14], ['2012-06-01', 14], ['1980-04-12', 46],
  ])('born %s is %i', (birth, age) => {
    expect(ageOn(birth, at)).toBe(age);
  });
  it.each([
    [{}, null],
    [{ birthDate: '2011-11-25' }, 'under-15'],
    [{ birthDate: '2011-11-24' }, null],
    [{ adultWard: true }, 'adult-ward'],
    [{ movedOut: true }, 'moved-out'],
    [{ supportMeasure: true }, 'support-measure'],
  ] as Array<[Partial<Holder>, string | null]>)('%j → %s', (over, expected) => {
    expect(holderProblem(holder(over), at)).toBe(expected);
  });
  it.each([
    ['residence in a participating city', kawasaki, {}, 'residence', null],
    ['city not participating', city('まぼろし村'), { residenceCity: '999991' }, 'residence', 'city-not-participating'],
    ['not registered in the chosen city', kawasaki, { residenceCity: '141003' }, 'residence', 'not-registered'],
    ['本籍地 in another city, registered', city('府中市'), { domicileCity: '132063', domicileRegistered: true }, 'domicile', null],
    ['本籍地 in another city, not registered', city('文京区'), { domicileCity: '131059', domicileRegistered: false }, 'domicile', 'domicile-not-registered'],
    ['本籍地 is the residence city: no registration needed', kawasaki, { domicileRegistered: false }, 'domicile', null],
    ['本籍 not in the chosen city', city('府中市'), {}, 'domicile', 'domicile-not-registered'],
  ] as const)('%s', (_, c, over, scope, expected) => {
    expect(cityProblem(c, holder(over as Partial<Holder>), scope)).toBe(expected);
  });
});

describe('certificates, fees and copies', () => {
  const at = '2026-11-24T10:00:00+09:00'; // a Tuesday
  it.each([
    ['juminhyo', {}, 'residence', null],
    ['kisai', {}, 'residence', 'not-offered'], // Kawasaki does not issue 住民票記載事項証明書
    ['inkan', {}, 'residence', null],
    ['inkan', { sealRegistered: false }, 'residence', 'no-seal'],
    ['kazei', {}, 'residence', null],
    ['kazei', { taxYears: [] }, 'residence', 'no-tax-data'],
    ['kazei', { taxYears: [2026] }, 'residence', null], // in November the latest year offered is 2026
    ['koseki', {}, 'residence', null],
    ['koseki', { domicileCity: '132063' }, 'residence', 'domicile-only'],
    ['juminhyo', {}, 'domicile', 'residence-only'],
    ['fuhyo', {}, 'domicile', null],
  ] as const)('%s for %j in %s → %s', (cert, over, scope, expected) => {
    expect(unavailability(cert, kawasaki, holder(over as Partial<Holder>), scope, at)).toBe(expected);
  });
  it('府中市 issues 戸籍 on weekdays 9:00–17:00 only', () => {
    const h = holder({ residenceCity: '132063', domicileCity: '132063' });
    expect(unavailability('koseki', city('府中市'), h, 'residence', '2026-11-24T10:00:00+09:00')).toBe(null);
    expect(unavailability('koseki', city('府中市'), h, 'residence', '2026-11-24T18:00:00+09:00')).toBe('outside-hours');
    expect(unavailability('koseki', city('府中市'), h, 'residence', '2026-11-28T10:00:00+09:00')).toBe('outside-hours');
    expect(unavailability('juminhyo', city('府中市'), h, 'residence', '2026-11-28T22:00:00+09:00')).toBe(null);
  });
  it.each([
    ['2026-11-24T10:00:00+09:00', '川崎市', [2026]],
    ['2026-05-31T10:00:00+09:00', '川崎市', [2025]],
    ['2026-06-01T10:00:00+09:00', '川崎市', [2026]],
    ['2026-11-24T10:00:00+09:00', '文京区', [2026, 2025, 2024, 2023]],
  ])('tax years offered at %s in %s', (at, name, years) => {
    expect(taxYearsOffered(city(name), at)).toEqual(years);
  });
  it('no tax data for the years offered', () => {
    expect(unavailability('kazei', kawasaki, holder({ taxYears: [2024, 2025] }), 'residence', at)).toBe('no-tax-data');
    expect(unavailability('kazei', city('文京区'), holder({ residenceCity: '131059', taxYears: [2024] }), 'residence', at)).toBe(null);
  });
  it.each([
    ['juminhyo', 200], ['inkan', 200], ['kazei', 200], ['koseki', 350], ['fuhyo', 200],
  ] as const)('Kawasaki fee for %s is %i yen', (cert, fee) => {
    expect(unitFee(cert, kawasaki)).toBe(fee);
  });
  it.each([
    ['juminhyo', 'juminhyo', true], ['kisai', 'juminhyo', true], ['koseki', 'koseki', true], ['kazei', 'kazei', true],
    ['fuhyo', 'fuhyo', true], ['juminhyo', 'koseki', false], ['kisai', 'kazei', false],
  ] as const)('%s takes a %s sub-type: %s', (c, kind, ok) => {
    const subtype = { juminhyo: { kind, scope: 'self', members: [] }, koseki: { kind, form: 'zenbu', person: null }, kazei: { kind, year: 2026 }, fuhyo: { kind, person: 'x' } }[kind] as Subtype;
    expect(subtypeFits(c, subtype)).toBe(ok);
  });
  it('the tax certificates are city data: 川崎市 課税 and 所得, 横浜市 所得・課税 alone, 文京区 課税 and 納税; a city that does not say issues the 課税・非課税証明書', () => {
    expect(taxKindsOffered(kawasaki)).toEqual(['kazei', 'shotoku']);
    expect(taxKindsOffered(city('横浜市'))).toEqual(['shotoku-kazei']);
    expect(taxKindsOffered(city('文京区'))).toEqual(['kazei', 'nozei']);
    expect(taxKindsOffered(city('府中市'))).toEqual(['kazei']);
    expect(taxKindsOffered({ taxKinds: [] })).toEqual(['kazei']);
  });
  it('type-select asks which tax certificate only where the city issues more than one', () => {
    expect(hasTaxKindChoice(kawasaki)).toBe(true);
    expect(hasTaxKindChoice(city('文京区'))).toBe(true);
    expect(hasTaxKindChoice(city('横浜市'))).toBe(false);
    expect(hasTaxKindChoice(city('府中市'))).toBe(false);
    expect(hasTaxKindChoice(null)).toBe(false);
  });
  it('a tax sub-type that names no kind asks for the city’s first', () => {
    expect(taxKindOf({ kind: 'kazei', year: 2026 }, kawasaki)).toBe('kazei');
    expect(taxKindOf({ kind: 'kazei', year: 2026 }, city('横浜市'))).toBe('shotoku-kazei');
    expect(taxKindOf({ kind: 'kazei', year: 2026, taxKind: 'shotoku' }, kawasaki)).toBe('shotoku');
    expect(taxKindOf(null, city('府中市'))).toBe('kazei');
  });
  it.each([
    ['川崎市', 'shotoku', true], ['川崎市', 'kazei', true], ['川崎市', 'nozei', false], ['川崎市', 'shotoku-kazei', false],
    ['文京区', 'nozei', true], ['横浜市', 'kazei', false], ['横浜市', 'shotoku-kazei', true], ['府中市', 'kazei', true], ['府中市', 'shotoku', false],
  ] as const)('%s issues the %s tax certificate: %s', (name, taxKind, ok) => {
    expect(subtypeFits('kazei', { kind: 'kazei', year: 2026, taxKind }, city(name))).toBe(ok);
    // Without a kind named, any city's tax certificate fits; without a city, the kind is not judged.
    expect(subtypeFits('kazei', { kind: 'kazei', year: 2026 }, city(name))).toBe(true);
    expect(subtypeFits('kazei', { kind: 'kazei', year: 2026, taxKind })).toBe(true);
  });
  it('a fee for a certificate the city does not offer is an error', () => {
    expect(() => unitFee('kisai', kawasaki)).toThrow(/does not offer/);
  });
  it.each([[0, false], [1, true], [10, true], [11, false], [2.5, false], [-1, false]])('%s copies allowed: %s', (n, ok) => {
    expect(copiesAllowed(n, kawasaki)).toBe(ok);
  });
  it('the copies maximum defaults to 10', () => {
    expect(maxCopies({ ...kawasaki, maxCopies: 0 })).toBe(10);
    expect(copiesAllowed(3, { ...kawasaki, maxCopies: 2 })).toBe(false);
  });
});

describe('money', () => {
  it.each([[10, true], [50, true], [100, true], [500, true], [1000, true], [2000, true], [5000, true], [10000, true], [1, false], [5, false], [200, false]])(
    '%i yen accepted: %s', (yen, ok) => expect(acceptsDenomination(yen)).toBe(ok));
  it.each([
    [{ inserted: 1000, unitFee: 200, copies: 2, printed: 2 }, { charged: 400, change: 600, refunded: 0, payout: 600 }],
    [{ inserted: 400, unitFee: 200, copies: 2, printed: 2 }, { charged: 400, change: 0, refunded: 0, payout: 0 }],
    [{ inserted: 1000, unitFee: 200, copies: 3, printed: 1 }, { charged: 200, change: 400, refunded: 400, payout: 800 }],
    [{ inserted: 350, unitFee: 350, copies: 1, printed: 0 }, { charged: 0, change: 0, refunded: 350, payout: 350 }],
  ])('%j settles as %j', (input, expected) => {
    const s = settlement(input);
    expect(s).toEqual(expected);
    expect(s.charged + s.change + s.refunded).toBe(input.inserted); // every yen accounted for
  });
});
