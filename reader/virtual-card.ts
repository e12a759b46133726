// A byte-exact My Number Card emulator. It speaks APDUs only, so the same card serves the in-process sim reader
// and (through a vpcd bridge) real pcscd. Behaviour follows spec §9; UNCONFIRMED points are noted where decided.
import { constants, createHash, privateEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { CommandApdu, MalformedApduError, StatusWord, verifyFailed } from './apdu.ts';
import {
  CARD_INFO_AP_AID, CARD_INFO_PIN_MAX_TRIES, CardInfoEf, MATCHING_NUMBER_MAX_TRIES, encodeApBasicInfoEf, encodeBasicFourEf, encodeCardInfoSignatureEf,
  encodeMyNumberEf, encodeSignerCertificateEf, isMatchingNumberA, isMatchingNumberB, matchingNumberB, type CardInfoSigner, type CardSex,
} from './card-info-ap.ts';
import { CARD_SURFACE_AP_AID, CardSurfaceEf, encodeSurfaceBirthEf, encodeSurfaceEntriesEf, encodeSurfaceMyNumberEf } from './card-surface-ap.ts';
import { JUKI_AP_AID, JUKI_PIN_MAX_TRIES, JukiEf, encodeJukiRecord } from './juki-ap.ts';
import {
  AUTH_PIN_MAX_TRIES,
  JPKI_AP_AID,
  JpkiEf,
  JpkiToken,
  SIGN_PIN_MAX_TRIES,
  TOKEN_EF_SIZE,
  isFourDigitPin,
  isSignPin,
} from './jpki-ap.ts';

/** Contact T=1 ATR seen on real My Number Cards (pcsc-tools list, OpenSC #3021). */
export const MY_NUMBER_CARD_ATR = Buffer.from('3BDA13FF8131FB468012392F31C173C601C03B', 'hex');
/** The old 住基カード ATR (the only one in OpenSC's jpki_atrs table). */
export const JUKI_CARD_ATR = Buffer.from('3BE000FF8131FE4514', 'hex');
/**
 * Ours, not a real phone's: the PC/SC part-3 pseudo-ATR a contactless reader builds from an ISO 14443 Type B ATQB
 * (`3B 88 80 01`, then 4 bytes of application data, the protocol info `B3 81 A1` and `00`, then TCK), the same family
 * as the real cards' contactless ATRs in the pcsc-tools list, with application data `00 00 00 00` so it matches none
 * of them. A phone's JPKI lives in its secure element (GP-SE) and is reached over NFC, so it has no contact ATR.
 */
export const SMARTPHONE_ATR = Buffer.from('3B88800100000000B381A1009A', 'hex');
/**
 * Ours, made up: a generic municipal card (no JPKI AP). Contact, T=1 only (TD1=81, TD2=31, IFSC FE, BWI/CWI 45),
 * historical bytes `80` + COMPACT-TLV pre-issuing data `66` "CITY01", then TCK.
 */
export const CITY_CARD_ATR = Buffer.from('3BD818FF8131FE458066434954593031D4', 'hex');

/** pcsc-lite MAX_ATR_SIZE. */
const MAX_ATR_SIZE = 33;

/**
 * Whether an ATR is well formed (ISO 7816-3): TS is 3B or 3F, T0 and the TDi bytes account for exactly the interface
 * bytes, the K historical bytes and — when any protocol other than T=0 is offered — TCK, with at most 33 bytes in all;
 * and TCK makes the XOR of every byte from T0 through TCK zero. pcscd treats a card with a broken ATR as a memory
 * card (spec §5.1), so every ATR the emulator offers must pass.
 */
export function atrChecksumOk(atr: Uint8Array): boolean {
  if (atr.length < 2 || atr.length > MAX_ATR_SIZE) return false;
  if (atr[0] !== 0x3b && atr[0] !== 0x3f) return false;
  const historical = atr[1]! & 0x0f;
  let indicator = atr[1]! >> 4; // which of TAi TBi TCi TDi follow
  let index = 2;
  let tckPresent = false;
  for (;;) {
    index += (indicator & 1) + ((indicator >> 1) & 1) + ((indicator >> 2) & 1);
    if (!(indicator & 0x8)) break;
    if (index >= atr.length) return false;
    const td = atr[index]!;
    index += 1;
    if ((td & 0x0f) !== 0) tckPresent = true;
    indicator = td >> 4;
  }
  if (atr.length !== index + historical + (tckPresent ? 1 : 0)) return false;
  if (!tckPresent) return true;
  let xor = 0;
  for (let i = 1; i < atr.length; i += 1) xor ^= atr[i]!;
  return xor === 0;
}

export type CardKind = 'my-number-card' | 'juki-card' | 'smartphone' | 'city-card';
export type BlockedStatus = '63C0' | '6983';
export type CardFault = 'garbled' | 'mute';

export const ATR_BY_KIND: Readonly<Record<CardKind, Buffer>> = {
  'my-number-card': MY_NUMBER_CARD_ATR,
  'juki-card': JUKI_CARD_ATR,
  smartphone: SMARTPHONE_ATR,
  'city-card': CITY_CARD_ATR,
};

/** What the 券面事項入力補助AP holds. Only a My Number Card has that AP. */
export interface CardInfoOptions {
  /** The 4-digit PIN of EF 0011. On real cards it is usually the same digits as the user-authentication PIN. */
  pin?: string;
  /** Tries left on that PIN, 0–3; 0 means locked. Default 3. */
  triesLeft?: number;
  /** The 12-digit 個人番号. */
  myNumber: string;
  name: string;
  address: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: CardSex;
  /**
   * Who signs the AP's data (EF 0003) and whose certificate EF 0004 is; without one, those EFs and EF 0005 are absent
   * (6A82), and so is the 券面事項確認AP, whose every EF is signed.
   */
  signer?: CardInfoSigner;
  /** The card's front for the 券面事項確認AP; without it (or without a signer) that AP is absent (6A82). */
  surface?: CardSurfaceOptions;
}

/** The pictures the 券面事項確認AP holds (reader/card-surface-ap.ts CardSurface). */
export interface CardSurfacePictures {
  namePng: Buffer;
  addressPng: Buffer;
  faceJpeg2000: Buffer;
  securityCodePng: Buffer;
  myNumberPng: Buffer;
}

/** The 券面事項確認AP's own data; the rest (birth date, sex, My Number) is the 券面事項入力補助AP's. */
export interface CardSurfaceOptions {
  /** The card's last day, `YYYY-MM-DD`; its year is part of 照合番号B. */
  expires: string;
  /** The 4 digits printed on the front; the last part of 照合番号B. */
  securityCode: string;
  /** Made when a client first reads a picture's EF: drawing them costs milliseconds most cards never need to spend. */
  pictures: () => CardSurfacePictures;
  /** Tries left on 照合番号A / B of this AP; default 10 each (as in the memory given, if any). */
  triesLeftA?: number;
  triesLeftB?: number;
}

/** The 住基AP (Basic Resident Registry AP): its 4-digit PIN and the record myna reads. Only on a My Number Card. */
export interface JukiOptions {
  /** 住民基本台帳用暗証番号, 4 digits; set with the same digits as the others by most holders. Without it EF 001C is absent. */
  pin?: string;
  /** Tries left, 0–3; default 3. */
  triesLeft?: number;
  /** The 13 characters myna calls the card's manufacture number (製造番号), record 1 of SFI 1. */
  manufactureNumber: string;
}

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
  /** What a locked PIN answers (spec §2.4 leaves it UNCONFIRMED), for every PIN of the card. Default '63C0', as myna's dummy card. */
  blockedStatus?: BlockedStatus;
  /** Signature private key, RSA-2048 (EF 001A). Without it EF 001A does not exist. */
  signKey?: KeyObject;
  /** DER of the signature certificate (EF 0001), readable only after the signature PIN. Stored as given. */
  signCertificate?: Buffer;
  /** DER of its CA certificate (EF 0002), free read. */
  signCaCertificate?: Buffer;
  /** The signature password: 6–16 of A–Z and 0–9 with a letter and a digit. Without it EF 001B does not exist. */
  signPin?: string;
  /** Tries left on the signature PIN, 0–5; 0 means locked. Default 5. */
  signTriesLeft?: number;
  /** The 券面事項入力補助AP (and with its `surface`, the 券面事項確認AP). Without it SELECT of its AID answers 6A82. */
  cardInfo?: CardInfoOptions;
  /** The 住基AP. Without it SELECT of its AID answers 6A82. */
  juki?: JukiOptions;
  /**
   * The card's memory as it was left (from a card store): every PIN's secret and counter, taking the place of the
   * PINs and tries given above (which then only say which PINs the card has).
   */
  memory?: CardMemory;
  /**
   * Called with the card's memory each time it changes (a counter goes down or back up, a PIN changes), before the
   * card answers: a card store writes it. If it throws, the card answers 6581 (memory failure) to that command and
   * to every one after it, as a card whose memory failed does: a wrong PIN is never answered without being counted.
   */
  onMemoryWrite?: (memory: CardMemory) => void;
}

