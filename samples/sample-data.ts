// Loads the sample data (municipalities, personas, test keys) and makes each persona's virtual card, with its
// user-authentication certificate minted by the test CA relative to the kiosk clock. TEST DATA only.
import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Municipality } from '../machine/types.ts';
import { certificateValidity } from '../machine/rules/card-life.ts';
import { startOfJapanDay } from '../machine/rules/japan-time.ts';
import { cardDates, cardOlderDays, periodOfStayEnd } from '../center/card-life.ts';
import { loadRegistry, myNumberFor, serialFor, householdOfResident, type Persona, type Registry } from '../center/registry.ts';
import { TestCa } from '../center/x509/test-ca.ts';
import { VirtualMyNumberCard, pinSecret, type CardMemory, type VirtualMyNumberCardOptions } from '../reader/virtual-card.ts';
import type { CardInfoSigner } from '../reader/card-info-ap.ts';
import { addressLines, faceJpeg2000, printedMyNumber, textPng } from './card-surface.ts';

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

export class UnknownPersonaError extends Error {
  constructor(id: unknown, known: string[]) {
    // An id comes from outside (a WebSocket message, a flag, a journey): shown bounded, never whole.
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : `(${typeof id})`;
    super(`No persona ${shown}. Known personas: ${known.join(', ')}`);
    this.name = 'UnknownPersonaError';
  }
}

const readJson = (name: string) => JSON.parse(readFileSync(join(ASSETS, name), 'utf8'));
const keyCache = new Map<string, KeyObject>();

function key(id: string): KeyObject {
  let k = keyCache.get(id);
  if (!k) {
    k = createPrivateKey(readFileSync(join(ASSETS, 'keys', `${id}.key.pem`)));
    keyCache.set(id, k);
  }
  return k;
}

/** How a new card differs from the persona's usual one (a journey's `card:`, an operator's "new card"). */
export interface CardVariant {
  /** The certificates were issued this many days before now (0: today, so usable from tomorrow). */
  issuedDaysAgo?: number;
  /** The certificates expired yesterday (their validity by the persona's dates, moved back to end then). */
  expired?: boolean;
  /** Tries left on the user-authentication PIN (0: locked). */
  triesLeft?: number;
  /**
   * The electronic certificates were declined at application (card-life.md §2): none on the card, and neither their
   * PINs; the 券面事項入力補助 PIN is set.
   */
  declined?: boolean;
  /**
   * The card J-LIS made, waiting at the office for its holder (card-life.md §2): its keys are on it, but neither its
   * certificates nor any PIN: both come at the collection (kiosk counter collect), where the holder sets the PINs.
   */
  uncollected?: boolean;
}

/** What a new card holds beyond its keys (which come from the persona's test keys): its certificates and memory. */
export interface CardContents {
  kind: VirtualMyNumberCardOptions['kind'];
  /** DER of the user-authentication and signature certificates (none on a city card). */
  certificates: { auth?: Buffer; sign?: Buffer };
  memory: CardMemory;
}

export interface SampleData {
  municipalities: Municipality[];
  personas: Persona[];
  /** The center's registers (residents, households, family registers, revocations). */
  registry: Registry;
  /** Issues the user-authentication certificates. */
  ca: TestCa;
  /** Issues the signature certificates (a separate CA, as in the real JPKI). */
  signCa: TestCa;
  /** Signs the certificates of personas whose card.issuer is 'foreign-ca'. */
  foreignCa: TestCa;
  persona(id: string): Persona;
  /** A fresh card for the persona, its certificates dated relative to `nowMs`. */
  makeCard(id: string, nowMs: number, variant?: CardVariant): VirtualMyNumberCard;
  /** What a new card of the persona holds, made at `nowMs` (the card store keeps it). */
  mintCard(id: string, nowMs: number, variant?: CardVariant): CardContents;
  /** The options a persona's card is built from (its keys, certificates, memory, 券面 data). */
  cardOptions(id: string, contents: CardContents, onMemoryWrite?: (memory: CardMemory) => void): VirtualMyNumberCardOptions;
  /**
   * New certificates for the persona's key pairs (the counter's renewal, a suspension cancelled, a re-issue): the
   * user-authentication one with `serial`, the signature one with `serial + 1`, both valid over `validity`.
   */
  mintCertificates(id: string, serial: bigint, validity: { notBefore: Date; notAfter: Date }): { auth: Buffer; sign: Buffer };
  /** The persona's card with the given contents (as the card store kept them), writing its memory through `onMemoryWrite`. */
  assembleCard(id: string, contents: CardContents, onMemoryWrite?: (memory: CardMemory) => void): VirtualMyNumberCard;
}

