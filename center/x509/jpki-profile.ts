// What the simulator's JPKI certificates carry, after what real ones carry (../shared/spec/my-number-card.md §13): the
// names, the extensions and the signature certificate's personal data (subjectAltName otherNames under J-LIS's OIDs).
// The real profile (J-LIS's 13_profile_genkou.pdf) was not readable; what the fact sheet marks UNCONFIRMED is chosen
// here and written down (the README's choices): the leaf extensions, the key-usage bits, the sex codes, the era
// digits beyond 1 (明治) and 4 (平成), the CN forms. The names are the real ones' shape under a fictional O (JPKI-SIM),
// as the sheet asks: never the production DNs or keys.
import { createHash } from 'node:crypto';
import { derExplicit, derIa5String, derImplicit, derOid, derSequence, derUtf8String } from './der.ts';

export const JPKI_OID = {
  personalData: {
    name: '1.2.392.200149.8.5.5.1',
    nameSubstitutes: '1.2.392.200149.8.5.5.2',
    sex: '1.2.392.200149.8.5.5.3',
    birthDate: '1.2.392.200149.8.5.5.4',
    address: '1.2.392.200149.8.5.5.5',
    addressSubstitutes: '1.2.392.200149.8.5.5.6',
  },
  policy: { sign: '1.2.392.200149.8.5.1.1.20', auth: '1.2.392.200149.8.5.1.3.30' },
} as const;

export type JpkiPurpose = 'auth' | 'sign';

/** The CAs' names: the real DNs' shape (C, O, OU, OU), O fictional. */
export const JPKI_SIM_CA_NAME: Record<JpkiPurpose, string> = {
  auth: 'C=JP, O=JPKI-SIM, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems',
  sign: 'C=JP, O=JPKI-SIM, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems',
};

/** The CAs' subjectAltName directoryName, in Japanese as the real ones' (UTF8String). */
export const JPKI_SIM_CA_ALT_NAME: Record<JpkiPurpose, string> = {
  auth: 'C=JP, O=公的個人認証サービス（模擬）, OU=公的個人認証サービス利用者証明用, OU=地方公共団体情報システム機構',
  sign: 'C=JP, O=公的個人認証サービス（模擬）, OU=公的個人認証サービス署名用, OU=地方公共団体情報システム機構',
};

/** Where the simulator says its OCSP responder and its CPS are (fictional hosts: nothing answers there). */
export const JPKI_SIM_URLS = {
  ocsp: { auth: 'http://ocsp-auth.jpki-sim.example/', sign: 'http://ocsp-sign.jpki-sim.example/' },
  cps: { auth: 'https://www.jpki-sim.example/cps/auth/', sign: 'https://www.jpki-sim.example/cps/sign/' },
} as const;

/**
 * The user notice of the user-authentication certificate's policy (Japanese CAs write one beside the CPS). Its words
 * are chosen so that the certificate is 1,571 bytes, as the real one read from a card is (§13.1): card clients' read
 * loops (§2.3) then meet the same sizes as on a real card. The signature certificate carries the CPS alone: with the
 * holder's data it is about the real 1,742 bytes already (it varies with the name and address, as real ones do).
 */
export const JPKI_SIM_AUTH_NOTICE = 'JPKI-SIM ：公的個人認証サービスの利用者証明用電子証明書の試験用の模擬です。本人確認には使えません。';

/** A municipality's and its prefecture's names in romaji, as the signature certificate's L attributes write them. */
export interface RomajiPlace {
  prefecture: string;
  city: string;
}

/** The holder as the signature certificate carries them (the resident record at issue). */
export interface SignatureHolder {
  name: string;
  address: string;
  /** YYYY-MM-DD (Gregorian). */
  birthDate: string;
  sex: 'male' | 'female' | 'not-applicable';
  place: RomajiPlace;
}

/**
 * The era digit before the Gregorian date of birth (`EYYYYMMDD`): 1 明治 and 4 平成 are seen on real certificates;
 * 2 大正, 3 昭和 and 5 令和 follow the same order (UNCONFIRMED).
 */
