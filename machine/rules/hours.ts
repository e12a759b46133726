import type { Hours, Municipality, OutOfServiceReason } from '../types.ts';
import { japanTime, minutesOf } from './japan-time.ts';

/** The national service: 6:30–23:00 every day, closed December 29 – January 3. */
export const SERVICE_HOURS: Hours = { open: '06:30', close: '23:00', days: 'daily' };

export function isYearEndClosure(at: string): boolean {
  const t = japanTime(at);
  return (t.month === 12 && t.day >= 29) || (t.month === 1 && t.day <= 3);
}

export function withinHours(hours: Hours, at: string, holidays: readonly string[] = []): boolean {
  const t = japanTime(at);
  if (hours.days === 'weekdays' && (t.weekday === 0 || t.weekday === 6 || holidays.includes(t.date))) return false;
  return t.minutes >= minutesOf(hours.open) && t.minutes < minutesOf(hours.close);
}

/** Why the kiosk's certificate service is closed at `at`, or null when it is open. */
export function serviceClosure(at: string): OutOfServiceReason | null {
  if (isYearEndClosure(at)) return 'year-end';
  if (!withinHours(SERVICE_HOURS, at)) return 'outside-hours';
  return null;
}

/** A city's own maintenance windows close the service for its residents only. */
export function inMaintenance(city: Municipality, at: string): boolean {
  const now = Date.parse(at);
  return city.maintenance.some((w) => now >= Date.parse(w.from) && now < Date.parse(w.to));
}
