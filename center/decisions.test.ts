// The center's decisions as a table: who may get what from which municipality, and the reason for every "no".
// Pure functions over the registers, so each row is one call; the same rules run end to end in
// tests/center/expectations.test.ts.
import { describe, expect, it } from 'vitest';
import type { Certificate, CertificateRequest, Scope } from '../machine/types.ts';
import { loadSampleData } from '../samples/sample-data.ts';
import { entitlement, personProblem, requestProblem } from './decisions.ts';
import { resident } from './registry.ts';

const data = loadSampleData();
const TUE = '2026-11-24T10:00:00+09:00';
const TUE_EVENING = '2026-11-24T18:00:00+09:00';
const HOLIDAY = '2026-11-23T10:00:00+09:00'; // 勤労感謝の日, a Monday
const MAINTENANCE = '2026-12-06T09:00:00+09:00';
const MAY = '2026-05-20T10:00:00+09:00'; // before the new tax year's data arrives in June

const city = (name: string) => data.municipalities.find((m) => m.name === name)!;

// persona, city, scope, certificate, time, expected ('ok' or the reason)
const TABLE: Array<[string, string, Scope, Certificate, string, string]> = [
  ['kawasaki-taro', '川崎市', 'residence', 'juminhyo', TUE, 'ok'],
  ['kawasaki-taro', '横浜市', 'residence', 'juminhyo', TUE, 'not-registered'],
  ['kawasaki-taro', 'まぼろし村', 'residence', 'juminhyo', TUE, 'city-not-participating'],
  ['kawasaki-taro', '川崎市', 'residence', 'kisai', TUE, 'not-offered'],
  ['kawasaki-taro', '川崎市', 'residence', 'koseki', TUE, 'ok'],
  ['kawasaki-taro', '川崎市', 'domicile', 'koseki', TUE, 'ok'],
  ['kawasaki-taro', '川崎市', 'domicile', 'juminhyo', TUE, 'residence-only'],
  ['kawasaki-taro', '府中市', 'domicile', 'koseki', TUE, 'domicile-not-registered'],
  ['kawasaki-taro', '川崎市', 'residence', 'kazei', MAY, 'ok'], // 2025年度 is offered in May, and on record
  ['kawasaki-hanako', '川崎市', 'residence', 'inkan', TUE, 'no-seal'],
  ['kawasaki-hanako', '川崎市', 'residence', 'kazei', MAY, 'no-tax-data'], // her only record is 2026年度
  ['kawasaki-hanako', '川崎市', 'residence', 'kazei', TUE, 'ok'],
  ['silva-ana', '川崎市', 'residence', 'koseki', TUE, 'domicile-only'], // a foreign resident has no 戸籍
  ['fuchu-honseki', '府中市', 'domicile', 'koseki', TUE, 'ok'],
  ['fuchu-honseki', '府中市', 'domicile', 'fuhyo', TUE_EVENING, 'outside-hours'],
  ['fuchu-honseki', '府中市', 'domicile', 'koseki', HOLIDAY, 'outside-hours'],
  ['fuchu-honseki', '川崎市', 'residence', 'koseki', TUE, 'domicile-only'],
  ['bunkyo-honseki', '文京区', 'domicile', 'koseki', TUE, 'domicile-not-registered'],
  ['new-arrival', '川崎市', 'residence', 'kazei', TUE, 'no-tax-data'],
  ['new-arrival', '川崎市', 'residence', 'inkan', TUE, 'ok'],
  ['kawasaki-ichiro', '川崎市', 'residence', 'juminhyo', TUE, 'under-15'],
  ['adult-ward', '川崎市', 'residence', 'juminhyo', TUE, 'adult-ward'],
  ['moved-out', '川崎市', 'residence', 'juminhyo', TUE, 'moved-out'],
  ['support-measure', '川崎市', 'residence', 'juminhyo', TUE, 'support-measure'],
  ['deceased', '川崎市', 'residence', 'juminhyo', TUE, 'not-registered'],
  ['maboroshi', 'まぼろし村', 'residence', 'juminhyo', TUE, 'city-not-participating'],
  ['yokohama-resident', '横浜市', 'residence', 'kisai', TUE, 'ok'],
  ['bunkyo-resident', '文京区', 'residence', 'kazei', TUE, 'ok'],
  ['fuchu-resident', '府中市', 'residence', 'juminhyo', MAINTENANCE, 'maintenance'],
  ['fuchu-resident', '府中市', 'residence', 'koseki', TUE, 'ok'],
  ['fuchu-resident', '府中市', 'residence', 'koseki', TUE_EVENING, 'outside-hours'],
];

describe('entitlement: persona × municipality × certificate', () => {
  for (const [id, cityName, scope, certificate, at, expected] of TABLE) {
    it(`${id} asks ${cityName} (${scope}) for ${certificate} at ${at.slice(0, 16)}: ${expected}`, () => {
      const e = entitlement(data.registry, resident(data.registry, id), city(cityName), certificate, scope, at);
      expect(e.ok ? 'ok' : e.reason).toBe(expected);
    });
  }

  it('a person turns 15 on their birthday, not the day before', () => {
    const ichiro = resident(data.registry, 'kawasaki-ichiro'); // born 2012-06-01
    expect(personProblem(data.registry, ichiro, '2027-05-31T23:59:00+09:00')).toBe('under-15');
    expect(personProblem(data.registry, ichiro, '2027-06-01T00:00:00+09:00')).toBeNull();
  });
});

describe('the center issues only a tax certificate the city issues', () => {
  const kazei = (city: string, taxKind?: 'kazei' | 'shotoku' | 'shotoku-kazei' | 'nozei'): CertificateRequest => ({
    scope: 'residence', city, certificate: 'kazei', subtype: { kind: 'kazei', year: 2026, ...(taxKind ? { taxKind } : {}) }, options: null, copies: 1, unitFee: 200,
  });
  const taro = resident(data.registry, 'kawasaki-taro');
  it.each([
    [undefined, null], ['kazei', null], ['shotoku', null], ['nozei', 'subtype'], ['shotoku-kazei', 'subtype'],
  ] as const)('川崎市, kind %s: %s', (taxKind, refusal) => {
    expect(requestProblem(data.registry, taro, city('川崎市'), kazei('141305', taxKind), TUE)?.refusal ?? null).toBe(refusal);
  });
  it('says which city does not issue which', () => {
    expect(requestProblem(data.registry, taro, city('川崎市'), kazei('141305', 'nozei'), TUE)?.detail).toBe('川崎市 does not issue the nozei tax certificate');
  });
});
