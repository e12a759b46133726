// The PIN pad holds the digits between the person pressing Enter and the one VERIFY that uses them, then forgets
// them. The machine never sees them; nothing here logs, serialises or echoes them. The digits wait in a buffer of
// the pad's own (not a string, which JavaScript cannot wipe) that is overwritten with zeros as soon as the VERIFY
// has them, and whenever a session ends.

import { timingSafeEqual } from 'node:crypto';

/**
 * What the pad takes: the 4-digit PIN of the user-authentication certificate, or the signature certificate's
 * password (6-16 of A-Z and 0-9, at least one of each), which a JPKI PIN reset at the kiosk asks for.
 */
export type SecretKind = 'pin' | 'password';

export class PinFormatError extends Error {
  constructor(kind: SecretKind = 'pin') {
    // Deliberately no digits in the message.
    super(kind === 'pin'
      ? 'A PIN is exactly 4 digits (0-9). Enter the 4-digit PIN of the card\'s user-authentication certificate.'
      : 'A signature password is 6 to 16 capital letters A-Z and digits 0-9, with at least one of each.');
    this.name = 'PinFormatError';
  }
}

const FORMATS: Record<SecretKind, RegExp> = { pin: /^[0-9]{4}$/, password: /^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6,16}$/ };
/** The longest secret a pad holds (a signature password). */
const CAPACITY = 16;

export class PinPad {
  // Allocated (zero-filled) outside Node's shared buffer pool, so no other buffer shares its memory.
  readonly #buffer = Buffer.alloc(CAPACITY);
  #length = 0;
  #holding = false;

  enter(digits: string, kind: SecretKind = 'pin'): void {
    if (typeof digits !== 'string' || !FORMATS[kind].test(digits)) throw new PinFormatError(kind);
    this.wipe();
    this.#buffer.write(digits, 'ascii');
    this.#length = digits.length;
    this.#holding = true;
  }

  /**
   * Hands the digits to `use` (the one VERIFY) and wipes them as soon as `use` has taken them, before its answer
   * comes; null when no PIN was entered.
   */
  async use<T>(use: (digits: string) => Promise<T>): Promise<T | null> {
    if (!this.#holding) return null;
    const digits = this.#buffer.toString('ascii', 0, this.#length);
    this.wipe();
    return use(digits);
  }

  /** Whether two pads hold the same secret (the new PIN typed twice), compared in constant time; neither is wiped. */
  sameAs(other: PinPad): boolean {
    return this.#holding && other.#holding && this.#length === other.#length && timingSafeEqual(this.#buffer, other.#buffer);
  }

  wipe(): void {
    this.#buffer.fill(0);
    this.#length = 0;
    this.#holding = false;
  }

  get holding(): boolean {
    return this.#holding;
  }

  /** For tests: whether the pad's buffer holds nothing but zeros (it never shows the digits themselves). */
  get wiped(): boolean {
    return this.#buffer.every((b) => b === 0);
  }

  toJSON(): object {
    return { holding: this.holding };
  }
}
