// All rules read time as Japan Standard Time (UTC+9, no daylight saving), whatever the host's zone.

export interface JapanTime {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  minutes: number; // minutes since midnight
  date: string; // YYYY-MM-DD
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export function japanTime(iso: string): JapanTime {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${JSON.stringify(iso)} (expected ISO 8601, e.g. 2026-11-24T10:00:00+09:00)`);
  const d = new Date(ms + JST_OFFSET_MS);
  const date = d.toISOString().slice(0, 10);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
    date,
  };
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
