// The one Japan calendar of the house: every rule, layout, clock and screen reads time as Japan Standard Time
// (UTC+9, no daylight saving) through this module, whatever the host's zone; certificates are dated in its eras.

export interface JapanTime {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  minutes: number; // minutes since midnight
  date: string; // YYYY-MM-DD
}

/** Japan Standard Time has no daylight saving: a fixed +09:00. */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A text that names no moment; `what` says which field it came from. */
export class JapanTimeError extends RangeError {
  override readonly name = 'JapanTimeError';
}

/**
 * The instant an ISO time names. A time without an offset is Japan time, so the machine's own zone never changes a
 * rule's answer or a printed date; a date alone is that day.
 */
export function instantOf(iso: string, what = 'time'): Date {
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(iso) || /^\d{4}-\d\d-\d\d$/.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}+09:00`);
  if (typeof iso !== 'string' || !/^\d{4}-\d\d-\d\d/.test(iso) || Number.isNaN(ms)) {
    throw new JapanTimeError(`${what} ${JSON.stringify(iso)} is not an ISO date-time; send e.g. "2025-11-21T10:30:00+09:00".`);
  }
  return new Date(ms);
}

/** The date and time in Japan of an ISO time or of epoch milliseconds. */
export function japanTime(at: string | number, what = 'time'): JapanTime {
  const ms = typeof at === 'number' ? at : instantOf(at, what).getTime();
  const d = new Date(ms + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
    date: d.toISOString().slice(0, 10),
  };
}

/** Epoch milliseconds as an ISO time with the Japan offset, e.g. 2026-11-24T10:00:00.000+09:00. */
export function japanIso(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().replace('Z', '+09:00');
}

/** The instant a day starts in Japan (00:00 JST) for epoch milliseconds within it. */
export function startOfJapanDay(ms: number): number {
  const DAY = 86_400_000;
  return Math.floor((ms + JST_OFFSET_MS) / DAY) * DAY - JST_OFFSET_MS;
}

// Era start dates in Japan time; a date belongs to the latest era that started on or before it.
const ERAS = [
  { name: '令和', start: [2019, 5, 1] },
  { name: '平成', start: [1989, 1, 8] },
  { name: '昭和', start: [1926, 12, 25] },
] as const;

/** 令和N年M月D日 in Japan time, as certificates are dated; the first year of an era is 元年. */
export function eraDate(iso: string, what = 'time'): string {
  const t = japanTime(iso, what);
  const key = t.year * 10000 + t.month * 100 + t.day;
  const era = ERAS.find((e) => key >= e.start[0] * 10000 + e.start[1] * 100 + e.start[2]);
  if (!era) throw new JapanTimeError(`${what} "${iso}" is before the 昭和 era; certificates are dated in the present era.`);
  const n = t.year - era.start[0] + 1;
  return `${era.name}${n === 1 ? '元' : n}年${t.month}月${t.day}日`;
}

/** 2025年11月21日 14:05 in Japan time, as a receipt shows it. */
export function japanDateTime(iso: string, what = 'time'): string {
  const t = japanTime(iso, what);
  return `${t.year}年${t.month}月${t.day}日 ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** The kiosk's clock stays within these years (Japan time): a simulated clock set outside them is a mistake. */
export const CLOCK_YEARS = { from: 2000, to: 2099 } as const;

/** A clock time that is not a real moment of the kiosk's range: the message says what is wrong and what to give. */
export class ClockTimeError extends RangeError {
  constructor(value: unknown, detail: string) {
    const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
    super(`${shown} is not a clock time: ${detail}; expected an ISO 8601 time with its offset between ${CLOCK_YEARS.from} and ${CLOCK_YEARS.to}, e.g. 2026-11-24T10:00:00+09:00`);
    this.name = 'ClockTimeError';
  }
}

const STRICT_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses a clock time strictly, as the kiosk takes it from a flag, an operator, a journey or a terminal: ISO 8601
 * with its offset, every field in range (2026-02-30 is refused, not read as March 2), the year within CLOCK_YEARS.
 * Returns epoch milliseconds; throws ClockTimeError.
 */
export function parseClockTime(value: unknown): number {
  if (typeof value !== 'string') throw new ClockTimeError(value, 'it is not text');
  const m = STRICT_TIME.exec(value);
  if (!m) throw new ClockTimeError(value, 'it is not of the form YYYY-MM-DDTHH:MM[:SS] with an offset (+09:00 or Z)');
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12) throw new ClockTimeError(value, `there is no month ${month}`);
  if (day < 1 || day > daysInMonth) throw new ClockTimeError(value, `${year}-${String(month).padStart(2, '0')} has ${daysInMonth} days`);
  if (hour > 23 || minute > 59 || second > 59) throw new ClockTimeError(value, 'hours run to 23, minutes and seconds to 59');
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) throw new ClockTimeError(value, 'an offset is at most ±14:00');
  const ms = Date.parse(value);
  const jstYear = new Date(ms + JST_OFFSET_MS).getUTCFullYear();
  if (Number.isNaN(ms) || jstYear < CLOCK_YEARS.from || jstYear > CLOCK_YEARS.to) throw new ClockTimeError(value, `the year is outside ${CLOCK_YEARS.from}–${CLOCK_YEARS.to}`);
  return ms;
}

/** Whether epoch milliseconds fall within the kiosk clock's range (for clocks that move by themselves). */
export function withinClockRange(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const year = new Date(ms + JST_OFFSET_MS).getUTCFullYear();
  return year >= CLOCK_YEARS.from && year <= CLOCK_YEARS.to;
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