/**
 * A PIN as the card keeps it: a salted SHA-256 of its characters, never the characters themselves, so that a card's
 * memory written to a file (the card store) holds no PIN.
 */
export interface PinSecret {
  /** 32 random bytes, hex. */
  salt: string;
  /** SHA-256 of salt ‖ PIN, hex. */
  sha256: string;
}

export function pinSecret(pin: string): PinSecret {
  const salt = randomBytes(32);
  return { salt: salt.toString('hex'), sha256: createHash('sha256').update(salt).update(pin, 'latin1').digest('hex') };
}

/** Whether `pin` is the PIN a secret was made of (the JPKI app's check of the other PIN, as the card's VERIFY does). */
export function secretMatches(secret: PinSecret | null, pin: string): boolean {
  if (!secret) return false;
  const digest = createHash('sha256').update(Buffer.from(secret.salt, 'hex')).update(pin, 'latin1').digest();
  const kept = Buffer.from(secret.sha256, 'hex');
  return digest.length === kept.length && timingSafeEqual(digest, kept);
}

/** One PIN in a card's memory. A 照合番号 is the card's own data, so its secret is never kept (always null). */
export interface PinMemory {
  secret: PinSecret | null;
  triesLeft: number;
}

/**
 * What a card keeps across power cycles (its non-volatile memory): each PIN's secret and retry counter. The 照合番号
 * and 住基 counters came later (2026-12): a memory kept before has none, and the card starts them full.
 */
export interface CardMemory {
  auth: PinMemory;
  sign: PinMemory;
  cardInfo: PinMemory;
  /** 照合番号A and B of the 券面事項入力補助AP (EF 0014, 0015). */
  cardInfoA?: PinMemory;
  cardInfoB?: PinMemory;
  /** 照合番号A and B of the 券面事項確認AP (EF 0013, 0012). */
  surfaceA?: PinMemory;
  surfaceB?: PinMemory;
  /** The 住基AP's PIN (EF 001C). */
  juki?: PinMemory;
}

export type PinName = keyof CardMemory;

/** Every PIN of a card's memory, with its full count. */
export const PIN_MAX_TRIES: Readonly<Record<PinName, number>> = {
  auth: AUTH_PIN_MAX_TRIES, sign: SIGN_PIN_MAX_TRIES, cardInfo: CARD_INFO_PIN_MAX_TRIES,
  cardInfoA: MATCHING_NUMBER_MAX_TRIES, cardInfoB: MATCHING_NUMBER_MAX_TRIES, surfaceA: MATCHING_NUMBER_MAX_TRIES, surfaceB: MATCHING_NUMBER_MAX_TRIES,
  juki: JUKI_PIN_MAX_TRIES,
};
export const PIN_NAMES = Object.keys(PIN_MAX_TRIES) as PinName[];
/** The 照合番号: the card's own data used as PINs, which no one sets or changes (their memory has no secret). */
export const MATCHING_NUMBERS: readonly PinName[] = ['cardInfoA', 'cardInfoB', 'surfaceA', 'surfaceB'];
/** The PINs every card's memory lists, whether the card has them or not (the others are listed when it has them). */
export const ALWAYS_IN_MEMORY: readonly PinName[] = ['auth', 'sign', 'cardInfo'];

/** What an operator panel may see of a card: counters and states, never a PIN or personal data. */
export interface VirtualCardState {
  kind: CardKind;
  triesLeft: number;
  pinVerified: boolean;
  powered: boolean;
  /** Only on a card with a signature PIN. */
  signTriesLeft?: number;
  signPinVerified?: boolean;
  /** Only on a card with the 券面事項入力補助AP. */
  cardInfoTriesLeft?: number;
  cardInfoPinVerified?: boolean;
  /** Tries left on every other PIN the card has (照合番号 A/B of each 券面 AP, the 住基AP's PIN). */
  otherTriesLeft?: Partial<Record<PinName, number>>;
}