export function eraDigit(birthDate: string): string {
  if (birthDate < '1912-07-30') return '1';
  if (birthDate < '1926-12-25') return '2';
  if (birthDate < '1989-01-08') return '3';
  if (birthDate < '2019-05-01') return '4';
  return '5';
}

export const birthDateValue = (birthDate: string): string => `${eraDigit(birthDate)}${birthDate.replaceAll('-', '')}`;

/** Sex as a one-character code: 1 and 2 are seen (male, female: UNCONFIRMED); 9 for not applicable, as the 券面AP's. */
export const sexCode = (sex: SignatureHolder['sex']): string => (sex === 'male' ? '1' : sex === 'female' ? '2' : '9');

/** Substitute-character flags: one 0 per character (our names and addresses need no substitute character). */
export const substituteFlags = (text: string): string => '0'.repeat([...text].length);

/** GeneralName otherName [0] { type-id, [0] EXPLICIT UTF8String } (§13.3's wire form). */
function otherName(oid: string, value: string): Buffer {
  return derExplicit(0, derOid(oid), derExplicit(0, derUtf8String(value)));
}

/** The signature certificate's subjectAltName: the six personal-data entries. */
export function personalDataAltName(h: SignatureHolder): Buffer {
  const pd = JPKI_OID.personalData;
  return derSequence(
    otherName(pd.name, h.name),
    otherName(pd.nameSubstitutes, substituteFlags(h.name)),
    otherName(pd.sex, sexCode(h.sex)),
    otherName(pd.birthDate, birthDateValue(h.birthDate)),
    otherName(pd.address, h.address),
    otherName(pd.addressSubstitutes, substituteFlags(h.address)),
  );
}

/**
 * The user-authentication certificate's CN: 23 characters of [0-9A-Z], opaque (real ones are "serial-like": their
 * structure is UNCONFIRMED), derived from the serial so that the same card always carries the same one.
 */
export function authCommonName(serial: bigint): string {
  const n = BigInt(`0x${createHash('sha256').update(`jpki-sim-cn:${serial.toString(16)}`).digest('hex')}`);
  return n.toString(36).toUpperCase().padStart(23, '0').slice(-23);
}

/**
 * The signature certificate's CN: the issue request's date and time (YYYYMMDDhhmmss, Japan time), a 5-digit sequence
 * and the 9-character code of the counter that took it (§13.3); ours: the serial's low digits, and the city's code.
 */
export function signCommonName(issuedAt: Date, serial: bigint, cityCode: string): string {
  const jst = new Date(issuedAt.getTime() + 9 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${jst}${String(serial % 100_000n).padStart(5, '0')}${`${cityCode}A00`.slice(0, 9)}`;
}

/** certificatePolicies: the purpose's policy with a CPS URI (and, for user authentication, a user notice). */
export function policies(purpose: JpkiPurpose): Buffer {
  const cps = derSequence(derOid('1.3.6.1.5.5.7.2.1'), derIa5String(JPKI_SIM_URLS.cps[purpose]));
  const notice = derSequence(derOid('1.3.6.1.5.5.7.2.2'), derSequence(derUtf8String(JPKI_SIM_AUTH_NOTICE)));
  return derSequence(derSequence(derOid(JPKI_OID.policy[purpose]), derSequence(cps, ...(purpose === 'auth' ? [notice] : []))));
}

/** authorityInfoAccess: the OCSP responder. */
export function ocspAccess(purpose: JpkiPurpose): Buffer {
  return derSequence(derSequence(derOid('1.3.6.1.5.5.7.48.1'), derImplicit(6, Buffer.from(JPKI_SIM_URLS.ocsp[purpose], 'ascii'))));
}

/** A GeneralNames of one directoryName [4] (an explicit tag: Name is a CHOICE). */
export const directoryName = (name: Buffer): Buffer => derSequence(derExplicit(4, name));

/** crlDistributionPoints with one point named by a directoryName (fullName [0] of distributionPoint [0]). */
export const crlPointByName = (name: Buffer): Buffer => derSequence(derSequence(derExplicit(0, derExplicit(0, derExplicit(4, name)))));
