// What every card client shares: talking to one AP of the card over a CardSession (SELECT once, SELECT EF, VERIFY,
// chunked READ BINARY) and the typed errors for what the card answers. JpkiClient and CardInfoClient build on it.
import { CommandApdu, StatusWord, describeStatusWord, type ResponseApdu } from './apdu.ts';
import type { CardSession } from './session.ts';

/** The card answered a command with a status word the client did not expect. */
export class CardStatusError extends Error {
  override readonly name = 'CardStatusError';
  constructor(
    /** Which step failed, e.g. "SELECT EF 000A". Never includes command data. */
    readonly command: string,
    readonly sw: number,
  ) {
    super(`${command} was refused by the card with ${describeStatusWord(sw)}; the card is not in the state this step needs — remove it and place it again, or ask staff if it keeps happening`);
  }
}

/** Which PIN of the card: the JPKI user-authentication PIN, the JPKI signature password, or the 券面事項入力補助AP PIN. */
export type PinKind = 'auth' | 'sign' | 'card-info';

const PIN_LABELS: Readonly<Record<PinKind, string>> = {
  auth: 'user-authentication PIN',
  sign: 'signature password (署名用パスワード)',
  'card-info': 'card-info PIN (券面事項入力補助用暗証番号)',
};

const PIN_RULES: Readonly<Record<PinKind, string>> = {
  auth: 'the user-authentication PIN must be exactly 4 digits (0–9)',
  sign: 'the signature password must be 6–16 characters of A–Z and 0–9 with at least one letter and one digit',
  'card-info': 'the card-info PIN (券面事項入力補助用暗証番号) must be exactly 4 digits (0–9)',
};

/** A PIN was given in a format the card cannot hold; nothing was sent to the card. Never quotes the PIN. */
export class InvalidPinFormatError extends Error {
  override readonly name = 'InvalidPinFormatError';
  readonly pin: PinKind;
  constructor(pin: PinKind = 'auth') {
    super(`${PIN_RULES[pin]}; nothing was sent to the card — ask the person to enter it again`);
    this.pin = pin;
  }
}

/** The card refused to read an EF (6982) because its PIN has not been verified in this session. */
export class PinRequiredError extends Error {
  override readonly name = 'PinRequiredError';
  constructor(
    /** The refused step, e.g. "READ BINARY EF 0001". */
    readonly command: string,
    readonly pin: PinKind,
    readonly sw: number,
  ) {
    super(`${command} needs the ${PIN_LABELS[pin]} verified first: the card answered ${describeStatusWord(sw)}; ask the person for it and verify it in this session, then read again`);
  }
}

export type PinVerification = { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'locked' };

/** A VERIFY that a read depended on did not succeed. Carries the outcome, never the PIN. */
export class PinRejectedError extends Error {
  override readonly name = 'PinRejectedError';
  constructor(
    readonly pin: PinKind,
    readonly verification: Exclude<PinVerification, { result: 'ok' }>,
  ) {
    super(
      verification.result === 'locked'
        ? `the ${PIN_LABELS[pin]} is locked on this card; it must be reset at the municipal office`
        : `the card did not accept the ${PIN_LABELS[pin]}: ${verification.triesLeft} ${verification.triesLeft === 1 ? 'try' : 'tries'} left before it locks`,
    );
  }
}

/** Short-APDU chunk size (Le=00), as OpenSC reads. */
export const READ_CHUNK = 256;

/** READ BINARY offsets are 15 bits (P1 bit 8 selects SFI addressing). */
export const MAX_OFFSET = 0x7fff;

export const fidHex = (fid: number): string => fid.toString(16).toUpperCase().padStart(4, '0');

/** `00 B0 <offset> <Le>` with short Le (256 is written 00). */
export function readBinary(offset: number, length: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: 0xb0, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, le: length });
}

/**
 * Which AP each session has selected, shared by every client on that session. The card clears all verified PINs
 * whenever an AP is selected, so a client must not re-select needlessly (it would drop the PIN it just verified); but
 * once another client selected a different AP on the same session, it must select its own again.
 */
const selectedAp = new WeakMap<CardSession, string>();

/** One AP of the card, reached over one session. */
export class ApChannel {
  readonly #session: CardSession;
  readonly #aid: Buffer;
  readonly #apName: string;

  constructor(session: CardSession, aid: Buffer, apName: string) {
    this.#session = session;
    this.#aid = Buffer.from(aid);
    this.#apName = apName;
  }

  /** SELECT the AP unless this session already has it selected. With absentIsNull a 6A82 answer yields false. */
  async selectAp(options: { absentIsNull?: boolean } = {}): Promise<boolean> {
    const aidHex = this.#aid.toString('hex');
    if (selectedAp.get(this.#session) === aidHex) return true;
    const name = `SELECT ${this.#apName}`;
    const response = await this.transmit(name, new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: this.#aid }));
    // A refused SELECT leaves the card's current AP (and its verified PIN) as it was, so the record stays.
    if (options.absentIsNull && response.sw === StatusWord.FILE_NOT_FOUND) return false;
    if (!response.ok) throw new CardStatusError(name, response.sw);
    selectedAp.set(this.#session, aidHex);
    return true;
  }

  async selectEf(fid: number): Promise<void> {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(fid);
    await this.expectOk(`SELECT EF ${fidHex(fid)}`, new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data }));
  }

  /** Tries left on the PIN of EF `fid`, asked with an empty VERIFY, which never costs a try. */
  async pinTriesLeft(fid: number, name: string, maxTries: number): Promise<number> {
    await this.selectAp();
    await this.selectEf(fid);
    const response = await this.transmit(name, new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 }));
    if (response.sw1 === 0x63 && (response.sw2 & 0xf0) === 0xc0) {
      // More tries than the PIN has is no answer a genuine card gives: treat the card as broken, not as fresh.
      if ((response.sw2 & 0x0f) > maxTries) throw new CardStatusError(name, response.sw);
      return response.sw2 & 0x0f;
    }
    if (response.sw === StatusWord.AUTHENTICATION_METHOD_BLOCKED) return 0;
    // Already verified (ISO answers 9000; UNCONFIRMED on this card): a success resets the counter, so it is full.
    if (response.ok) return maxTries;
    throw new CardStatusError(name, response.sw);
  }

  /** One VERIFY of the PIN of EF `fid` (selected first, as OpenSC does). The caller has checked the format. */
  async verifyPin(fid: number, name: string, pin: Buffer): Promise<PinVerification> {
    await this.selectAp();
    await this.selectEf(fid);
    const response = await this.transmit(name, new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: pin }));
    if (response.ok) return { result: 'ok' };
    if (response.sw === StatusWord.AUTHENTICATION_METHOD_BLOCKED) return { result: 'locked' };
    if (response.sw1 === 0x63 && (response.sw2 & 0xf0) === 0xc0) {
      const triesLeft = response.sw2 & 0x0f;
      return triesLeft === 0 ? { result: 'locked' } : { result: 'wrong', triesLeft };
    }
    throw new CardStatusError(name, response.sw);
  }

  async expectOk(name: string, command: CommandApdu): Promise<ResponseApdu> {
    const response = await this.transmit(name, command);
    if (!response.ok) throw new CardStatusError(name, response.sw);
    return response;
  }

  async transmit(name: string, command: CommandApdu): Promise<ResponseApdu> {
    try {
      return await this.#session.transmit(command);
    } catch (error) {
      // A failed exchange leaves the card's state unknown, so select the AP afresh next time.
      selectedAp.delete(this.#session);
      throw error;
    }
  }
}
