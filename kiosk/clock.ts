// Time reaches the machine only through events; the runtime reads it from a Clock. The simulated clock lets a
// journey (or a test) run a day of timeouts in milliseconds. Every time a clock is set to is parsed strictly and
// kept within the kiosk's range of years (machine/rules/japan-time.ts), so no flag, operator message or journey can
// move it to a moment that does not exist or that a date cannot print.
import { ClockTimeError, japanIso, parseClockTime, withinClockRange } from '../machine/rules/japan-time.ts';

export { ClockTimeError };

export interface Clock {
  /** ISO time with the Japan offset, e.g. 2026-11-24T10:00:00.000+09:00. */
  now(): string;
  nowMs(): number;
  /** Calls `fire` after `ms` of this clock's time; returns a cancel function. */
  setTimer(ms: number, fire: () => void): () => void;
}

export const toJapanIso = japanIso;

/** Wall-clock time, optionally shifted so that it starts at a given moment (`--clock 2026-12-29T10:00+09:00`). */
export class RealClock implements Clock {
  readonly #offset: number;
  constructor(start?: string) {
    this.#offset = start ? parseTime(start) - Date.now() : 0;
  }
  nowMs(): number {
    return Date.now() + this.#offset;
  }
  now(): string {
    return toJapanIso(this.nowMs());
  }
  setTimer(ms: number, fire: () => void): () => void {
    const t = setTimeout(fire, ms);
    t.unref?.();
    return () => clearTimeout(t);
  }
}

/** Time that moves only when told to: `advance(ms)` fires the timers that fall due, in order. */
export class SimClock implements Clock {
  #ms: number;
  #timers: Array<{ due: number; fire: () => void; id: number }> = [];
  #nextId = 0;
  constructor(start: string) {
    this.#ms = parseTime(start);
  }
  nowMs(): number {
    return this.#ms;
  }
  now(): string {
    return toJapanIso(this.#ms);
  }
  setTimer(ms: number, fire: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.push({ due: this.#ms + ms, fire, id });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }
  /** Moves time on, firing every timer that falls due (including ones armed by the timers it fires). */
  advance(ms: number): void {
    const end = checkedMove(this.#ms, ms);
    for (;;) {
      const next = this.#timers.filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#ms = next.due;
      next.fire();
    }
    this.#ms = end;
  }
  /** The wall clock is set (the operator's clock): timers keep their due times, and fire on the next advance. */
  set(iso: string): void {
    this.#ms = parseTime(iso);
  }
  /**
   * The wall clock jumps (a journey's `clock:` step) and nothing fires: each timer keeps the time it had left, as a
   * timer measured in elapsed time does.
   */
  jump(iso: string): void {
    const delta = parseTime(iso) - this.#ms;
    this.#ms += delta;
    for (const t of this.#timers) t.due += delta;
  }
  get pendingTimers(): number {
    return this.#timers.length;
  }
}

/** A clock time, strictly (see parseClockTime); throws ClockTimeError. */
export function parseTime(iso: string): number {
  return parseClockTime(iso);
}

/** Moving a clock by `ms` must keep it within the range; throws ClockTimeError otherwise. */
function checkedMove(from: number, ms: number): number {
  const end = from + ms;
  if (!withinClockRange(end)) throw new ClockTimeError(toJapanIsoSafe(end), 'moving the clock there leaves the range of years');
  return end;
}

function toJapanIsoSafe(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? toJapanIso(ms) : String(ms);
}

/**
 * Wall-clock time the operator can steer while the kiosk runs (`kiosk start`, the operator panel): `set()` moves it
 * to another moment, `advance()` jumps ahead firing the timers that fall due (as SimClock does), `setRate()` makes it
 * run faster (×10: an idle timeout of 60 s comes in 6 s). Timers are kept in this clock's time, so a change of rate
 * or an advance reschedules them.
 */
export class ControlledClock implements Clock {
  /** This clock's time at `#anchorReal` (a Date.now()). */
  #anchorMs: number;
  #anchorReal: number;
  #rate = 1;
  #timers = new Map<number, { due: number; fire: () => void; handle: ReturnType<typeof setTimeout> | null }>();
  #nextId = 0;

  constructor(start?: string) {
    this.#anchorReal = Date.now();
    this.#anchorMs = start ? parseTime(start) : this.#anchorReal;
  }
  nowMs(): number {
    return this.#anchorMs + (Date.now() - this.#anchorReal) * this.#rate;
  }
  now(): string {
    return toJapanIso(this.nowMs());
  }
  get rate(): number {
    return this.#rate;
  }
  /** When the next timer falls due (this clock's ms), or null: on a kiosk, the current screen's timeout. */
  nextTimerDue(): number | null {
    let next: number | null = null;
    for (const t of this.#timers.values()) if (next === null || t.due < next) next = t.due;
    return next;
  }
  setTimer(ms: number, fire: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.nowMs() + ms, fire, handle: null });
    this.#schedule(id);
    return () => {
      const t = this.#timers.get(id);
      if (t?.handle) clearTimeout(t.handle);
      this.#timers.delete(id);
    };
  }
  /** Moves the clock to another moment; pending timers keep the time they had left (nothing fires). */
  set(iso: string): void {
    const delta = parseTime(iso) - this.nowMs();
    this.#rebase(this.nowMs() + delta);
    for (const t of this.#timers.values()) t.due += delta;
    this.#rescheduleAll();
  }
  /** Jumps ahead, firing in order every timer that falls due (including ones armed by the timers it fires). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a time ≥ 0 ms, not ${ms}`);
    const end = checkedMove(this.nowMs(), ms);
    for (;;) {
      let next: [number, { due: number; fire: () => void; handle: ReturnType<typeof setTimeout> | null }] | null = null;
      for (const e of this.#timers) if (e[1].due <= end && (!next || e[1].due < next[1].due)) next = e;
      if (!next) break;
      const [id, t] = next;
      if (t.handle) clearTimeout(t.handle);
      this.#timers.delete(id);
      this.#rebase(Math.max(this.nowMs(), t.due));
      t.fire();
    }
    this.#rebase(Math.max(this.nowMs(), end));
    this.#rescheduleAll();
  }
  /** Runs the clock `rate` times faster than real time (1 = real time; at most 3600). */
  setRate(rate: number): void {
    if (!(rate > 0 && rate <= 3600)) throw new RangeError(`a clock rate is > 0 and ≤ 3600, not ${rate}`);
    this.#rebase(this.nowMs());
    this.#rate = rate;
    this.#rescheduleAll();
  }
  #rebase(ms: number): void {
    this.#anchorMs = ms;
    this.#anchorReal = Date.now();
  }
  #rescheduleAll(): void {
    for (const id of this.#timers.keys()) this.#schedule(id);
  }
  #schedule(id: number): void {
    const t = this.#timers.get(id);
    if (!t) return;
    if (t.handle) clearTimeout(t.handle);
    const wait = Math.max(0, (t.due - this.nowMs()) / this.#rate);
    t.handle = setTimeout(() => {
      if (!this.#timers.has(id)) return;
      // A timer woken a little early (rounding) waits for the rest.
      if (t.due > this.nowMs() + 1) return this.#schedule(id);
      this.#timers.delete(id);
      t.fire();
    }, Math.min(wait, 2 ** 31 - 1));
    t.handle.unref?.();
  }
}
