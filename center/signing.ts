// How a terminal and the center prove themselves to each other over HTTP without the token ever travelling.
//
// A terminal's token (`kiosk center terminal add ID`) stays in its file. Both sides derive the same key from it: the
// 32 bytes of SHA-256(token), which is what the center's register (its database's `terminals` table) keeps as `tokenSha256`. Each call
// of a terminal carries its id, the real time (epoch ms), a fresh random nonce and an HMAC-SHA256 over the method,
// the path, the time, the nonce and the body's SHA-256; the center checks them (the time within 5 minutes of its
// real time, the nonce never seen before for that terminal) and signs its answer over the nonce, the status and the
// body's SHA-256 with the same key. Whatever else listens on the center's port learns nothing it can use, and cannot
// answer a terminal in the center's name.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TERMINAL_HEADER = 'x-kiosk-terminal';
export const TIME_HEADER = 'x-kiosk-time';
export const NONCE_HEADER = 'x-kiosk-nonce';
export const SIGNATURE_HEADER = 'x-kiosk-signature';
export const CENTER_SIGNATURE_HEADER = 'x-center-signature';
/** The headers of a signed call (and the Authorization of older kiosks): each may come once at most. */
export const AUTH_HEADERS = ['authorization', TERMINAL_HEADER, TIME_HEADER, NONCE_HEADER, SIGNATURE_HEADER] as const;

/** How far a call's time may be from the center's real time (replay protection; not the center's simulated clock). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Nonces the center remembers per terminal; older ones are covered by a per-terminal time floor (see ReplayGuard). */
export const MAX_NONCES_PER_TERMINAL = 1024;
/** 16 to 64 random bytes, base64url. */
export const NONCE_FORMAT = /^[A-Za-z0-9_-]{22,86}$/;
/** An HMAC-SHA256, base64url (43 characters). */
export const SIGNATURE_FORMAT = /^[A-Za-z0-9_-]{43}$/;
export const TIME_FORMAT = /^\d{1,15}$/;

/** The key a token gives: the 32 bytes of its SHA-256 (the register's `tokenSha256`, in hex). */
export const keyOfToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** HMAC-SHA256(key, method \n path \n time \n nonce \n sha256-hex(body)). `path` is the request target as sent. */
export function requestSignature(key: Buffer, o: { method: string; path: string; time: string; nonce: string; body: Buffer | string }): string {
  return hmac(key, `${o.method}\n${o.path}\n${o.time}\n${o.nonce}\n${sha256Hex(o.body)}`);
}

/** HMAC-SHA256(key, nonce \n status \n sha256-hex(body)): the center's answer to the call that carried `nonce`. */
export function responseSignature(key: Buffer, o: { nonce: string; status: number; body: Buffer | string }): string {
  return hmac(key, `${o.nonce}\n${o.status}\n${sha256Hex(o.body)}`);
}

/** Compares two signatures in constant time (false for anything that is not one). */
export function sameSignature(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string' || !SIGNATURE_FORMAT.test(given)) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The headers of a terminal's signed call (the time is the real time: `now` only for tests). */
export function signRequest(key: Buffer, terminal: string, o: { method: string; path: string; body: Buffer | string; now?: number }): { nonce: string; headers: Record<string, string> } {
  const time = String(Math.round(o.now ?? Date.now()));
  const nonce = randomBytes(18).toString('base64url');
  return {
    nonce,
    headers: {
      [TERMINAL_HEADER]: terminal, [TIME_HEADER]: time, [NONCE_HEADER]: nonce,
      [SIGNATURE_HEADER]: requestSignature(key, { method: o.method, path: o.path, time, nonce, body: o.body }),
    },
  };
}

/**
 * The nonces a center has seen, per terminal, bounded: at most MAX_NONCES_PER_TERMINAL each. When one must go, the
 * terminal's time floor rises to its time, and a call at or below the floor is refused: every nonce seen within the
 * window is either remembered or below the floor, so no call is taken twice whatever the memory bound.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, { nonces: Map<string, number>; floor: number }>();

  constructor(readonly windowMs = SIGNATURE_WINDOW_MS, readonly perTerminal = MAX_NONCES_PER_TERMINAL) {}

  /** Whether `time` is within the window of `now` (both real time, ms). */
  fresh(time: number, now: number): boolean {
    return Number.isSafeInteger(time) && Math.abs(time - now) <= this.windowMs;
  }

  /** Takes a call of `terminal` (its signature already checked): false when its nonce was seen (a replay). */
  take(terminal: string, nonce: string, time: number, now: number): boolean {
    let own = this.#seen.get(terminal);
    if (!own) this.#seen.set(terminal, (own = { nonces: new Map(), floor: -Infinity }));
    if (time <= own.floor || own.nonces.has(nonce)) return false;
    // Nonces out of the window need no remembering: their calls are refused by their time.
    for (const [n, t] of own.nonces) {
      if (t >= now - this.windowMs) break;
      own.nonces.delete(n);
    }
    own.nonces.set(nonce, time);
    while (own.nonces.size > this.perTerminal) {
      const [oldest, t] = own.nonces.entries().next().value!;
      own.nonces.delete(oldest);
      own.floor = Math.max(own.floor, t);
    }
    return true;
  }

  /** Nonces remembered for a terminal (what the bound keeps small). */
  count(terminal: string): number {
    return this.#seen.get(terminal)?.nonces.size ?? 0;
  }
}
