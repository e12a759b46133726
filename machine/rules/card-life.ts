// The rules of a card's life that a ward-office counter applies (../shared/spec/card-life.md): when the counter is
// open, how long a certificate is valid and from when it may be renewed, what a new PIN must look like. Pure: the
// counter, the center and the kiosk's screens decide by the same functions.
import type { Municipality } from '../types.ts';
import { japanTime, minutesOf } from './japan-time.ts';

/** Why a city's counter is closed at `at` (Japan time), or null when it is open (its pinReset hours, §3.2). */
export function counterClosure(city: Pick<Municipality, 'pinReset' | 'holidays'>, at: string): 'no-counter' | 'year-end' | 'holiday' | 'weekend' | 'outside-hours' | null {
  const reset = city.pinReset;
  if (!reset) return 'no-counter';
  const t = japanTime(at);
  const mmdd = `${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
  const y = reset.closed.yearEnd;
  if (y && (y.from <= y.to ? mmdd >= y.from && mmdd <= y.to : mmdd >= y.from || mmdd <= y.to)) return 'year-end';
  if (reset.closed.holidays && city.holidays.includes(t.date)) return 'holiday';
  let hours: { open: string; close: string } | undefined = reset.hours.weekdays;
  if (t.weekday === 0) hours = undefined;
  // The n-th Saturday of the month: days 1-7 are the first, 8-14 the second…
  if (t.weekday === 6) hours = reset.hours.saturdays?.weeks.includes(Math.ceil(t.day / 7)) ? reset.hours.saturdays : undefined;
  if (!hours) return 'weekend';
  return t.minutes >= minutesOf(hours.open) && t.minutes < minutesOf(hours.close) ? null : 'outside-hours';
}

/** The date `years` birthdays after `birthDate` (a 29 February birthday falls on 28 February in other years). */
function birthdayIn(birthDate: string, year: number): string {
  const [, m, d] = birthDate.split('-').map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The last second (Japan time) of a date, as an ISO instant. */
const endOfJapanDay = (date: string): string => new Date(Date.parse(`${date}T23:59:59+09:00`)).toISOString();

/** The `n`-th birthday after `date` (a birthday on `date` itself is not counted). */
export function nthBirthdayAfter(birthDate: string, date: string, n: number): string {
  const year = Number(date.slice(0, 4));
  const thisYear = birthdayIn(birthDate, year);
  const first = thisYear > date ? year : year + 1;
  return birthdayIn(birthDate, first + n - 1);
}

/** Months before a date, the same day of the month (or the month's last day). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The electronic certificates may be renewed from 3 months before they expire (§6.2), and any time after. */
export const RENEWAL_MONTHS = 3;

/** The first day (Japan date) a certificate expiring at `notAfter` may be renewed. */
export function renewalOpensOn(notAfter: string): string {
  return monthsBefore(japanTime(notAfter).date, RENEWAL_MONTHS);
}

/**
 * A new certificate's validity (§6.2): from its issue to the 5th birthday after it; a renewal within the 3 months
 * before a birthday runs to the 6th (so that no time is lost); never past the card's own expiry.
 */
export function certificateValidity(birthDate: string, issuedAt: string, o: { renewal?: boolean; cardExpires?: string } = {}): { notBefore: string; notAfter: string } {
  const { cardExpires } = o;
  const today = japanTime(issuedAt).date;
  const next = nthBirthdayAfter(birthDate, today, 1);
  const n = o.renewal && monthsBefore(next, RENEWAL_MONTHS) <= today ? 6 : 5;
  let notAfter = endOfJapanDay(nthBirthdayAfter(birthDate, today, n));
  if (cardExpires && Date.parse(cardExpires) < Date.parse(notAfter)) notAfter = cardExpires;
  return { notBefore: new Date(issuedAt).toISOString(), notAfter };
}

/** A card's validity (§6.1): to the 10th birthday after issue for a person 18 or older, the 5th under 18. */
export function cardValidity(birthDate: string, issuedAt: string, stayUntil?: string): string {
  const today = japanTime(issuedAt).date;
  const adult = ageOn(birthDate, today) >= 18;
  const end = endOfJapanDay(nthBirthdayAfter(birthDate, today, adult ? 10 : 5));
  const stay = stayUntil ? endOfJapanDay(stayUntil) : null;
  return stay && stay < end ? stay : end;
}

/** Age in whole years on `date` (YYYY-MM-DD). */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The card's PINs a counter sets (card-life.md §2): the user-authentication, signature and 券面事項入力補助 PINs. */
export type CounterPin = 'auth' | 'sign' | 'cardInfo';

/** What is wrong with a new PIN, or null (4 digits; the signature password 6-16 of A-Z and 0-9, at least one of each). */
export function newPinProblem(pin: CounterPin, value: string): string | null {
  if (pin === 'sign') {
    if (!/^[A-Z0-9]{6,16}$/.test(value)) return 'the signature password is 6 to 16 capital letters A-Z and digits 0-9';
    if (!/[A-Z]/.test(value) || !/[0-9]/.test(value)) return 'the signature password needs at least one letter and one digit';
    return null;
  }
  return /^\d{4}$/.test(value) ? null : 'a PIN is 4 digits';
}

/**
 * The start (0:00 Japan time) of the `n`-th business day after `at`'s day in a city: weekends, the city's holidays
 * and December 29 – January 3 are not business days. A 本籍地 registration is approved after 1–3 business days
 * (konbini-service-facts S18); when it is usable is this.
 */
export function afterBusinessDays(city: Pick<Municipality, 'holidays'>, at: string, n: number): string {
  let day = Date.parse(`${japanTime(at).date}T00:00:00+09:00`);
  for (let left = n; left > 0;) {
    day += 86_400_000;
    const t = japanTime(day);
    const yearEnd = (t.month === 12 && t.day >= 29) || (t.month === 1 && t.day <= 3);
    if (t.weekday !== 0 && t.weekday !== 6 && !yearEnd && !city.holidays.includes(t.date)) left--;
  }
  return new Date(day).toISOString();
}
