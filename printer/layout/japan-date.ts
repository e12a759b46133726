// Dates as printed: the Japan calendar of machine/rules (one for the whole house), with a date the printer cannot
// print reported as a layout error, like every other field the center sent wrong.
import * as calendar from '../../machine/rules/japan-time.ts';
import { DocumentLayoutError } from '../errors.ts';

function printable<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof calendar.JapanTimeError) throw new DocumentLayoutError(e.message);
    throw e;
  }
}

/** The instant of an ISO time (without an offset: Japan time). */
export const isoToDate = (iso: string, what = 'issuedAt') => printable(() => calendar.instantOf(iso, what));
/** 令和N年M月D日; 元年 for the first year of an era. */
export const eraDate = (iso: string, what = 'issuedAt') => printable(() => calendar.eraDate(iso, what));
/** 2025年11月21日 14:05 in Japan time, for the receipt. */
export const japanDateTime = (iso: string, what = 'issuedAt') => printable(() => calendar.japanDateTime(iso, what));
