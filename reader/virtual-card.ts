// A byte-exact My Number Card emulator. It speaks APDUs only, so the same card serves the in-process sim reader
// and (through a vpcd bridge) real pcscd. Behaviour follows spec §9; UNCONFIRMED points are noted where decided.
import { constants, privateEncrypt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { CommandApdu, MalformedApduError, StatusWord, verifyFailed } from './apdu.ts';
import { AUTH_PIN_MAX_TRIES, JPKI_AP_AID, JpkiEf, JpkiToken, TOKEN_EF_SIZE } from './jpki-ap.ts';

/** Contact T=1 ATR seen on real My Number Cards (pcsc-tools list, OpenSC #3021). */
export const MY_NUMBER_CARD_ATR = Buffer.from('3BDA13FF8131FB468012392F31C173C601C03B', 'hex');
/** The old 住基カード ATR (the only one in OpenSC's jpki_atrs table). */
export const JUKI_CARD_ATR = Buffer.from('3BE000FF8131FE4514', 'hex');

export type CardKind = 'my-number-card' | 'juki-card' | 'smartphone' | 'city-card';
export type BlockedStatus = '63C0' | '6983';
export type CardFault = 'garbled' | 'mute';

export interface VirtualMyNumberCardOptions {
  kind: CardKind;
  /** User-authentication private key, RSA-2048. Without it EF 0017 does not exist. */
  authKey?: KeyObject;
  /** DER of the user-authentication certificate (EF 000A). Stored as given, even if malformed. */
  authCertificate?: Buffer;
  /** DER of its CA certificate (EF 000B). */
  caCertificate?: Buffer;
  /** The 4-digit user-authentication PIN. Without it EF 0018 does not exist. */
  pin?: string;
  /** Tries left on the PIN, 0–3; 0 means locked. Default 3. */
  triesLeft?: number;
  /** What a locked PIN answers (spec §2.4 leaves it UNCONFIRMED). Default '63C0', as myna's dummy card. */
  blockedStatus?: BlockedStatus;
}

/** The card was configured with values a real card could not hold. */
export class VirtualCardConfigError extends Error {
  override readonly name = 'VirtualCardConfigError';
}

/** A scripted fault: the card did not answer at all. */
export class CardMuteError extends Error {
  override readonly name = 'CardMuteError';
  constructor() {
    super('the card did not answer the command (mute); remove the card and place it again');
  }
}

/** An APDU reached a card that has no power (powerOff() without powerOn()). */
export class CardPoweredOffError extends Error {
  override readonly name = 'CardPoweredOffError';
  constructor() {
    super('the card is powered off and cannot answer; power it on (insert it into a reader) first');
  }
}

type ElementaryFile =
  | { readonly type: 'binary'; readonly content: Buffer }
  | { readonly type: 'pin' }
  | { readonly type: 'key' };

const TOKEN_BY_KIND: Readonly<Record<Exclude<CardKind, 'city-card'>, string>> = {
  'my-number-card': JpkiToken.MY_NUMBER_CARD,
  'juki-card': JpkiToken.JUKI_CARD,
  smartphone: JpkiToken.SMARTPHONE,
};

const sw = (status: number, data?: Uint8Array): Buffer =>
  Buffer.concat([data ?? Buffer.alloc(0), Buffer.from([(status >> 8) & 0xff, status & 0xff])]);

export class VirtualMyNumberCard {
  readonly kind: CardKind;
  readonly atr: Buffer;
  readonly blockedStatus: BlockedStatus;
  /** Files of the JPKI AP; null for a card without it. */
  readonly #files: ReadonlyMap<number, ElementaryFile> | null;
  readonly #authKey: KeyObject | undefined;
  #pin: string | undefined;
  #triesLeft: number;
  #powered = false;
  #apSelected = false;
  #currentEf: number | null = null;
  #pinVerified = false;
  readonly #faults: CardFault[] = [];

  constructor(options: VirtualMyNumberCardOptions) {
    const { kind } = options;
    if (!['my-number-card', 'juki-card', 'smartphone', 'city-card'].includes(kind)) {
      throw new VirtualCardConfigError(`unknown card kind "${String(kind)}"; use my-number-card, juki-card, smartphone or city-card`);
    }
    if (options.pin !== undefined && !/^[0-9]{4}$/.test(options.pin)) {
      // The PIN itself is not quoted, even in a configuration error.
      throw new VirtualCardConfigError('the user-authentication PIN must be exactly 4 digits');
    }
    const triesLeft = options.triesLeft ?? AUTH_PIN_MAX_TRIES;
    if (!Number.isInteger(triesLeft) || triesLeft < 0 || triesLeft > AUTH_PIN_MAX_TRIES) {
      throw new VirtualCardConfigError(`triesLeft must be an integer 0–${AUTH_PIN_MAX_TRIES}, got ${triesLeft}`);
    }
    const blockedStatus = options.blockedStatus ?? '63C0';
    if (blockedStatus !== '63C0' && blockedStatus !== '6983') {
      throw new VirtualCardConfigError(`blockedStatus must be '63C0' or '6983', got ${String(blockedStatus)}`);
    }
    const key = options.authKey;
    if (key !== undefined && (key.type !== 'private' || key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== 2048)) {
      throw new VirtualCardConfigError('authKey must be an RSA-2048 private KeyObject, as on a real card');
    }

    this.kind = kind;
    this.atr = Buffer.from(kind === 'juki-card' ? JUKI_CARD_ATR : MY_NUMBER_CARD_ATR);
    this.blockedStatus = blockedStatus;
    this.#authKey = key;
    this.#pin = options.pin;
    this.#triesLeft = triesLeft;

    if (kind === 'city-card') {
      this.#files = null;
    } else {
      const files = new Map<number, ElementaryFile>();
      const token = Buffer.alloc(TOKEN_EF_SIZE, 0x20); // padding byte 0x20 (spec §2.1 says likely)
      token.write(TOKEN_BY_KIND[kind], 'ascii');
      files.set(JpkiEf.TOKEN, { type: 'binary', content: token });
      if (options.authCertificate) files.set(JpkiEf.AUTH_CERTIFICATE, { type: 'binary', content: Buffer.from(options.authCertificate) });
      if (options.caCertificate) files.set(JpkiEf.AUTH_CA_CERTIFICATE, { type: 'binary', content: Buffer.from(options.caCertificate) });
      if (options.pin !== undefined) files.set(JpkiEf.AUTH_PIN, { type: 'pin' });
      if (key) files.set(JpkiEf.AUTH_KEY, { type: 'key' });
      this.#files = files;
    }
  }

  /** Tries left on the user-authentication PIN (an operator panel shows it; the PIN itself is never exposed). */
  get triesLeft(): number {
    return this.#triesLeft;
  }

  get pinVerified(): boolean {
    return this.#pinVerified;
  }

  get powered(): boolean {
    return this.#powered;
  }

  powerOn(): void {
    this.#powered = true;
    this.#clearVolatileState();
  }

  powerOff(): void {
    this.#powered = false;
    this.#clearVolatileState();
  }

  /** Warm reset: the card stays powered, the selection and PIN-verified state are lost. */
  reset(): void {
    this.#powered = true;
    this.#clearVolatileState();
  }

  /**
   * Scripts a fault for the next transmit (queued in order): 'garbled' runs the command but cuts the answer to its
   * first byte, as a broken contact would; 'mute' throws CardMuteError without running the command.
   */
  failNext(kind: CardFault): void {
    if (kind !== 'garbled' && kind !== 'mute') throw new VirtualCardConfigError(`unknown fault "${String(kind)}"; use 'garbled' or 'mute'`);
    this.#faults.push(kind);
  }

  /** Sends one C-APDU; returns the R-APDU including SW1 SW2. */
  transmit(command: Uint8Array): Uint8Array {
    if (!this.#powered) throw new CardPoweredOffError();
    const fault = this.#faults.shift();
    if (fault === 'mute') throw new CardMuteError();
    const response = this.#respond(command);
    return fault === 'garbled' ? response.subarray(0, 1) : response;
  }

  toJSON(): { kind: CardKind; triesLeft: number; pinVerified: boolean; powered: boolean } {
    return { kind: this.kind, triesLeft: this.#triesLeft, pinVerified: this.#pinVerified, powered: this.#powered };
  }

  #clearVolatileState(): void {
    this.#apSelected = false;
    this.#currentEf = null;
    this.#pinVerified = false;
  }

  #respond(bytes: Uint8Array): Buffer {
    let apdu: CommandApdu;
    try {
      apdu = CommandApdu.parse(bytes);
    } catch (error) {
      if (error instanceof MalformedApduError) return sw(StatusWord.WRONG_LENGTH);
      throw error;
    }
    if (apdu.cla === 0x00) {
      switch (apdu.ins) {
        case 0xa4:
          return this.#select(apdu);
        case 0xb0:
          return this.#readBinary(apdu);
        case 0x20:
          return this.#verify(apdu);
        case 0x24:
          return this.#changeReferenceData(apdu);
        default:
          return sw(StatusWord.INS_NOT_SUPPORTED);
      }
    }
    if (apdu.cla === 0x80) {
      return apdu.ins === 0x2a ? this.#computeSignature(apdu) : sw(StatusWord.INS_NOT_SUPPORTED);
    }
    return sw(StatusWord.CLA_NOT_SUPPORTED);
  }

  #select(apdu: CommandApdu): Buffer {
    // P2=0C: no FCI; P2=00: FCI requested, whose content is UNCONFIRMED, so none is returned (spec §1).
    if (apdu.p2 !== 0x0c && apdu.p2 !== 0x00) return sw(StatusWord.INCORRECT_P1P2);
    if (apdu.p1 === 0x04) {
      if (apdu.data.length === 0) return sw(StatusWord.WRONG_LENGTH);
      // Any other AID (other drivers' probes, the 券面 APs not emulated yet) is 6A82, never a false 9000.
      if (this.#files === null || !apdu.data.equals(JPKI_AP_AID)) return sw(StatusWord.FILE_NOT_FOUND);
      // Re-selecting the AP clears the PIN state: OpenSC's logout relies on it (spec §2.2).
      this.#clearVolatileState();
      this.#apSelected = true;
      return sw(StatusWord.OK);
    }
    if (apdu.p1 === 0x02) {
      if (apdu.data.length !== 2) return sw(StatusWord.WRONG_LENGTH);
      const fid = apdu.data.readUInt16BE(0);
      if (!this.#apSelected || !this.#files?.has(fid)) return sw(StatusWord.FILE_NOT_FOUND);
      this.#currentEf = fid;
      return sw(StatusWord.OK);
    }
    // P1=08/09 (path) do not work on the real card (OpenSC PR #801); MF/parent selection is not emulated.
    return sw(StatusWord.INCORRECT_P1P2);
  }

  #readBinary(apdu: CommandApdu): Buffer {
    if (apdu.data.length > 0 || apdu.le === undefined) return sw(StatusWord.WRONG_LENGTH);
    let fid: number;
    let offset: number;
    if (apdu.p1 & 0x80) {
      // Short EF identifier in P1 bits 1–5, offset in P2 (jsapdu's `00 B0 8A 00 …`).
      if (apdu.p1 & 0x60) return sw(StatusWord.INCORRECT_P1P2);
      fid = apdu.p1 & 0x1f;
      offset = apdu.p2;
      if (!this.#apSelected || !this.#files?.has(fid)) return sw(StatusWord.FILE_NOT_FOUND);
      this.#currentEf = fid; // ISO 7816-4: reading by SFI makes the EF current.
    } else {
      if (this.#currentEf === null) return sw(StatusWord.COMMAND_NOT_ALLOWED_NO_CURRENT_EF);
      fid = this.#currentEf;
      offset = (apdu.p1 << 8) | apdu.p2;
    }
    const file = this.#files?.get(fid);
    if (file?.type !== 'binary') return sw(StatusWord.COMMAND_INCOMPATIBLE_WITH_FILE);
    // An offset at or past the end has nothing to read; a long Le is clamped with 9000, not 6282 (spec §2.3).
    if (offset >= file.content.length) return sw(StatusWord.WRONG_P1P2_OFFSET);
    return sw(StatusWord.OK, file.content.subarray(offset, offset + apdu.le));
  }

  /** Resolves the PIN a VERIFY / CHANGE REFERENCE DATA addresses: P2=80 → current EF, P2=80|SFI → that EF. */
  #pinReference(p2: number): 'found' | 'not-found' | 'bad-p2' {
    if ((p2 & 0xe0) !== 0x80) return 'bad-p2';
    const fid = p2 & 0x1f ? p2 & 0x1f : this.#currentEf;
    if (!this.#apSelected || fid === null || this.#files?.get(fid)?.type !== 'pin') return 'not-found';
    return 'found';
  }

  #blocked(): Buffer {
    return sw(this.blockedStatus === '6983' ? StatusWord.AUTHENTICATION_METHOD_BLOCKED : verifyFailed(0));
  }

  #verify(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x00) return sw(StatusWord.INCORRECT_P1P2);
    const reference = this.#pinReference(apdu.p2);
    if (reference === 'bad-p2') return sw(StatusWord.INCORRECT_P1P2);
    if (reference === 'not-found') return sw(StatusWord.REFERENCED_DATA_NOT_FOUND);
    if (this.#triesLeft === 0) return this.#blocked();
    // Empty data is the retry-counter query; OpenSC needs 63Cx here even when the PIN is verified (spec §2.4).
    if (apdu.data.length === 0) return sw(verifyFailed(this.#triesLeft));
    if (this.#pinMatches(apdu.data)) {
      this.#triesLeft = AUTH_PIN_MAX_TRIES;
      this.#pinVerified = true;
      return sw(StatusWord.OK);
    }
    this.#triesLeft -= 1;
    this.#pinVerified = false;
    return sw(verifyFailed(this.#triesLeft));
  }

  #pinMatches(candidate: Buffer): boolean {
    const expected = Buffer.from(this.#pin ?? '', 'ascii');
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  }

  /** `00 24 01 80 Lc <new PIN>` after VERIFY (myna; spec §9 item 5). */
  #changeReferenceData(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x01) return sw(StatusWord.INCORRECT_P1P2);
    const reference = this.#pinReference(apdu.p2);
    if (reference === 'bad-p2') return sw(StatusWord.INCORRECT_P1P2);
    if (reference === 'not-found') return sw(StatusWord.REFERENCED_DATA_NOT_FOUND);
    if (this.#triesLeft === 0) return this.#blocked();
    if (!this.#pinVerified) return sw(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    if (!/^[0-9]{4}$/.test(apdu.data.toString('latin1'))) return sw(StatusWord.WRONG_DATA);
    this.#pin = apdu.data.toString('ascii');
    return sw(StatusWord.OK);
  }

  /** `80 2A 00 80 Lc <DigestInfo> 00`: the card pads (PKCS#1 v1.5 type 1) and applies the private key. */
  #computeSignature(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x80) return sw(StatusWord.INCORRECT_P1P2);
    if (!this.#apSelected || this.#currentEf !== JpkiEf.AUTH_KEY || !this.#pinVerified || !this.#authKey) {
      return sw(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    }
    // Input must leave room for the 11 bytes of type-1 padding in a 256-byte block; the 256-byte answer needs Le ≥ 256.
    if (apdu.data.length === 0 || apdu.data.length > 256 - 11 || apdu.le === undefined || apdu.le < 256) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    // privateEncrypt with PKCS#1 padding is exactly "pad type 1 + RSA private operation".
    const signature = privateEncrypt({ key: this.#authKey, padding: constants.RSA_PKCS1_PADDING }, apdu.data);
    return sw(StatusWord.OK, signature);
  }
}