/** The card was configured with values a real card could not hold. */
export class VirtualCardConfigError extends Error {
  override readonly name = 'VirtualCardConfigError';
}

/** The card's memory could not be written (its card store failed): the card answers 6581 from then on. */
export class CardMemoryError extends Error {
  override readonly name = 'CardMemoryError';
  constructor() {
    super('the card could not write its memory (the card store failed); check the card store\'s folder and put the card on the reader again');
  }
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

/**
 * One PIN with its own retry counter and verified state, as each PIN EF of the card has (spec §2.4, §3). The value
 * lives in a private field, so no inspect, JSON or string form of the card can reach it.
 */
class PinSlot {
  readonly maxTries: number;
  readonly #acceptsFormat: (pin: string) => boolean;
  /** A 照合番号's is made when first needed (a card is made for every journey; most are never asked for one). */
  #secret: PinSecret | null | (() => PinSecret);
  /** False for a 照合番号: its value is the card's data, so the memory keeps only its counter. */
  readonly #kept: boolean;
  triesLeft: number;
  verified = false;

  constructor(secret: PinSecret | null | (() => PinSecret), triesLeft: number, maxTries: number, acceptsFormat: (pin: string) => boolean, kept = true) {
    this.#secret = secret;
    this.triesLeft = triesLeft;
    this.maxTries = maxTries;
    this.#acceptsFormat = acceptsFormat;
    this.#kept = kept;
  }

  get exists(): boolean {
    return this.#secret !== null;
  }

  #made(): PinSecret | null {
    if (typeof this.#secret === 'function') this.#secret = this.#secret();
    return this.#secret;
  }

  /** A 照合番号 is the card's own data: no command changes it. */
  get changeable(): boolean {
    return this.#kept;
  }

  matches(candidate: Buffer): boolean {
    const secret = this.#made();
    if (!secret) return false;
    const digest = createHash('sha256').update(Buffer.from(secret.salt, 'hex')).update(candidate).digest();
    return timingSafeEqual(digest, Buffer.from(secret.sha256, 'hex'));
  }

  /** Whether `candidate` has the format this PIN must have; the card refuses others with 6A80. */
  acceptsFormat(candidate: Buffer): boolean {
    return this.#acceptsFormat(candidate.toString('latin1'));
  }

  change(newValue: Buffer): void {
    this.#secret = pinSecret(newValue.toString('latin1'));
  }

  memory(): PinMemory {
    const secret = this.#kept ? this.#made() : null;
    return { secret: secret ? { ...secret } : null, triesLeft: this.triesLeft };
  }
}

type ElementaryFile =
  /**
   * `readPins`: READ BINARY answers 6982 until one of them is verified. `content` may be made on the first read (the
   * 券面事項確認AP's pictures).
   */
  | { readonly type: 'binary'; readonly content: Buffer | (() => Buffer); readonly readPins?: readonly PinSlot[] }
  /** A record EF (READ RECORD), free to read. */
  | { readonly type: 'records'; readonly records: readonly Buffer[] }
  | { readonly type: 'pin'; readonly pin: PinSlot }
  /** `pin` undefined: no PIN can unlock the key (the card was configured without it), so signing answers 6982. */
  | { readonly type: 'key'; readonly key: KeyObject; readonly pin: PinSlot | undefined };

interface Application {
  readonly aid: Buffer;
  readonly files: ReadonlyMap<number, ElementaryFile>;
}

const TOKEN_BY_KIND: Readonly<Record<Exclude<CardKind, 'city-card'>, string>> = {
  'my-number-card': JpkiToken.MY_NUMBER_CARD,
  'juki-card': JpkiToken.JUKI_CARD,
  smartphone: JpkiToken.SMARTPHONE,
};

/** READ BINARY offsets are 15 bits, so an EF longer than this could not be read to its end. */
const MAX_EF_SIZE = 0x8000;

const sw = (status: number, data?: Uint8Array): Buffer =>
  Buffer.concat([data ?? Buffer.alloc(0), Buffer.from([(status >> 8) & 0xff, status & 0xff])]);

const isRsa2048PrivateKey = (key: KeyObject): boolean =>
  key?.type === 'private' && key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === 2048;

function checkTries(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new VirtualCardConfigError(`${name} must be an integer 0–${max}, got ${value}`);
  }
}

/** A lone UTF-16 surrogate cannot be written as UTF-8; Buffer.from would silently turn it into U+FFFD. */
const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

function isCalendarDate(text: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * The signature EF and the signer's certificate, made once per content and signer: a persona's card is made again and
 * again (every journey), and RSA PKCS#1 v1.5 signatures are deterministic.
 */
const signedEfs = new Map<string, Buffer>();
function signedEf(myNumberEf: Buffer, basicFourEf: Buffer, signer: CardInfoSigner): Buffer {
  const k = `${signer.subjectId}|${myNumberEf.toString('hex')}|${basicFourEf.toString('hex')}`;
  let ef = signedEfs.get(k);
  if (!ef) {
    if (signedEfs.size >= 1000) signedEfs.clear();
    ef = encodeCardInfoSignatureEf(myNumberEf, basicFourEf, signer);
    signedEfs.set(k, ef);
  }
  return ef;
}
const signerCertificates = new WeakMap<CardInfoSigner, Buffer>();
function signerCertificateEf(signer: CardInfoSigner): Buffer {
  let ef = signerCertificates.get(signer);
  if (!ef) signerCertificates.set(signer, (ef = encodeSignerCertificateEf(signer)));
  return ef;
}

/** A value made on first use, then kept. */
function once<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}

/** The PINs the 券面 APs are opened with. */
interface CardInfoPins {
  pin: PinSlot;
  cardInfoA: PinSlot;
  cardInfoB: PinSlot;
  surfaceA: PinSlot;
  surfaceB: PinSlot;
}

/**
 * Builds the 券面事項入力補助AP after checking every value; errors never quote the PIN or the personal data. Its EF 0001
 * (the My Number, printed on the back) opens with the PIN or 照合番号A; EF 0002 (the front's four items) also with
 * 照合番号B, which jpki-rs says opens only what the front shows (the same rule as the 券面事項確認AP's; UNCONFIRMED here).
 */
