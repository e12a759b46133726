// The personas' cards as the sample world makes them: certificates dated by the holder's birthdays (card-life.md
// §6.2), never past the card (§6.1), the card older than its certificates where they were renewed, a day count only
// where there is no birthday rule to follow.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardDates, cardOlderDays, periodOfStayEnd } from '../center/card-life.ts';
import { loadSampleData, type CardVariant } from './sample-data.ts';

const data = loadSampleData();
const AT = Date.parse('2026-11-24T10:00:00+09:00');

/** The user-authentication certificate's dates on the persona's new card made at `at`. */
function datesOf(id: string, at = AT, variant: CardVariant = {}) {
  const x = new X509Certificate(data.mintCard(id, at, variant).certificates.auth!);
  return { notBefore: new Date(x.validFrom).toISOString(), notAfter: new Date(x.validTo).toISOString() };
}

const resident = (id: string) => data.registry.residents.get(id)!;

describe('personas’ cards dated by the birthday rule', () => {
  it('a certificate runs from the Japan midnight of its issue day to the end of the 5th birthday after', () => {
    // kawasaki-taro (born 1980-04-12), issued 400 days before 2026-11-24: 2025-10-20.
    expect(datesOf('kawasaki-taro')).toEqual({ notBefore: '2025-10-19T15:00:00.000Z', notAfter: '2030-04-12T14:59:59.000Z' });
    // Born 1950-10-10, issued 2021-09-11: expired at the end of 2025-10-10, on a card valid to 2030-10-10.
    expect(datesOf('expired').notAfter).toBe('2025-10-10T14:59:59.000Z');
    expect(cardDates(resident('expired'), datesOf('expired').notBefore).expires).toBe('2030-10-10T14:59:59.000Z');
    // Issued today: usable from tomorrow, to the 5th birthday after (born 1985-02-02).
    expect(datesOf('issued-today')).toEqual({ notBefore: '2026-11-23T15:00:00.000Z', notAfter: '2031-02-02T14:59:59.000Z' });
  });

  it('a certificate ends with the card: the period of stay, or the card of one renewed since', () => {
    expect(periodOfStayEnd(resident('nguyen-lan'))).toBe('2027-03-31');
    expect(datesOf('nguyen-lan').notAfter).toBe('2027-03-31T14:59:59.000Z');
    // A permanent resident has no period of stay: dated by age, as a citizen.
    expect(periodOfStayEnd(resident('silva-ana'))).toBeUndefined();
    expect(datesOf('silva-ana').notAfter).toBe('2030-03-03T14:59:59.000Z');
    // expired-card (born 1968-01-25): card issued 3,953 days before (2016-01-28), certificate renewed 2,155 days
    // before (2020-12-30): a renewal within 3 months of a birthday runs to the 6th, 2026-01-25, the card's own end.
    const p = data.persona('expired-card');
    expect(cardOlderDays(p.card)).toBe(3953 - 2155);
    const d = datesOf('expired-card');
    expect(d).toEqual({ notBefore: '2020-12-29T15:00:00.000Z', notAfter: '2026-01-25T14:59:59.000Z' });
    expect(cardDates(resident('expired-card'), d.notBefore, cardOlderDays(p.card))).toEqual({ issued: '2016-01-27T15:00:00.000Z', expires: '2026-01-25T14:59:59.000Z' });
  });

  it('no certificate outlives its card, for any persona, at any time', () => {
    for (const at of ['2026-11-24T10:00:00+09:00', '2028-02-29T00:00:00+09:00', '2030-06-15T23:59:00+09:00', '2024-02-29T12:00:00+09:00']) {
      for (const p of data.personas) {
        if (!p.resident || p.card.kind !== 'my-number-card' || p.card.validDays !== undefined) continue;
        const d = datesOf(p.id, Date.parse(at));
        const card = cardDates(resident(p.resident), d.notBefore, cardOlderDays(p.card));
        expect(Date.parse(d.notAfter), `${p.id} at ${at}`).toBeLessThanOrEqual(Date.parse(card.expires));
        expect(Date.parse(d.notAfter), `${p.id} at ${at}`).toBeGreaterThan(Date.parse(d.notBefore));
        expect(d.notAfter, `${p.id} at ${at}`).toMatch(/T14:59:59\.000Z$/); // the end of a Japan day
      }
    }
  });

  it('a card made after the period of stay ended is an expired one', () => {
    expect(datesOf('nguyen-lan', Date.parse('2030-06-15T10:00:00+09:00'))).toEqual({ notBefore: '2027-03-30T15:00:00.000Z', notAfter: '2027-03-31T14:59:59.000Z' });
  });

  it('a card with no resident, and the 住基カード, keep the day count', () => {
    // no-record: issued 500 days before, 1,826 days of validity less a second.
    expect(datesOf('no-record')).toEqual({ notBefore: '2025-07-11T15:00:00.000Z', notAfter: '2030-07-11T14:59:59.000Z' });
    expect(data.persona('juki-card').card.validDays).toBe(3650);
    const j = datesOf('juki-card');
    expect(Date.parse(j.notAfter) - Date.parse(j.notBefore)).toBe(3650 * 86_400_000 - 1000);
  });

  it('the expired variant: the persona’s validity, moved back to end yesterday', () => {
    const usual = datesOf('kawasaki-taro');
    const expired = datesOf('kawasaki-taro', AT, { expired: true });
    expect(expired.notAfter).toBe('2026-11-23T14:59:59.000Z');
    expect(Date.parse(expired.notAfter) - Date.parse(expired.notBefore)).toBe(Date.parse(usual.notAfter) - Date.parse(usual.notBefore));
    expect(datesOf('expired-card', AT, { expired: true }).notAfter).toBe('2026-11-23T14:59:59.000Z');
  });

  it('issuedDaysAgo moves the certificates, and the card with them', () => {
    // kawasaki-taro issued 1,765 days before 2027-03-01 (2022-05-01): to 2027-04-12, as journeys/life/03 has it.
    expect(datesOf('kawasaki-taro', Date.parse('2027-03-01T10:00:00+09:00'), { issuedDaysAgo: 1765 }).notAfter).toBe('2027-04-12T14:59:59.000Z');
    // expired-card's certificate issued a year ago sits on a card a year and 1,798 days old: valid to its 5th birthday.
    expect(datesOf('expired-card', AT, { issuedDaysAgo: 365 }).notAfter).toBe('2030-01-25T14:59:59.000Z');
  });
});
