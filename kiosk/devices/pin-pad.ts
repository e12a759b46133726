// The PIN pad holds the digits between the person pressing Enter and the one VERIFY that uses them, then forgets
// them. The machine never sees them; nothing here logs, serialises or echoes them. The digits wait in a buffer of
// the pad's own (not a string, which JavaScript cannot wipe) that is overwritten with zeros as soon as the VERIFY
// has them, and whenever a session ends.

export class PinFormatError extends Error {
  constructor() {
    // Deliberately no digits in the message.
    super('A PIN is exactly 4 digits (0-9). Enter the 4-digit PIN of the card\'s user-authentication certificate.');
    this.name = 'PinFormatError';
  }
}

const PIN_LENGTH = 4;

export class PinPad {
  // Allocated (zero-filled) outside Node's shared buffer pool, so no other buffer shares its memory.
  readonly #buffer = Buffer.alloc(PIN_LENGTH);
  #holding = false;

  enter(digits: string): void {
    if (typeof digits !== 'string' || !/^[0-9]{4}$/.test(digits)) throw new PinFormatError();
    this.#buffer.write(digits, 'ascii');
    this.#holding = true;
  }

  /**
   * Hands the digits to `use` (the one VERIFY) and wipes them as soon as `use` has taken them, before its answer
   * comes; null when no PIN was entered.
   */
  async use<T>(use: (digits: string) => Promise<T>): Promise<T | null> {
    if (!this.#holding) return null;
    const digits = this.#buffer.toString('ascii');
    this.wipe();
    return use(digits);
  }

  wipe(): void {
    this.#buffer.fill(0);
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
