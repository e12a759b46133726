// The sample municipalities (assets/municipalities.json) hold what the screens rely on: every participating
// municipality says where, when and with what a locked PIN is reset.
import { describe, expect, it } from 'vitest';
import municipalitiesJson from '../assets/municipalities.json' with { type: 'json' };
import { TAX_KINDS, type Municipality } from './types.ts';

const cities = municipalitiesJson.municipalities as unknown as Municipality[];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MMDD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

describe('municipalities: where a locked PIN is reset', () => {
  it.each(cities.filter((c) => c.participating).map((c) => [c.name, c] as const))('%s has at least one reset office with an address', (_, c) => {
    expect(c.pinReset, 'pinReset').toBeDefined();
    expect(c.pinReset!.offices.length).toBeGreaterThan(0);
    for (const o of c.pinReset!.offices) {
      expect(o.name.trim(), 'name').not.toBe('');
      expect(o.office.trim(), `${o.name} office`).not.toBe('');
      expect(o.address.trim(), `${o.name} address`).not.toBe('');
    }
  });

  it.each(cities.filter((c) => c.pinReset).map((c) => [c.name, c] as const))('%s has well-formed hours, closures and things to bring', (_, c) => {
    const { hours, closed, bring } = c.pinReset!;
    expect(hours.weekdays.open).toMatch(HHMM);
    expect(hours.weekdays.close).toMatch(HHMM);
    expect(hours.weekdays.open < hours.weekdays.close).toBe(true);
    if (hours.saturdays) {
      expect(hours.saturdays.open).toMatch(HHMM);
      expect(hours.saturdays.close).toMatch(HHMM);
      expect(hours.saturdays.weeks.length).toBeGreaterThan(0);
      for (const w of hours.saturdays.weeks) expect(w >= 1 && w <= 5, `week ${w}`).toBe(true);
    }
    if (closed.yearEnd) {
      expect(closed.yearEnd.from).toMatch(MMDD);
      expect(closed.yearEnd.to).toMatch(MMDD);
    }
    expect(bring).toContain('my-number-card');
  });

  it('川崎市 lists its seven wards, with the spec hours (weekdays 9:00–17:00, 2nd and 4th Saturday 8:30–12:30)', () => {
    const k = cities.find((c) => c.code === '141305')!.pinReset!;
    expect(k.offices.map((o) => o.name)).toEqual(['川崎区', '幸区', '中原区', '高津区', '宮前区', '多摩区', '麻生区']);
    for (const o of k.offices) {
      expect(o.office).toBe(`${o.name}役所 区民課`);
      expect(o.address.startsWith(o.name)).toBe(true);
    }
    expect(k.hours).toEqual({ weekdays: { open: '09:00', close: '17:00' }, saturdays: { weeks: [2, 4], open: '08:30', close: '12:30' } });
    expect(k.closed).toEqual({ holidays: true, yearEnd: { from: '12-29', to: '01-03' } });
    expect(k.bring).toEqual(['my-number-card', 'identity-document']);
  });
});

describe('municipalities: the tax certificates each issues', () => {
  it.each(cities.filter((c) => c.taxKinds).map((c) => [c.name, c] as const))('%s names known kinds, each once', (_, c) => {
    expect(c.taxKinds!.length).toBeGreaterThan(0);
    for (const k of c.taxKinds!) expect(TAX_KINDS).toContain(k);
    expect(new Set(c.taxKinds).size).toBe(c.taxKinds!.length);
    expect(c.certificates.kazei, 'a city naming tax kinds offers the tax certificate').toBeDefined();
  });
});
