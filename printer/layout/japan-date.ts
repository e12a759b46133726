// Dates as printed: the certificate's era date (令和) and the receipt's date and time, always in Japan time.
import { DocumentLayoutError } from '../errors.ts';

/** Japan Standard Time has no daylight saving: a fixed +09:00. */
const JST_OFFSET_MS = 9 * 3600_000;

export interface JapanTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Parse an ISO time into its date and time in Japan. A time without an offset is taken as Japan time, so the machine's
 * own time zone never changes what is printed.
 */
export function japanTime(iso: string, what = 'issuedAt'): JapanTime {
  const d = new Date(isoToDate(iso, what).getTime() + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** The instant an ISO time names; without an offset it is Japan time (see japanTime). */
export function isoToDate(iso: string, what = 'issuedAt'): Date {
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(iso) || /^\d{4}-\d\d-\d\d$/.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}+09:00`);
  if (!/^\d{4}-\d\d-\d\d/.test(iso) || Number.isNaN(ms)) {
    throw new DocumentLayoutError(`${what} "${iso}" is not an ISO date-time; send e.g. "2025-11-21T10:30:00+09:00".`);
  }
  return new Date(ms);
}

// Era start dates in Japan time; a date belongs to the latest era that started on or before it.
const ERAS = [
  { name: '令和', start: [2019, 5, 1] },
  { name: '平成', start: [1989, 1, 8] },
  { name: '昭和', start: [1926, 12, 25] },
] as const;

/** 令和N年M月D日 in Japan time; the first year of an era is 元年. */
export function eraDate(iso: string, what = 'issuedAt'): string {
  const t = japanTime(iso, what);
  const key = t.year * 10000 + t.month * 100 + t.day;
  const era = ERAS.find((e) => key >= e.start[0] * 10000 + e.start[1] * 100 + e.start[2]);
  if (!era) {
    throw new DocumentLayoutError(`${what} "${iso}" is before the 昭和 era; certificates are dated in the present era.`);
  }
  const n = t.year - era.start[0] + 1;
  return `${era.name}${n === 1 ? '元' : n}年${t.month}月${t.day}日`;
}

/** 2025年11月21日 14:05 in Japan time, for the receipt. */
export function japanDateTime(iso: string, what = 'issuedAt'): string {
  const t = japanTime(iso, what);
  return `${t.year}年${t.month}月${t.day}日 ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