function buildCardInfoAp(info: CardInfoOptions, pins: CardInfoPins): Application {
  const { pin } = pins;
  if (typeof info !== 'object' || info === null) throw new VirtualCardConfigError('cardInfo must be an object');
  if (typeof info.myNumber !== 'string' || !/^[0-9]{12}$/.test(info.myNumber)) {
    throw new VirtualCardConfigError('cardInfo.myNumber must be exactly 12 ASCII digits');
  }
  for (const field of ['name', 'address'] as const) {
    const value = info[field];
    if (typeof value !== 'string' || value.trim() === '' || hasLoneSurrogate(value)) {
      throw new VirtualCardConfigError(`cardInfo.${field} must be a non-empty string of whole Unicode characters`);
    }
  }
  if (typeof info.birthDate !== 'string' || !isCalendarDate(info.birthDate)) {
    throw new VirtualCardConfigError('cardInfo.birthDate must be a real date written YYYY-MM-DD');
  }
  if (!['male', 'female', 'not-applicable'].includes(info.sex)) {
    throw new VirtualCardConfigError(`cardInfo.sex must be male, female or not-applicable, got ${String(info.sex)}`);
  }
  const basicFour = encodeBasicFourEf({ name: info.name, address: info.address, birthDate: info.birthDate, sex: info.sex });
  if (basicFour.length > MAX_EF_SIZE) {
    throw new VirtualCardConfigError(`cardInfo name and address take ${basicFour.length} bytes in EF 0002, more than the ${MAX_EF_SIZE} READ BINARY can address`);
  }
  const files = new Map<number, ElementaryFile>([
    [CardInfoEf.PIN, { type: 'pin', pin }],
    [CardInfoEf.PIN_A, { type: 'pin', pin: pins.cardInfoA }],
    [CardInfoEf.MY_NUMBER, { type: 'binary', content: encodeMyNumberEf(info.myNumber), readPins: [pin, pins.cardInfoA] }],
    [CardInfoEf.BASIC_FOUR, { type: 'binary', content: basicFour, readPins: [pin, pins.cardInfoA, pins.cardInfoB] }],
  ]);
  // 照合番号B is made of the card's expiry and security code, which only a card with its surface has.
  if (pins.cardInfoB.exists) files.set(CardInfoEf.PIN_B, { type: 'pin', pin: pins.cardInfoB });
  if (info.signer) {
    // Free to read: a client checks the data it read with the PIN against the signature and the signer's certificate.
    files.set(CardInfoEf.SIGNATURE, { type: 'binary', content: signedEf(encodeMyNumberEf(info.myNumber), basicFour, info.signer) });
    files.set(CardInfoEf.SIGNER_CERTIFICATE, { type: 'binary', content: signerCertificateEf(info.signer) });
    files.set(CardInfoEf.BASIC_INFO, { type: 'binary', content: once(() => encodeApBasicInfoEf(info.signer!)) });
  }
  // EF 0006/0007 (keys for an internal authentication whose APDU is not public) are not emulated.
  return { aid: CARD_INFO_AP_AID, files };
}

/**
 * The 券面事項確認AP: 照合番号A (the My Number) opens every EF, 照合番号B (birth YYMMDD, expiry year, security code)
 * the front's (EF 0001, 0002) but not the My Number's picture (EF 0005), as jpki-rs documents. The birth-date PIN
 * jsapdu names (EF 0011) is not emulated: its format is not known.
 */
function buildCardSurfaceAp(info: CardInfoOptions & { surface: CardSurfaceOptions; signer: CardInfoSigner }, pins: CardInfoPins): Application {
  const { surface, signer } = info;
  const pictures = once(() => {
    const p = surface.pictures();
    for (const [name, value] of Object.entries(p)) {
      if (!Buffer.isBuffer(value) || value.length === 0) throw new VirtualCardConfigError(`the card's picture ${name} is not a non-empty Buffer`);
    }
    return p;
  });
  const fits = (ef: Buffer): Buffer => {
    if (ef.length > MAX_EF_SIZE) throw new VirtualCardConfigError(`the card's pictures take ${ef.length} bytes in one EF, more than the ${MAX_EF_SIZE} READ BINARY can address`);
    return ef;
  };
  const entries = once(() => fits(encodeSurfaceEntriesEf({ ...pictures(), birthDate: info.birthDate, sex: info.sex, expires: surface.expires }, signer)));
  const front = [pins.surfaceA, pins.surfaceB];
  return {
    aid: CARD_SURFACE_AP_AID,
    files: new Map<number, ElementaryFile>([
      [CardSurfaceEf.PIN_A, { type: 'pin', pin: pins.surfaceA }],
      [CardSurfaceEf.PIN_B, { type: 'pin', pin: pins.surfaceB }],
      // Signed EFs are made on the first read: a card is made for every journey, and an RSA signature costs a millisecond.
      [CardSurfaceEf.BIRTH, { type: 'binary', content: once(() => encodeSurfaceBirthEf(info.birthDate, signer)), readPins: front }],
      [CardSurfaceEf.ENTRIES, { type: 'binary', content: entries, readPins: front }],
      [CardSurfaceEf.BASIC_INFO, { type: 'binary', content: once(() => encodeApBasicInfoEf(signer)) }],
      [CardSurfaceEf.SIGNER_CERTIFICATE, { type: 'binary', content: signerCertificateEf(signer) }],
      [CardSurfaceEf.MY_NUMBER, { type: 'binary', content: once(() => fits(encodeSurfaceMyNumberEf(pictures().myNumberPng, signer))), readPins: [pins.surfaceA] }],
    ]),
  };
}

function checkSurface(surface: CardSurfaceOptions): void {
  if (typeof surface !== 'object' || surface === null) throw new VirtualCardConfigError('cardInfo.surface must be an object');
  if (typeof surface.expires !== 'string' || !isCalendarDate(surface.expires)) throw new VirtualCardConfigError('cardInfo.surface.expires must be a real date written YYYY-MM-DD');
  if (typeof surface.securityCode !== 'string' || !isFourDigitPin(surface.securityCode)) throw new VirtualCardConfigError('cardInfo.surface.securityCode must be exactly 4 digits');
  if (typeof surface.pictures !== 'function') throw new VirtualCardConfigError('cardInfo.surface.pictures must be a function that returns the pictures');
}

