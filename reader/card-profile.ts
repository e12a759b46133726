// A card as data (reader/PROFILE.md): one JSON file naming the card's kind, its ATRs, its PINs (as the card keeps them:
// a salted hash and a counter, or a PIN written by hand for a test card), and its keys and certificates as files
// beside it. `kiosk card profile --persona ID --out DIR` writes a persona's card this way; `kiosk card serve --profile
// FILE` serves any profile through vpcd. What the profile does not name, the card does not have (its EF answers 6A82).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { MY_NUMBER_CARD_ATRS, parseAtr } from './atrs.ts';
import type { CardSex } from './card-info-ap.ts';
import {
  MATCHING_NUMBERS, PIN_MAX_TRIES, PIN_NAMES, pinSecret, VirtualMyNumberCard, type BlockedStatus, type CardKind, type CardMemory, type CardSurfacePictures,
  type PinName, type PinSecret, type VirtualMyNumberCardOptions,
} from './virtual-card.ts';

export const CARD_PROFILE_FORMAT = 'kiosk-card-profile/1';

/** A PIN as the card keeps it, or written by hand; a 照合番号 (the card's own data) has only its counter. */
type PinEntry = { secret: PinSecret; triesLeft: number } | { pin: string; triesLeft: number } | { triesLeft: number };

/** What the pictures may take together: EF 0002 is at most 32 KB (READ BINARY's 15-bit offsets) with its other items. */
const MAX_PICTURE_BYTES = 30_000;

/** The 券面事項確認AP's pictures, as files beside the profile. */
const PICTURES = { namePng: 'name.png', addressPng: 'address.png', faceJpeg2000: 'face.j2k', securityCodePng: 'security-code.png', myNumberPng: 'my-number.png' } as const;

export interface CardProfile {
  profile: typeof CARD_PROFILE_FORMAT;
  kind: CardKind;
  /** ATR names (reader/atrs.ts) or hex; the first is the one the card answers with unless told otherwise. */
  atrs: string[];
  blockedStatus?: BlockedStatus;
  pins?: Partial<Record<PinName, PinEntry>>;
  /** PEM files (PKCS#8), relative to the profile. */
  keys?: { auth?: string; sign?: string };
  /** DER or PEM files, relative to the profile. */
  certificates?: { auth?: string; authCa?: string; sign?: string; signCa?: string };
  cardInfo?: {
    myNumber: string;
    name: string;
    address: string;
    birthDate: string;
    sex: CardSex;
    /** Who signs EF 0003 (a PEM key file) and the ids EF 0004 carries; without it, no EF 0003/0004/0005. */
    signer?: { key: string; issuerId: string; subjectId: string };
    /** The 券面事項確認AP (needs a signer): the card's expiry, security code and pictures (files). */
    surface?: { expires: string; securityCode: string; pictures: Record<keyof typeof PICTURES, string> };
  };
  /** The 住基AP: the record's manufacture number (its PIN is pins.juki). */
  juki?: { manufactureNumber: string };
}

/** A profile that cannot be used: which field, and why (never a PIN or personal data). */
export class CardProfileError extends Error {
  override readonly name = 'CardProfileError';
}

