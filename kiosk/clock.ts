// Time reaches the machine only through events; the runtime reads it from a Clock. The simulated clock lets a
// journey (or a test) run a day of timeouts in milliseconds.

export interface Clock {
  /** ISO time with the Japan offset, e.g. 2026-11-24T10:00:00.000+09:00. */
  now(): string;
  nowMs(): number;
  /** Calls `fire` after `ms` of this clock's time; returns a cancel function. */
  setTimer(ms: number, fire: () => void): () => void;
}

export function toJapanIso(ms: number): string {
  return new Date(ms + 9 * 3600_000).toISOString().replace('Z', '+09:00');
}

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
    const end = this.#ms + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#ms = next.due;
      next.fire();
    }
    this.#ms = end;
  }
  set(iso: string): void {
    this.#ms = parseTime(iso);
  }
  get pendingTimers(): number {
    return this.#timers.length;
  }
}

export function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new RangeError(`not a time: ${JSON.stringify(iso)}. Give an ISO 8601 time with its offset, e.g. 2026-11-24T10:00:00+09:00`);
  }
  return ms;
}