export class VirtualMyNumberCard {
  readonly kind: CardKind;
  readonly atr: Buffer;
  readonly blockedStatus: BlockedStatus;
  /** The APs this card answers SELECT for; empty for a city card. */
  readonly #applications: readonly Application[];
  /** Every PIN exists as a counter even when its EF does not, so the getters below always have a value. */
  readonly #pins: Readonly<Record<PinName, PinSlot>>;
  readonly #hasSignPin: boolean;
  readonly #hasCardInfo: boolean;
  #powered = false;
  #selectedAp: Application | null = null;
  #currentEf: number | null = null;
  readonly #faults: CardFault[] = [];
  readonly #onMemoryWrite: ((memory: CardMemory) => void) | undefined;
  /** The memory could not be written: the card answers 6581 from then on. */
  #memoryFailed = false;

  constructor(options: VirtualMyNumberCardOptions) {
    const { kind } = options;
    if (!['my-number-card', 'juki-card', 'smartphone', 'city-card'].includes(kind)) {
      throw new VirtualCardConfigError(`unknown card kind "${String(kind)}"; use my-number-card, juki-card, smartphone or city-card`);
    }
    if (options.pin !== undefined && !isFourDigitPin(options.pin)) {
      // The PIN itself is not quoted, even in a configuration error.
      throw new VirtualCardConfigError('the user-authentication PIN must be exactly 4 digits');
    }
    const triesLeft = options.triesLeft ?? AUTH_PIN_MAX_TRIES;
    checkTries('triesLeft', triesLeft, AUTH_PIN_MAX_TRIES);
    const blockedStatus = options.blockedStatus ?? '63C0';
    if (blockedStatus !== '63C0' && blockedStatus !== '6983') {
      throw new VirtualCardConfigError(`blockedStatus must be '63C0' or '6983', got ${String(blockedStatus)}`);
    }
    const authKey = options.authKey;
    if (authKey !== undefined && !isRsa2048PrivateKey(authKey)) {
      throw new VirtualCardConfigError('authKey must be an RSA-2048 private KeyObject, as on a real card');
    }
    const signOptionGiven = (['signKey', 'signCertificate', 'signCaCertificate', 'signPin', 'signTriesLeft'] as const).find((o) => options[o] !== undefined);
    if (kind === 'city-card' && signOptionGiven) {
      throw new VirtualCardConfigError(`a city card has no JPKI AP, so it cannot hold ${signOptionGiven}`);
    }
    if (options.signPin !== undefined && (typeof options.signPin !== 'string' || !isSignPin(options.signPin))) {
      throw new VirtualCardConfigError('the signature PIN must be 6–16 characters of upper-case A–Z and 0–9 with at least one letter and one digit');
    }
    const signTriesLeft = options.signTriesLeft ?? SIGN_PIN_MAX_TRIES;
    checkTries('signTriesLeft', signTriesLeft, SIGN_PIN_MAX_TRIES);
    const signKey = options.signKey;
    if (signKey !== undefined && !isRsa2048PrivateKey(signKey)) {
      throw new VirtualCardConfigError('signKey must be an RSA-2048 private KeyObject, as on a real card');
    }
    const cardInfo = options.cardInfo;
    if (cardInfo !== undefined) {
      // The 券面 APs exist on the My Number Card only: not on the 住基カード, a phone's JPKI or a city card.
      if (kind !== 'my-number-card') throw new VirtualCardConfigError(`a ${kind} has no 券面事項入力補助AP, so it cannot hold cardInfo`);
      if (!options.memory?.cardInfo.secret && (typeof cardInfo.pin !== 'string' || !isFourDigitPin(cardInfo.pin))) {
        throw new VirtualCardConfigError('cardInfo.pin (the 券面事項入力補助AP PIN) must be exactly 4 digits');
      }
      checkTries('cardInfo.triesLeft', cardInfo.triesLeft ?? CARD_INFO_PIN_MAX_TRIES, CARD_INFO_PIN_MAX_TRIES);
      if (cardInfo.surface !== undefined) {
        if (!cardInfo.signer) throw new VirtualCardConfigError('cardInfo.surface needs cardInfo.signer: every EF of the 券面事項確認AP is signed');
        checkSurface(cardInfo.surface);
        checkTries('cardInfo.surface.triesLeftA', cardInfo.surface.triesLeftA ?? MATCHING_NUMBER_MAX_TRIES, MATCHING_NUMBER_MAX_TRIES);
        checkTries('cardInfo.surface.triesLeftB', cardInfo.surface.triesLeftB ?? MATCHING_NUMBER_MAX_TRIES, MATCHING_NUMBER_MAX_TRIES);
      }
    }
    const juki = options.juki;
    if (juki !== undefined) {
      if (kind !== 'my-number-card') throw new VirtualCardConfigError(`a ${kind} has no 住基AP, so it cannot hold juki`);
      if (typeof juki !== 'object' || juki === null || typeof juki.manufactureNumber !== 'string' || !/^[0-9A-Z]{13}$/.test(juki.manufactureNumber)) {
        throw new VirtualCardConfigError('juki.manufactureNumber must be 13 characters of 0-9 and A-Z');
      }
      if (juki.pin !== undefined && (typeof juki.pin !== 'string' || !isFourDigitPin(juki.pin))) throw new VirtualCardConfigError('juki.pin (the 住基AP PIN) must be exactly 4 digits');
      checkTries('juki.triesLeft', juki.triesLeft ?? JUKI_PIN_MAX_TRIES, JUKI_PIN_MAX_TRIES);
    }

    this.kind = kind;
    this.atr = Buffer.from(ATR_BY_KIND[kind]);
    this.blockedStatus = blockedStatus;
    const memory = options.memory;
    if (memory !== undefined) {
      for (const name of PIN_NAMES) {
        if (memory[name] !== undefined || ALWAYS_IN_MEMORY.includes(name)) checkTries(`memory.${name}.triesLeft`, memory[name]?.triesLeft as number, PIN_MAX_TRIES[name]);
      }
    }
    // The PINs become salted digests at once: from here on no field of the card holds the characters.
    const slot = (name: PinName, given: string | undefined, tries: number, format: (p: string) => boolean) => {
      const kept = memory?.[name];
      return new PinSlot(kept ? kept.secret : given === undefined ? null : pinSecret(given), kept ? kept.triesLeft : tries, PIN_MAX_TRIES[name], format);
    };
    // A 照合番号's value is the card's own data: made from it every time, its counter kept (full for an older memory).
    const matching = (name: PinName, value: string | undefined, tries: number | undefined, format: (p: string) => boolean) =>
      new PinSlot(value === undefined ? null : () => pinSecret(value), memory?.[name]?.triesLeft ?? tries ?? MATCHING_NUMBER_MAX_TRIES, MATCHING_NUMBER_MAX_TRIES, format, false);
    const surface = cardInfo?.surface;
    const pinB = surface && cardInfo && matchingNumberB(cardInfo.birthDate, surface.expires, surface.securityCode);
    this.#pins = {
      auth: slot('auth', options.pin, triesLeft, isFourDigitPin),
      sign: slot('sign', options.signPin, signTriesLeft, isSignPin),
      cardInfo: slot('cardInfo', cardInfo?.pin, cardInfo?.triesLeft ?? CARD_INFO_PIN_MAX_TRIES, isFourDigitPin),
      // 照合番号B needs the card's expiry and security code, which only a card with a surface has.
      cardInfoA: matching('cardInfoA', cardInfo?.myNumber, undefined, isMatchingNumberA),
      cardInfoB: matching('cardInfoB', pinB, undefined, isMatchingNumberB),
      surfaceA: matching('surfaceA', surface && cardInfo?.myNumber, surface?.triesLeftA, isMatchingNumberA),
      surfaceB: matching('surfaceB', pinB, surface?.triesLeftB, isMatchingNumberB),
      juki: slot('juki', juki?.pin, juki?.triesLeft ?? JUKI_PIN_MAX_TRIES, isFourDigitPin),
    };
    this.#onMemoryWrite = options.onMemoryWrite;
    // Which PINs the card has: those given, or those its memory keeps.
    const hasAuthPin = options.pin !== undefined || !!memory?.auth.secret;
    const hasSignPin = options.signPin !== undefined || !!memory?.sign.secret;
    this.#hasSignPin = hasSignPin;
    this.#hasCardInfo = cardInfo !== undefined;