/** Writes a card's options as a profile in `dir` (profile.json, keys/, certificates/); returns the profile's path. */
export function writeCardProfile(dir: string, o: VirtualMyNumberCardOptions, atrs: string[]): string {
  mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, 'certificates'), { recursive: true });
  const keyFile = (name: string, key: KeyObject | undefined) => {
    if (!key) return undefined;
    writeFileSync(join(dir, 'keys', `${name}.key.pem`), key.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    return `keys/${name}.key.pem`;
  };
  const certFile = (name: string, der: Buffer | undefined) => {
    if (!der) return undefined;
    writeFileSync(join(dir, 'certificates', `${name}.der`), der);
    return `certificates/${name}.der`;
  };
  const m = o.memory;
  const pins: CardProfile['pins'] = {};
  for (const pin of PIN_NAMES) {
    const slot = m?.[pin];
    if (slot && MATCHING_NUMBERS.includes(pin)) pins[pin] = { triesLeft: slot.triesLeft };
    else if (slot?.secret) pins[pin] = { secret: slot.secret, triesLeft: slot.triesLeft };
  }
  const surface = o.cardInfo?.surface;
  const pictureFiles = () => {
    mkdirSync(join(dir, 'pictures'), { recursive: true });
    const drawn = surface!.pictures();
    return Object.fromEntries(Object.entries(PICTURES).map(([field, name]) => {
      writeFileSync(join(dir, 'pictures', name), drawn[field as keyof CardSurfacePictures]);
      return [field, `pictures/${name}`];
    })) as Record<keyof typeof PICTURES, string>;
  };
  const profile: CardProfile = {
    profile: CARD_PROFILE_FORMAT, kind: o.kind, atrs, ...(o.blockedStatus ? { blockedStatus: o.blockedStatus } : {}), pins,
    keys: { auth: keyFile('auth', o.authKey), sign: keyFile('sign', o.signKey) },
    certificates: { auth: certFile('auth', o.authCertificate), authCa: certFile('auth-ca', o.caCertificate), sign: certFile('sign', o.signCertificate), signCa: certFile('sign-ca', o.signCaCertificate) },
    ...(o.cardInfo ? {
      cardInfo: {
        myNumber: o.cardInfo.myNumber, name: o.cardInfo.name, address: o.cardInfo.address, birthDate: o.cardInfo.birthDate, sex: o.cardInfo.sex,
        ...(o.cardInfo.signer ? { signer: { key: keyFile('card-info-signer', o.cardInfo.signer.key)!, issuerId: o.cardInfo.signer.issuerId, subjectId: o.cardInfo.signer.subjectId } } : {}),
        ...(surface ? { surface: { expires: surface.expires, securityCode: surface.securityCode, pictures: pictureFiles() } } : {}),
      },
    } : {}),
    ...(o.juki ? { juki: { manufactureNumber: o.juki.manufactureNumber } } : {}),
  };
  // A persona's 住基 PIN given in clear (a card whose memory predates it) is written as the card keeps it.
  if (o.juki?.pin && !pins.juki) pins.juki = { secret: pinSecret(o.juki.pin), triesLeft: o.juki.triesLeft ?? PIN_MAX_TRIES.juki };
  const file = join(dir, 'profile.json');
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Reads a profile and everything it names; returns the card and its ATRs (the card answers with the first). */
export function readCardProfile(file: string): { card: VirtualMyNumberCard; atrs: Buffer[] } {
  const bad = (what: string): never => {
    throw new CardProfileError(`${file}: ${what}`);
  };
  let p: CardProfile;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as CardProfile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return bad(code === 'ENOENT' ? 'no such file' : code ? (e as Error).message : 'not JSON');
  }
  if (!p || typeof p !== 'object') return bad('a profile is a JSON object');
  if (p.profile !== CARD_PROFILE_FORMAT) bad(`profile must be "${CARD_PROFILE_FORMAT}"`);
  if (!['my-number-card', 'juki-card', 'smartphone', 'city-card'].includes(p.kind)) bad('kind is my-number-card, juki-card, smartphone or city-card');
  if (!Array.isArray(p.atrs) || !p.atrs.length) bad('atrs lists at least one ATR: a name (contact, contactless-2024, …) or hex');
  const atrs = p.atrs.map((a, i) => parseAtr(a) ?? bad(`atrs[${i}] is neither an ATR name (${Object.keys(MY_NUMBER_CARD_ATRS).join(', ')}) nor a well-formed ATR in hex`));
  const base = dirname(resolve(file));
  const path = (field: string, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    if (typeof name !== 'string' || isAbsolute(name) || relative(base, resolve(base, name)).startsWith('..')) bad(`${field} names a file inside the profile's folder`);
    return resolve(base, name);
  };
  const read = (field: string, name: string | undefined): Buffer | undefined => {
    const at = path(field, name);
    if (!at) return undefined;
    try {
      return readFileSync(at);
    } catch {
      return bad(`${field}: ${name} cannot be read`);
    }
  };
  const key = (field: string, name: string | undefined): KeyObject | undefined => {
    const pem = read(field, name);
    if (!pem) return undefined;
    try {
      return createPrivateKey(pem);
    } catch {
      return bad(`${field}: ${name} is not a private key in PEM`);
    }
  };
  const certificate = (field: string, name: string | undefined): Buffer | undefined => {
    const bytes = read(field, name);
    if (!bytes) return undefined;
    try {
      return new X509Certificate(bytes).raw;
    } catch {
      return bad(`${field}: ${name} is not an X.509 certificate (DER or PEM)`);
    }
  };
  const memory: CardMemory = { auth: { secret: null, triesLeft: 3 }, sign: { secret: null, triesLeft: 5 }, cardInfo: { secret: null, triesLeft: 3 } };
  for (const [name, entry] of Object.entries(p.pins ?? {})) {
    if (!Object.hasOwn(PIN_MAX_TRIES, name)) bad(`pins.${name.slice(0, 20)}: the PINs are ${PIN_NAMES.join(', ')}`);
    const e = entry as PinEntry;
    const max = PIN_MAX_TRIES[name as PinName];
    if (!Number.isInteger(e?.triesLeft) || e.triesLeft < 0 || e.triesLeft > max) bad(`pins.${name}.triesLeft is 0-${max}`);
    if (MATCHING_NUMBERS.includes(name as PinName)) {
      // Its value is the card's data (the My Number, or birth + expiry + security code): only the counter is written.
      if ('secret' in e || 'pin' in e) bad(`pins.${name} is a 照合番号, made of the card's own data: give only its triesLeft`);
      memory[name as PinName] = { secret: null, triesLeft: e.triesLeft };
      continue;
    }
    const secret = 'secret' in e && e.secret && /^[0-9a-f]{64}$/.test(e.secret.salt) && /^[0-9a-f]{64}$/.test(e.secret.sha256) ? e.secret
      : 'pin' in e && typeof e.pin === 'string' ? pinSecret(e.pin) : bad(`pins.${name} has a secret { salt, sha256 } or a pin`);
    memory[name as PinName] = { secret, triesLeft: e.triesLeft };
  }
  const surface = p.cardInfo?.surface;
  if (surface !== undefined && (typeof surface !== 'object' || surface === null || typeof surface.pictures !== 'object' || surface.pictures === null)) {
    bad('cardInfo.surface has expires, securityCode and pictures (files)');
  }
  const pictures = surface && Object.fromEntries(Object.keys(PICTURES).map((field) => [field, read(`cardInfo.surface.pictures.${field}`, surface.pictures[field as keyof typeof PICTURES]) ?? bad(`cardInfo.surface.pictures.${field} names a file`)])) as unknown as CardSurfacePictures;
  // They go into one EF of at most 32 KB with the rest of the front (a real card's pictures are a few KB each).
  const pictureBytes = pictures ? Object.values(pictures).reduce((n, b) => n + b.length, 0) : 0;
  if (pictureBytes > MAX_PICTURE_BYTES) bad(`cardInfo.surface.pictures take ${pictureBytes} bytes; the card's front holds at most ${MAX_PICTURE_BYTES} in all`);
  const signer = p.cardInfo?.signer;
  const options: VirtualMyNumberCardOptions = {
    kind: p.kind, memory, ...(p.blockedStatus ? { blockedStatus: p.blockedStatus } : {}),
    authKey: key('keys.auth', p.keys?.auth), signKey: key('keys.sign', p.keys?.sign),
    authCertificate: certificate('certificates.auth', p.certificates?.auth), caCertificate: certificate('certificates.authCa', p.certificates?.authCa),
    signCertificate: certificate('certificates.sign', p.certificates?.sign), signCaCertificate: certificate('certificates.signCa', p.certificates?.signCa),
    ...(p.cardInfo ? {
      cardInfo: {
        myNumber: p.cardInfo.myNumber, name: p.cardInfo.name, address: p.cardInfo.address, birthDate: p.cardInfo.birthDate, sex: p.cardInfo.sex,
        ...(signer ? { signer: { key: key('cardInfo.signer.key', signer.key)!, issuerId: signer.issuerId, subjectId: signer.subjectId } } : {}),
        ...(surface && pictures ? { surface: { expires: surface.expires, securityCode: surface.securityCode, pictures: () => pictures } } : {}),
      },
    } : {}),
    ...(p.juki ? { juki: { manufactureNumber: p.juki.manufactureNumber } } : {}),
  };
  try {
    return { card: new VirtualMyNumberCard(options), atrs };
  } catch (e) {
    return bad((e as Error).message);
  }
}
