// How long the multi-copy machine takes to print. A real machine warms up, talks to the center and prints each A4
// sheet with its anti-forgery pattern on both sides; cities warn that a certificate may take over two minutes, and the
// person must stay (konbini-service-facts.md, step 14). The simulator's printer waits that long on the kiosk's clock:
// at ×1 a purchase takes as long as on the real machine, at ×10 a tenth, and on a journey's simulated clock the wait
// costs nothing (the clock moves on by the time the sheets took).
//
// UNCONFIRMED (no published figure per sheet): `real` is our choice, from "can take 2+ minutes" for a few copies —
// 20 s to warm up when the printer has stood idle for 5 minutes, 30 s a certificate sheet, 10 s the receipt or a
// slip: one copy and its receipt 60 s, three copies 120 s. `fast` prints at once (tests, journeys, demos that skip the wait).

/** The kiosk's clock as the printer uses it (kiosk/clock.ts's Clock has this shape; the printer imports nothing above it). */
export interface PrintClock {
  nowMs(): number;
  setTimer(ms: number, fire: () => void): () => void;
}

export interface PrintSpeed {
  /** Added to the first sheet after the printer has stood idle for `idleMs`. */
  warmUpMs: number;
  idleMs: number;
  /** One sheet of a certificate (duplex, with the anti-forgery pattern). */
  certificateSheetMs: number;
  /** One sheet of the receipt or a refund slip (one side, plain). */
  slipSheetMs: number;
}

export const PRINT_SPEEDS = {
  real: { warmUpMs: 20_000, idleMs: 300_000, certificateSheetMs: 30_000, slipSheetMs: 10_000 },
  fast: { warmUpMs: 0, idleMs: 0, certificateSheetMs: 0, slipSheetMs: 0 },
} as const satisfies Record<string, PrintSpeed>;

export type PrintSpeedName = keyof typeof PRINT_SPEEDS;
export const PRINT_SPEED_NAMES = Object.keys(PRINT_SPEEDS) as PrintSpeedName[];

export function isPrintSpeedName(s: string): s is PrintSpeedName {
  return Object.hasOwn(PRINT_SPEEDS, s);
}

/**
 * How long one document takes: its sheets, and the warm-up when the printer was idle (never printed, or its last
 * sheet came out `idleMs` or more ago).
 */
export function documentTimeMs(speed: PrintSpeed, kind: 'certificate' | 'slip', sheets: number, idleForMs: number | null): number {
  const warm = speed.warmUpMs > 0 && (idleForMs === null || idleForMs >= speed.idleMs) ? speed.warmUpMs : 0;
  return warm + sheets * (kind === 'certificate' ? speed.certificateSheetMs : speed.slipSheetMs);
}

/** What a purchase of `copies` one-sheet copies and its receipt takes from a cold printer (the UI's estimate, tests). */
export function purchaseTimeMs(speed: PrintSpeed, copies: number): number {
  return documentTimeMs(speed, 'certificate', 1, null) + (copies - 1) * speed.certificateSheetMs + speed.slipSheetMs;
}