    const applications: Application[] = [];
    if (kind !== 'city-card') {
      const files = new Map<number, ElementaryFile>();
      const token = Buffer.alloc(TOKEN_EF_SIZE, 0x20); // padding byte 0x20 (spec §2.1 says likely)
      token.write(TOKEN_BY_KIND[kind], 'ascii');
      files.set(JpkiEf.TOKEN, { type: 'binary', content: token });
      if (options.authCertificate) files.set(JpkiEf.AUTH_CERTIFICATE, { type: 'binary', content: Buffer.from(options.authCertificate) });
      if (options.caCertificate) files.set(JpkiEf.AUTH_CA_CERTIFICATE, { type: 'binary', content: Buffer.from(options.caCertificate) });
      const { auth, sign } = this.#pins;
      if (hasAuthPin) files.set(JpkiEf.AUTH_PIN, { type: 'pin', pin: auth });
      if (authKey) files.set(JpkiEf.AUTH_KEY, { type: 'key', key: authKey, pin: hasAuthPin ? auth : undefined });
      if (options.signCertificate) {
        // The signature certificate names the holder (name, address, birth, sex), hence the PIN (spec §2.1, OpenSC #3169).
        files.set(JpkiEf.SIGN_CERTIFICATE, { type: 'binary', content: Buffer.from(options.signCertificate), readPins: [sign] });
      }
      if (options.signCaCertificate) files.set(JpkiEf.SIGN_CA_CERTIFICATE, { type: 'binary', content: Buffer.from(options.signCaCertificate) });
      if (hasSignPin) files.set(JpkiEf.SIGN_PIN, { type: 'pin', pin: sign });
      if (signKey) files.set(JpkiEf.SIGN_KEY, { type: 'key', key: signKey, pin: hasSignPin ? sign : undefined });
      applications.push({ aid: JPKI_AP_AID, files });
    }
    const pins = { ...this.#pins, pin: this.#pins.cardInfo };
    if (cardInfo !== undefined) {
      applications.push(buildCardInfoAp(cardInfo, pins));
      if (surface) applications.push(buildCardSurfaceAp({ ...cardInfo, surface, signer: cardInfo.signer! }, pins));
    }
    if (juki !== undefined) {
      const files = new Map<number, ElementaryFile>([[JukiEf.NUMBERS, { type: 'records', records: [encodeJukiRecord(juki.manufactureNumber)] }]]);
      if (this.#pins.juki.exists) files.set(JukiEf.PIN, { type: 'pin', pin: this.#pins.juki });
      applications.push({ aid: JUKI_AP_AID, files });
    }
    this.#applications = applications;
  }

  /** Tries left on the user-authentication PIN (an operator panel shows it; the PIN itself is never exposed). */
  get triesLeft(): number {
    return this.#pins.auth.triesLeft;
  }

  /** Whether the user-authentication PIN is verified. */
  get pinVerified(): boolean {
    return this.#pins.auth.verified;
  }

  /** Tries left on the signature PIN (EF 001B). */
  get signTriesLeft(): number {
    return this.#pins.sign.triesLeft;
  }

  get signPinVerified(): boolean {
    return this.#pins.sign.verified;
  }

  /** Tries left on the 券面事項入力補助AP PIN (EF 0011). */
  get cardInfoTriesLeft(): number {
    return this.#pins.cardInfo.triesLeft;
  }

  get cardInfoPinVerified(): boolean {
    return this.#pins.cardInfo.verified;
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

  /** Warm reset: the card stays powered, the selection and every PIN-verified state are lost. */
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
    if (this.#memoryFailed) return sw(StatusWord.MEMORY_FAILURE);
    const response = this.#respond(command);
    return fault === 'garbled' ? response.subarray(0, 1) : response;
  }

  /** Every PIN's secret and counter, as the card store keeps them (no PIN: salted digests only; no 照合番号 at all). */
  memory(): CardMemory {
    const memory = {} as CardMemory;
    for (const name of PIN_NAMES) if (ALWAYS_IN_MEMORY.includes(name) || this.#pins[name].exists) memory[name] = this.#pins[name].memory();
    return memory;
  }

  /**
   * Gives a PIN its full counter back, as the municipality's terminal does when a locked PIN is reset (the card store's
   * operator action stands in for it until the ward-office counter exists). Written through like any change.
   */
  restoreTries(pin: PinName): void {
    const slot = Object.hasOwn(this.#pins, pin) ? this.#pins[pin] : undefined;
    if (!slot) throw new VirtualCardConfigError(`unknown PIN "${String(pin)}"; use ${PIN_NAMES.join(', ')}`);
    slot.triesLeft = slot.maxTries;
    slot.verified = false;
    if (!this.#written()) throw new CardMemoryError();
  }

  /**
   * Writes a new value for a certificate PIN with its counter full: what J-LIS does over its own secure channel when a
   * reservation made in the JPKI 暗証番号リセット app is used at a kiosk (card-life.md §3.3). That channel's commands are
   * not public, so no APDU reaches this: the kiosk that placed the card calls it once the center has allowed the reset.
   */
  issuerReset(pin: 'auth' | 'sign', value: string): void {
    const slot = pin === 'auth' ? this.#pins.auth : this.#pins.sign;
    const bytes = Buffer.from(value, 'latin1');
    if (!slot.acceptsFormat(bytes)) throw new VirtualCardConfigError(`not a value the card takes for its ${pin} PIN`);
    slot.change(bytes);
    slot.triesLeft = slot.maxTries;
    slot.verified = false;
    if (!this.#written()) throw new CardMemoryError();
  }

  /** Hands the memory to the card store; false (and the card broken from now on) when it could not be written. */
  #written(): boolean {
    if (!this.#onMemoryWrite) return true;
    try {
      this.#onMemoryWrite(this.memory());
      return true;
    } catch {
      this.#memoryFailed = true;
      return false;
    }
  }

  toJSON(): VirtualCardState {
    const others = PIN_NAMES.filter((n) => !ALWAYS_IN_MEMORY.includes(n) && this.#pins[n].exists);
    return {
      kind: this.kind,
      triesLeft: this.#pins.auth.triesLeft,
      pinVerified: this.#pins.auth.verified,
      powered: this.#powered,
      ...(this.#hasSignPin ? { signTriesLeft: this.#pins.sign.triesLeft, signPinVerified: this.#pins.sign.verified } : {}),
      ...(this.#hasCardInfo ? { cardInfoTriesLeft: this.#pins.cardInfo.triesLeft, cardInfoPinVerified: this.#pins.cardInfo.verified } : {}),
      ...(others.length ? { otherTriesLeft: Object.fromEntries(others.map((n) => [n, this.#pins[n].triesLeft])) } : {}),
    };
  }

  #clearVolatileState(): void {
    this.#selectedAp = null;
    this.#currentEf = null;
    this.#clearVerifiedPins();
  }

  #clearVerifiedPins(): void {
    for (const pin of Object.values(this.#pins)) pin.verified = false;
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
        case 0xb2:
          return this.#readRecord(apdu);
        case 0x20:
          return this.#verify(apdu);
        case 0x24:
          return this.#changeReferenceData(apdu);
        default:
          return sw(StatusWord.INS_NOT_SUPPORTED);
      }
    }
    // CLA 80 is the card's proprietary class, used only for the JPKI signature; other INS there are unknown (6D00).
    if (apdu.cla === 0x80) {
      return apdu.ins === 0x2a ? this.#computeSignature(apdu) : sw(StatusWord.INS_NOT_SUPPORTED);
    }
    // Every other class (muscle's and coolkey's B0, secure messaging, logical channels) is not supported.
    return sw(StatusWord.CLA_NOT_SUPPORTED);
  }

  #select(apdu: CommandApdu): Buffer {
    // P2=0C: no FCI; P2=00: FCI requested, whose content is UNCONFIRMED, so none is returned (spec §1).
    // P2 0C / 00: no FCI or FCI, first occurrence; 0E / 02: the next occurrence (partial DF names).
    if (![0x0c, 0x00, 0x0e, 0x02].includes(apdu.p2) || (apdu.p1 !== 0x04 && (apdu.p2 & 0x03))) return sw(StatusWord.INCORRECT_P1P2);
    if (apdu.p1 === 0x04) {
      if (apdu.data.length === 0) return sw(StatusWord.WRONG_LENGTH);
      // The full AID, or a part of one from its start (partial DF name: the ATR's card capabilities, C6 in
      // `73 C6 01 C0`, say the card supports it), at least the 5-byte RID, the first match or, with P2 …10, the next
      // one after the current AP. Other drivers' probes (OpenSC §5.3) and the APs not emulated get 6A82, never a
      // false 9000, and a failed SELECT leaves the current AP as it was.
      const application = this.#applications.find((ap) => ap.aid.equals(apdu.data)) ?? this.#partial(apdu.data, (apdu.p2 & 0x03) === 0x02);
      if (!application) return sw(StatusWord.FILE_NOT_FOUND);
      // Selecting an AP, even the current one, clears every verified PIN: OpenSC's logout re-selects the AP, and a
      // PIN of one AP must not stay usable once another AP is in use (spec §2.2, UNCONFIRMED on real cards).
      this.#clearVerifiedPins();
      this.#selectedAp = application;
      this.#currentEf = null;
      return sw(StatusWord.OK);
    }
    if (apdu.p1 === 0x02) {
      if (apdu.data.length !== 2) return sw(StatusWord.WRONG_LENGTH);
      const fid = apdu.data.readUInt16BE(0);
      if (!this.#selectedAp?.files.has(fid)) return sw(StatusWord.FILE_NOT_FOUND);
      this.#currentEf = fid;
      return sw(StatusWord.OK);
    }
    // P1=08/09 (path) do not work on the real card (OpenSC PR #801); MF/parent selection is not emulated.
    return sw(StatusWord.INCORRECT_P1P2);
  }

  /** The AP a partial DF name selects: the first whose AID starts with it, or the next after the current one. */
  #partial(name: Buffer, next: boolean): Application | undefined {
    if (name.length < 5) return undefined;
    const matching = this.#applications.filter((ap) => ap.aid.length > name.length && ap.aid.subarray(0, name.length).equals(name));
    if (!next) return matching[0];
    const current = this.#selectedAp ? matching.indexOf(this.#selectedAp) : -1;
    return matching[current + 1];
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
      if (!this.#selectedAp?.files.has(fid)) return sw(StatusWord.FILE_NOT_FOUND);
      this.#currentEf = fid; // ISO 7816-4: reading by SFI makes the EF current.
    } else {
      if (this.#currentEf === null) return sw(StatusWord.COMMAND_NOT_ALLOWED_NO_CURRENT_EF);
      fid = this.#currentEf;
      offset = (apdu.p1 << 8) | apdu.p2;
    }
    const file = this.#selectedAp?.files.get(fid);
    if (file?.type !== 'binary') return sw(StatusWord.COMMAND_INCOMPATIBLE_WITH_FILE);
    // The access check comes before the offset check, so a locked EF does not even reveal its length.
    if (file.readPins && !file.readPins.some((pin) => pin.verified)) return sw(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    let content: Buffer;
    try {
      content = typeof file.content === 'function' ? file.content() : file.content;
    } catch {
      // Content made on first read (the 券面事項確認AP's pictures) that could not be made: a defined answer, the card
      // still answers everything else, and the next read tries again.
      return sw(StatusWord.NO_PRECISE_DIAGNOSIS);
    }
    // An offset at or past the end has nothing to read; a long Le is clamped with 9000, not 6282 (spec §2.3).
    if (offset >= content.length) return sw(StatusWord.WRONG_P1P2_OFFSET);
    return sw(StatusWord.OK, content.subarray(offset, offset + apdu.le));
  }

  /**
   * `00 B2 <record> <SFI << 3 | 4> Le`: one record of a record EF (the 住基AP's; myna reads record 1 of SFI 1), by
   * its SFI or, with SFI 0, the current EF. Record 0 (the current record) and other P2 modes are not emulated (6A86).
   */
  #readRecord(apdu: CommandApdu): Buffer {
    if (apdu.data.length > 0 || apdu.le === undefined) return sw(StatusWord.WRONG_LENGTH);
    if (apdu.p1 === 0 || (apdu.p2 & 0x07) !== 0x04) return sw(StatusWord.INCORRECT_P1P2);
    const sfi = apdu.p2 >> 3;
    const fid = sfi === 0 ? this.#currentEf : sfi;
    if (fid === null) return sw(StatusWord.COMMAND_NOT_ALLOWED_NO_CURRENT_EF);
    const file = this.#selectedAp?.files.get(fid);
    if (!file) return sw(StatusWord.FILE_NOT_FOUND);
    if (file.type !== 'records') return sw(StatusWord.COMMAND_INCOMPATIBLE_WITH_FILE);
    this.#currentEf = fid;
    const record = file.records[apdu.p1 - 1];
    if (!record) return sw(StatusWord.RECORD_NOT_FOUND);
    return sw(StatusWord.OK, record.subarray(0, apdu.le));
  }

  /** Resolves the PIN a VERIFY / CHANGE REFERENCE DATA addresses: P2=80 → current EF, P2=80|SFI → that EF of the AP. */
  #pinReference(p2: number): PinSlot | 'not-found' | 'bad-p2' {
    if ((p2 & 0xe0) !== 0x80) return 'bad-p2';
    const fid = p2 & 0x1f ? p2 & 0x1f : this.#currentEf;
    const file = fid === null ? undefined : this.#selectedAp?.files.get(fid);
    return file?.type === 'pin' ? file.pin : 'not-found';
  }

  #blocked(): Buffer {
    return sw(this.blockedStatus === '6983' ? StatusWord.AUTHENTICATION_METHOD_BLOCKED : verifyFailed(0));
  }

  #verify(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x00) return sw(StatusWord.INCORRECT_P1P2);
    const pin = this.#pinReference(apdu.p2);
    if (pin === 'bad-p2') return sw(StatusWord.INCORRECT_P1P2);
    if (pin === 'not-found') return sw(StatusWord.REFERENCED_DATA_NOT_FOUND);
    if (pin.triesLeft === 0) return this.#blocked();
    // Empty data is the retry-counter query; OpenSC needs 63Cx here even when the PIN is verified (spec §2.4).
    if (apdu.data.length === 0) return sw(verifyFailed(pin.triesLeft));
    // The try is counted and written before the PIN is even compared, as a chip does against tearing: taking the card
    // away, or a memory that cannot be written, never yields an answer for an uncounted try (6581 says nothing of
    // whether the PIN was right).
    pin.triesLeft -= 1;
    pin.verified = false;
    if (!this.#written()) return sw(StatusWord.MEMORY_FAILURE);
    if (pin.matches(apdu.data)) {
      pin.triesLeft = pin.maxTries;
      if (!this.#written()) return sw(StatusWord.MEMORY_FAILURE);
      pin.verified = true;
      return sw(StatusWord.OK);
    }
    return sw(verifyFailed(pin.triesLeft));
  }

  /**
   * `00 24 01 80 Lc <new PIN>` after VERIFY of that same PIN (myna; spec §9 item 5). The new value must have the PIN's
   * format (4 digits, or the signature-password rules), else 6A80. The PIN stays verified and its counter full.
   */
  #changeReferenceData(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x01) return sw(StatusWord.INCORRECT_P1P2);
    const pin = this.#pinReference(apdu.p2);
    if (pin === 'bad-p2') return sw(StatusWord.INCORRECT_P1P2);
    if (pin === 'not-found') return sw(StatusWord.REFERENCED_DATA_NOT_FOUND);
    if (pin.triesLeft === 0) return this.#blocked();
    if (!pin.verified) return sw(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    if (!pin.changeable) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    if (!pin.acceptsFormat(apdu.data)) return sw(StatusWord.WRONG_DATA);
    pin.change(apdu.data);
    if (!this.#written()) return sw(StatusWord.MEMORY_FAILURE);
    return sw(StatusWord.OK);
  }

  /**
   * `80 2A 00 80 Lc <DigestInfo> 00`: the card pads (PKCS#1 v1.5 type 1) and applies the private key of the current
   * key EF (0017 or 001A), which needs its own PIN (0018 or 001B). The PIN stays verified after a signature (whether
   * the real card drops it is UNCONFIRMED, spec §2.5).
   */
  #computeSignature(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x80) return sw(StatusWord.INCORRECT_P1P2);
    const file = this.#currentEf === null ? undefined : this.#selectedAp?.files.get(this.#currentEf);
    if (file?.type !== 'key' || !file.pin?.verified) return sw(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    // Input must leave room for the 11 bytes of type-1 padding in a 256-byte block; the 256-byte answer needs Le ≥ 256.
    if (apdu.data.length === 0 || apdu.data.length > 256 - 11 || apdu.le === undefined || apdu.le < 256) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    // privateEncrypt with PKCS#1 padding is exactly "pad type 1 + RSA private operation".
    const signature = privateEncrypt({ key: file.key, padding: constants.RSA_PKCS1_PADDING }, apdu.data);
    return sw(StatusWord.OK, signature);
  }
}
