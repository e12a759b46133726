import { describe, expect, it } from 'vitest';
import municipalities from '../../assets/municipalities.json' with { type: 'json' };
import type { Municipality } from '../types.ts';
import { afterBusinessDays, ageOn, cardValidity, certificateValidity, counterClosure, monthsBefore, newPinProblem, nthBirthdayAfter, renewalOpensOn } from './card-life.ts';

const kawasaki = (municipalities.municipalities as unknown as Municipality[]).find((m) => m.code === '141305')!;

describe('the counter of a card’s life', () => {
  it('is open on weekdays 9:00-17:00 and the 2nd and 4th Saturday mornings, closed on holidays and at the year end (Kawasaki, seed 001)', () => {
    expect(counterClosure(kawasaki, '2026-12-07T09:00:00+09:00')).toBeNull(); // a Monday
    expect(counterClosure(kawasaki, '2026-12-07T08:59:00+09:00')).toBe('outside-hours');
    expect(counterClosure(kawasaki, '2026-12-07T17:00:00+09:00')).toBe('outside-hours');
    expect(counterClosure(kawasaki, '2026-12-12T10:00:00+09:00')).toBeNull(); // the 2nd Saturday
    expect(counterClosure(kawasaki, '2026-12-12T12:30:00+09:00')).toBe('outside-hours');
    expect(counterClosure(kawasaki, '2026-12-05T10:00:00+09:00')).toBe('weekend'); // the 1st Saturday
    expect(counterClosure(kawasaki, '2026-12-06T10:00:00+09:00')).toBe('weekend'); // a Sunday
    expect(counterClosure(kawasaki, '2026-11-23T10:00:00+09:00')).toBe('holiday'); // 勤労感謝の日
    expect(counterClosure(kawasaki, '2026-12-29T10:00:00+09:00')).toBe('year-end');
    expect(counterClosure(kawasaki, '2027-01-04T10:00:00+09:00')).toBeNull();
    expect(counterClosure({ holidays: [] }, '2026-12-07T10:00:00+09:00')).toBe('no-counter');
  });

  it('dates certificates to the 5th birthday after issue, a renewal near a birthday to the 6th, never past the card', () => {
    expect(nthBirthdayAfter('1980-04-12', '2026-04-12', 1)).toBe('2027-04-12');
    expect(nthBirthdayAfter('1980-04-12', '2026-04-11', 1)).toBe('2026-04-12');
    expect(nthBirthdayAfter('2000-02-29', '2026-03-01', 1)).toBe('2027-02-28');
    expect(certificateValidity('1980-04-12', '2026-12-07T01:00:00.000Z')).toEqual({ notBefore: '2026-12-07T01:00:00.000Z', notAfter: '2031-04-12T14:59:59.000Z' });
    // Renewed on 2027-02-01, within 3 months of the birthday 2027-04-12: the 6th birthday, 2032-04-12.
    expect(certificateValidity('1980-04-12', '2027-02-01T01:00:00.000Z', { renewal: true }).notAfter).toBe('2032-04-12T14:59:59.000Z');
    expect(certificateValidity('1980-04-12', '2027-02-01T01:00:00.000Z').notAfter).toBe('2031-04-12T14:59:59.000Z');
    expect(certificateValidity('1980-04-12', '2026-12-07T01:00:00.000Z', { cardExpires: '2029-01-01T00:00:00.000Z' }).notAfter).toBe('2029-01-01T00:00:00.000Z');
  });

  it('dates cards to the 10th birthday (18 or older), the 5th under 18, or the end of the period of stay', () => {
    expect(cardValidity('1980-04-12', '2026-12-07T01:00:00.000Z')).toBe('2036-04-12T14:59:59.000Z');
    expect(cardValidity('2012-06-01', '2026-12-07T01:00:00.000Z')).toBe('2031-06-01T14:59:59.000Z');
    expect(cardValidity('1990-01-01', '2026-12-07T01:00:00.000Z', '2028-03-31')).toBe('2028-03-31T14:59:59.000Z');
    // A card of 2016 (the persona expired-card, born 1968-01-25): to 2026-01-25. Its first certificates ended on
    // 2021-01-25; renewed on 2021-01-12, within 3 months of that birthday, they run to the 6th birthday after, the
    // card's own end. Renewed on 2021-12-02 they would run to 2027-01-25, past the card: they end with it.
    const card = cardValidity('1968-01-25', '2016-02-09T15:00:00.000Z');
    expect(card).toBe('2026-01-25T14:59:59.000Z');
    expect(certificateValidity('1968-01-25', '2021-01-11T15:00:00.000Z', { renewal: true, cardExpires: card }).notAfter).toBe(card);
    expect(certificateValidity('1968-01-25', '2021-12-01T15:00:00.000Z', { renewal: true }).notAfter).toBe('2027-01-25T14:59:59.000Z');
    expect(certificateValidity('1968-01-25', '2021-12-01T15:00:00.000Z', { renewal: true, cardExpires: card }).notAfter).toBe(card);
    // Issued on the birthday itself: that birthday is not counted (18 on the day: an adult's 10 years).
    expect(cardValidity('2008-12-07', '2026-12-07T01:00:00.000Z')).toBe('2036-12-07T14:59:59.000Z');
    expect(ageOn('2008-12-07', '2026-12-07')).toBe(18);
    expect(ageOn('2008-12-08', '2026-12-07')).toBe(17);
  });

  it('opens renewal 3 months before expiry', () => {
    expect(renewalOpensOn('2031-04-12T14:59:59.000Z')).toBe('2031-01-12');
    expect(monthsBefore('2026-05-31', 3)).toBe('2026-02-28');
    expect(monthsBefore('2027-02-15', 3)).toBe('2026-11-15');
  });

  it('takes a 4-digit PIN and a 6-16 character signature password of letters and digits', () => {
    expect(newPinProblem('auth', '1234')).toBeNull();
    expect(newPinProblem('auth', '123')).toMatch(/4 digits/);
    expect(newPinProblem('cardInfo', '12a4')).toMatch(/4 digits/);
    expect(newPinProblem('sign', 'ABC123')).toBeNull();
    expect(newPinProblem('sign', 'ABCDEF')).toMatch(/one letter and one digit/);
    expect(newPinProblem('sign', 'abc123')).toMatch(/capital/);
    expect(newPinProblem('sign', 'A1'.repeat(9))).toMatch(/6 to 16/);
  });

  it('counts business days past weekends, holidays and the year end', () => {
    // Friday 2026-12-04 + 2 business days: Tuesday 2026-12-08, 0:00 Japan time.
    expect(afterBusinessDays(kawasaki, '2026-12-04T15:00:00+09:00', 2)).toBe('2026-12-07T15:00:00.000Z');
    expect(afterBusinessDays(kawasaki, '2026-11-20T10:00:00+09:00', 2)).toBe('2026-11-24T15:00:00.000Z'); // 11-23 is a holiday: Wednesday 11-25
    expect(afterBusinessDays(kawasaki, '2026-12-28T10:00:00+09:00', 1)).toBe('2027-01-03T15:00:00.000Z'); // Monday 2027-01-04
  });
});
