// The PIN pad holds the digits between the person pressing Enter and the one VERIFY that uses them, then forgets
// them. The machine never sees them; nothing here logs, serialises or echoes them.

export class PinFormatError extends Error {
  constructor() {
    // Deliberately no digits in the message.
    super('A PIN is exactly 4 digits (0-9). Enter the 4-digit PIN of the card\'s user-authentication certificate.');
    this.name = 'PinFormatError';
  }
}

export class PinPad {
  #digits: string | null = null;

  enter(digits: string): void {
    if (typeof digits !== 'string' || !/^[0-9]{4}$/.test(digits)) throw new PinFormatError();
    this.#digits = digits;
  }

  /** Hands the digits over once and wipes them. */
  take(): string | null {
    const d = this.#digits;
    this.#digits = null;
    return d;
  }

  wipe(): void {
    this.#digits = null;
  }

  get holding(): boolean {
    return this.#digits !== null;
  }

  toJSON(): object {
    return { holding: this.holding };
  }
}