/** The signer of the 券面事項入力補助AP's data on every sample card (EF 0003, and its certificate EF 0004). */
let signer: CardInfoSigner | null = null;
const cardInfoSigner = (): CardInfoSigner => (signer ??= { issuerId: 'JPKI-SIM-CI-CA01', subjectId: 'JPKI-SIM-CI-SG01', key: key('test-card-info-signer') });

let cached: Omit<SampleData, 'makeCard' | 'mintCard' | 'mintCertificates' | 'assembleCard' | 'cardOptions' | 'persona'> | null = null;
/** Certificates already signed for a persona's card, by persona, issuer and validity (see mintCard). */
const minted = new Map<string, { auth: Buffer; sign: Buffer }>();
const DAY = 86_400_000;

/** A certificate's notBefore, as X509Certificate gives it, by the certificate's bytes (a card store hands out copies
 *  of the same bytes, so they are the key, not the Buffer). */
const issuedOn = new Map<string, string>();

/** `count` decimal digits made from `seed`: a persona's card numbers that stay the same run after run. */
function digitsOf(seed: string, count: number): string {
  return BigInt(`0x${createHash('sha256').update(seed).digest('hex')}`).toString().slice(-count).padStart(count, '0');
}

export function loadSampleData(): SampleData {
  cached ??= {
    municipalities: readJson('municipalities.json').municipalities,
    personas: readJson('personas.json').personas,
    registry: loadRegistry(readJson('registry.json')),
    ca: new TestCa({ privateKey: key('test-jpki-ca') }),
    signCa: new TestCa({ privateKey: key('test-jpki-sign-ca'), serial: 2n, purpose: 'sign' }),
    // A CA the center does not trust, with a name like JPKI's: the cards it signs are forgeries.
    foreignCa: new TestCa({
      privateKey: key('test-foreign-ca'), serial: 3n,
      subject: 'C=JP, O=JPKI, OU=JPKI for user authentication (FORGED TEST CA)',
    }),
  };
  const base = cached;
  const persona = (id: string) => {
    const p = base.personas.find((x) => x.id === id);
    if (!p) throw new UnknownPersonaError(id, base.personas.map((x) => x.id));
    return p;
  };
  const issuerOf = (p: Persona) => (p.card.issuer === 'foreign-ca' ? base.foreignCa : base.ca);

  /**
   * The certificates' validity on a persona's new card made at `nowMs`. They start at the Japan midnight of their
   * issue day (issuedDaysAgo days before), as a card issued at the counter that day, and end by the holder's birthdays
   * (card-life.md §6.2): at the end of the 5th birthday after issue, never after the card itself (§6.1: the 10th
   * birthday after its issue, the 5th under 18, or the end of a period of stay). A card older than its certificates
   * (cardIssuedDaysAgo) had them renewed, by the renewal's rule. A card with no resident (a forgery, a card nobody
   * registered holds) or with validDays is dated by the day count. `expired`: the same length of validity, ended
   * yesterday.
   */
  function certificateDates(p: Persona, variant: CardVariant, nowMs: number): { notBefore: Date; notAfter: Date } {
    const issued = startOfJapanDay(nowMs) - (variant.issuedDaysAgo ?? p.card.issuedDaysAgo ?? 0) * DAY;
    const r = p.resident ? base.registry.residents.get(p.resident) : undefined;
    let validity: { notBefore: Date; notAfter: Date };
    if (r && p.card.validDays === undefined) {
      const older = cardOlderDays(p.card);
      const card = cardDates(r, new Date(issued).toISOString(), older);
      const v = certificateValidity(r.birthDate, new Date(issued).toISOString(), { renewal: older > 0, cardExpires: card.expires });
      validity = { notBefore: new Date(v.notBefore), notAfter: new Date(v.notAfter) };
    } else {
      validity = { notBefore: new Date(issued), notAfter: new Date(issued + (p.card.validDays ?? 1826) * DAY - 1000) };
      // A foreign resident's card ends with the period of stay (card-life.md §6.1), and its certificates with it.
      const stay = r && periodOfStayEnd(r);
      if (stay) {
        const end = Date.parse(`${stay}T23:59:59+09:00`);
        if (end < validity.notAfter.getTime()) validity.notAfter = new Date(end);
      }
    }
    // A card made after its own end (the period of stay over by then) is an expired one: its certificates had the
    // last day of the stay.
    if (validity.notAfter <= validity.notBefore) validity.notBefore = new Date(startOfJapanDay(validity.notAfter.getTime()));
    if (variant.expired) {
      const length = validity.notAfter.getTime() - validity.notBefore.getTime();
      const yesterday = startOfJapanDay(nowMs) - 1000;
      validity = { notBefore: new Date(yesterday - length), notAfter: new Date(yesterday) };
    }
    return validity;
  }

  /**
   * The signature certificate: the holder's name, sex, date of birth and address from the resident record, and their
   * city in romaji (a persona no resident stands behind, a forgery, gets one without personal data).
   */
  function signCertificate(p: Persona, serial: bigint, validity: { notBefore: Date; notAfter: Date }): Buffer {
    const publicKey = createPublicKey(key(`${p.id}.sign`));
    const r = p.resident ? base.registry.residents.get(p.resident) : undefined;
    const household = r && householdOfResident(base.registry, r);
    const city = household && base.municipalities.find((m) => m.code === household.city);
    if (!r || !household || !city?.romaji) return base.signCa.issueUserAuthCertificate({ publicKey, serial, ...validity });
    return base.signCa.issueSignatureCertificate({
      publicKey, serial, ...validity, cityCode: city.code,
      holder: { name: r.name, address: household.address, birthDate: r.birthDate, sex: r.sex === '男' ? 'male' : r.sex === '女' ? 'female' : 'not-applicable', place: city.romaji },
    });
  }

  function mintCard(id: string, nowMs: number, variant: CardVariant = {}): CardContents {
    const p = persona(id);
    const memory: CardMemory = {
      // The 券面事項入力補助AP's PIN is set to the same digits as the user-authentication PIN, as most people do.
      auth: { secret: p.card.pin ? pinSecret(p.card.pin) : null, triesLeft: variant.triesLeft ?? p.card.triesLeft ?? 3 },
      sign: { secret: p.card.signPin ? pinSecret(p.card.signPin) : null, triesLeft: p.card.signTriesLeft ?? 5 },
      cardInfo: { secret: p.card.kind === 'my-number-card' && p.card.pin ? pinSecret(p.card.pin) : null, triesLeft: 3 },
      // The 住基AP's PIN too: the 4-digit PINs are one choice at collection.
      ...(p.card.kind === 'my-number-card' && p.card.pin ? { juki: { secret: pinSecret(p.card.pin), triesLeft: 3 } } : {}),
    };
    if (p.card.kind === 'city-card') return { kind: 'city-card', certificates: {}, memory };
    if (variant.uncollected) {
      const unset = (triesLeft: number) => ({ secret: null, triesLeft });
      return { kind: p.card.kind, certificates: {}, memory: { auth: unset(3), sign: unset(5), cardInfo: unset(3) } };
    }
    if (variant.declined) return { kind: p.card.kind, certificates: {}, memory: { ...memory, auth: { secret: null, triesLeft: 3 }, sign: { secret: null, triesLeft: 5 } } };
    const validity = certificateDates(p, variant, nowMs);
    const serial = serialFor(p.id);
    const issuer = issuerOf(p);
    // The same persona's card minted again the same day carries the same certificates (RSA PKCS#1 v1.5 signatures
    // are deterministic): they are signed once, which makes a journey several times faster.
    const mintKey = `${p.id}|${p.card.issuer ?? ''}|${validity.notBefore.getTime()}|${validity.notAfter.getTime()}`;
    let certificates = minted.get(mintKey);
    if (!certificates) {
      if (minted.size >= 1000) minted.clear();
      certificates = {
        auth: issuer.issueUserAuthCertificate({ publicKey: createPublicKey(key(p.id)), serial, ...validity }),
        sign: signCertificate(p, serial + 1n, validity),
      };
      minted.set(mintKey, certificates);
    }
    return { kind: p.card.kind, certificates: { ...certificates }, memory };
  }

  /** What a persona's card is made of: its keys, certificates, memory and 券面 data (a card profile writes these out). */
  function cardOptions(id: string, contents: CardContents, onMemoryWrite?: (memory: CardMemory) => void): VirtualMyNumberCardOptions {
    const p = persona(id);
    if (contents.kind === 'city-card') return { kind: 'city-card' };
    const r = p.resident ? base.registry.residents.get(p.resident) : undefined;
    const collected = contents.kind === 'my-number-card' && !!contents.memory.cardInfo.secret;
    const myNumber = r && (r.myNumber ?? myNumberFor(r.id));
    const address = r && householdOfResident(base.registry, r).address;
    const expires = r && cardExpiry(p, r, contents.certificates.auth);
    const code = digitsOf(`${p.id}|security-code`, 4);
    return {
      kind: contents.kind, memory: contents.memory, onMemoryWrite,
      authKey: key(p.id), authCertificate: contents.certificates.auth, caCertificate: issuerOf(p).certificate,
      signKey: key(`${p.id}.sign`), signCertificate: contents.certificates.sign, signCaCertificate: base.signCa.certificate,
      cardInfo: collected && r ? {
        myNumber: myNumber!, name: r.name, address: address!, birthDate: r.birthDate,
        sex: r.sex === '男' ? 'male' : r.sex === '女' ? 'female' : 'not-applicable', signer: cardInfoSigner(),
        // The 券面事項確認AP: the card's front as it was printed, drawn when a client first reads it.
        surface: expires ? {
          expires, securityCode: code,
          pictures: () => ({
            namePng: textPng([r.name], 40), addressPng: textPng(addressLines(address!), 28), faceJpeg2000: faceJpeg2000(p.id),
            securityCodePng: textPng([code], 32), myNumberPng: textPng([printedMyNumber(myNumber!)], 36),
          }),
        } : undefined,
      } : undefined,
      // Its PIN is the persona's 4 digits unless the card's memory keeps one (a card collected at the counter).
      juki: contents.kind === 'my-number-card' ? { manufactureNumber: digitsOf(`${p.id}|manufacture`, 13), pin: collected ? p.card.pin : undefined } : undefined,
    };
  }

  /**
   * The card's own last day (card-life.md §6.1), from the day its user-authentication certificate was issued (cards
   * without certificates, declined or not yet collected, have no 券面事項確認AP here: nothing dates them).
   */
  function cardExpiry(p: Persona, r: NonNullable<ReturnType<Registry['residents']['get']>>, authCertificate: Buffer | undefined): string | undefined {
    if (!authCertificate) return undefined;
    // Parsing a certificate costs 160 µs and a card is assembled for every journey: its issue day is kept per certificate.
    const bytes = authCertificate.toString('latin1');
    let from = issuedOn.get(bytes);
    if (from === undefined) {
      if (issuedOn.size >= 1000) issuedOn.clear();
      issuedOn.set(bytes, (from = new X509Certificate(authCertificate).validFrom));
    }
    const issued = new Date(from).toISOString();
    const expires = Date.parse(cardDates(r, issued, cardOlderDays(p.card)).expires);
    return new Date(expires + 9 * 3_600_000).toISOString().slice(0, 10);
  }

  function assembleCard(id: string, contents: CardContents, onMemoryWrite?: (memory: CardMemory) => void): VirtualMyNumberCard {
    return new VirtualMyNumberCard(cardOptions(id, contents, onMemoryWrite));
  }

  function mintCertificates(id: string, serial: bigint, validity: { notBefore: Date; notAfter: Date }) {
    const p = persona(id);
    return {
      auth: issuerOf(p).issueUserAuthCertificate({ publicKey: createPublicKey(key(p.id)), serial, ...validity }),
      sign: signCertificate(p, serial + 1n, validity),
    };
  }

  return {
    ...base,
    persona,
    mintCard,
    mintCertificates,
    assembleCard,
    cardOptions,
    makeCard: (id, nowMs, variant) => assembleCard(id, mintCard(id, nowMs, variant)),
  };
}
