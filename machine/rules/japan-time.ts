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

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
