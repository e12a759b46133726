// A card session: one connected card, one APDU exchange at a time. Reader adapters (sim, pcsc) implement it;
// the JPKI client only ever sees this interface.
import { toHex, type CommandApdu, type ResponseApdu } from './apdu.ts';

export interface CardSession {
  readonly atr: Buffer;
  /** Sends one command and resolves with the card's answer; rejects with the typed errors below. */
  transmit(command: CommandApdu): Promise<ResponseApdu>;
}

/** The card left the reader (PC/SC SCARD_W_REMOVED_CARD): this session is over for good. */
export class CardRemovedError extends Error {
  override readonly name = 'CardRemovedError';
  constructor() {
    super('the card was removed from the reader; ask the person to place it again');
  }
}

const MAX_SHOWN_BYTES = 16;

/**
 * The card's answer could not be used: too short to hold a status word, no answer at all, or data that breaks
 * what the command promises (e.g. a certificate without its `30 82` header). Says which command got what bytes.
 */
export class CardCommunicationError extends Error {
  override readonly name = 'CardCommunicationError';
  /** A log-safe description of the command (never its data, which may be a PIN). */
  readonly command: string;
  /** What came back; null when the card did not answer. */
  readonly response: Buffer | null;

  constructor(command: string, response: Uint8Array | null, reason: string, options?: { cause?: unknown }) {
    const shown =
      response === null
        ? 'no answer'
        : response.length === 0
          ? 'an empty answer'
          : `${response.length} byte(s) ${toHex(response.subarray(0, MAX_SHOWN_BYTES))}${response.length > MAX_SHOWN_BYTES ? ' …' : ''}`;
    super(`${command} got ${shown}: ${reason}; remove the card and place it again, and if it keeps failing, try another reader or card`, options);
    this.command = command;
    this.response = response === null ? null : Buffer.from(response);
  }
}
