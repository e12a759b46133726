// The center's registers, loaded from assets/registry.json: residents (住民基本台帳), households, family registers
// (戸籍), seal registrations, tax records by fiscal year, address history for 附票 and the revocation list of
// user-authentication certificates. TEST DATA only. The loader checks every cross-reference, so a broken data
// file fails at start with the record it is about, not later in the middle of a journey.
import { createHash } from 'node:crypto';
import type { Holder, Person } from '../machine/types.ts';

export type Status = 'adult-ward' | 'moved-out' | 'support-measure' | 'deceased';

export interface TaxRecord {
  /** 総所得金額 of the previous calendar year, yen. */
  income: number;
  /** 市民税・県民税 所得割額, yen. */
  incomeLevy: number;
  /** 均等割額, yen. */
  perCapitaLevy: number;
  /** 所得控除 by the name printed (社会保険料控除, 基礎控除…), yen: listed on the 所得証明書 and 所得・課税証明書. */
  deductions?: Record<string, number>;
  /** 扶養親族の数 (dependants the deductions count). */
  dependents?: number;
  /** 納付済額: what has been paid of the year's levy (所得割 + 均等割), yen; left out, the levy is paid in full. */
  paid?: number;
}

export interface SealRegistration {
  /** 印鑑登録番号. */
  number: string;
  /** The characters carved in the registered seal, as its impression shows them. */
  impression: string;
  registeredOn: string;
}

export interface ForeignResidentFields {
  nationality: string; // 国籍・地域
  residenceStatus: string; // 在留資格
  residenceCardNumber: string; // 在留カード等の番号
  stayUntil: string; // 在留期間等の満了の日
}

export interface Resident {
  id: string;
  name: string;
  kana?: string;
  birthDate: string;
  sex?: string;
  household: string;
  /** 続柄 to the householder (世帯主 for the householder). */
  relationship: string;
  /** The day this person became a resident of the city (住民となった年月日). */
  residentSince: string;
  familyRegister?: string;
  /** 戸籍証明書交付の利用登録: needed when the 本籍地 is another city. */
  domicileRegistered?: boolean;
  myNumber?: string;
  foreign?: ForeignResidentFields;
  statuses?: Status[];
  seal?: SealRegistration;
  /** Fiscal year (年度) → the city's tax record; a year is there only if the person lived in the city on Jan 1. */
  tax?: Record<string, TaxRecord>;
  /** Addresses since entering the family register, oldest first: the 戸籍の附票. */
  addressHistory?: Array<{ address: string; from: string }>;
}

export interface Household {
  id: string;
  city: string;
  /** 川崎市 has seven wards; the ward office is where this household's records (and a locked PIN) are handled. */
  ward?: string;
  address: string;
}

export interface RegisterMember {
  /** The resident id when the member is a resident somewhere; otherwise an id unique within the register. */
  id: string;
  name: string;
  birthDate: string;
  sex?: string;
  /** 続柄 in the register: the relation to the parents (長男, 長女, 二男…), never 筆頭者 or 妻. */
  relationship: string;
  /** 配偶者区分: 夫 or 妻 for a married member. */
  spouse?: '夫' | '妻';
}

export interface FamilyRegister {
  id: string;
  city: string;
  honseki: string;
  hittosha: string;
  members: RegisterMember[];
}

export type RevocationReason = 'lost' | 'moved-out' | 'deceased';

export interface Registry {
  residents: Map<string, Resident>;
  households: Map<string, Household>;
  familyRegisters: Map<string, FamilyRegister>;
  /** Persona (card) id → why its user-authentication certificate was revoked. */
  revocations: Map<string, { reason: RevocationReason; on: string }>;
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(`assets/registry.json: ${message}`);
    this.name = 'RegistryError';
  }
}

interface RegistryJson {
  residents: Record<string, Omit<Resident, 'id'>>;
  households: Record<string, Omit<Household, 'id'>>;
  familyRegisters: Record<string, Omit<FamilyRegister, 'id'>>;
  revocations: Array<{ card: string; reason: RevocationReason; on: string }>;
}

const withIds = <T>(o: Record<string, T>) => new Map(Object.entries(o).map(([id, v]) => [id, { id, ...v }]));

export function loadRegistry(json: RegistryJson): Registry {
  const reg: Registry = {
    residents: withIds(json.residents),
    households: withIds(json.households),
    familyRegisters: withIds(json.familyRegisters),
    revocations: new Map(json.revocations.map((r) => [r.card, { reason: r.reason, on: r.on }])),
  };
  for (const r of reg.residents.values()) {
    if (!reg.households.has(r.household)) throw new RegistryError(`resident "${r.id}" lives in unknown household "${r.household}"`);
    if (r.familyRegister && !reg.familyRegisters.get(r.familyRegister)?.members.some((m) => m.id === r.id)) {
      throw new RegistryError(`resident "${r.id}" is not a member of family register "${r.familyRegister}"`);
    }
  }
  for (const h of reg.households.values()) {
    const heads = householdOf(reg, h.id).filter((m) => m.relationship === '世帯主');
    if (heads.length !== 1) throw new RegistryError(`household "${h.id}" has ${heads.length} 世帯主 (one expected)`);
  }
  return reg;
}

export function resident(reg: Registry, id: string): Resident {
  const r = reg.residents.get(id);
  if (!r) throw new RegistryError(`no resident "${id}"`);
  return r;
}

/** The household's members, the 世帯主 first, in the order of the register. */
export function householdOf(reg: Registry, householdId: string): Resident[] {
  const members = [...reg.residents.values()].filter((r) => r.household === householdId);
  return [...members.filter((m) => m.relationship === '世帯主'), ...members.filter((m) => m.relationship !== '世帯主')];
}

export const householdOfResident = (reg: Registry, r: Resident): Household => reg.households.get(r.household)!;
export const familyRegisterOf = (reg: Registry, r: Resident): FamilyRegister | null =>
  (r.familyRegister && reg.familyRegisters.get(r.familyRegister)) || null;

export const hasStatus = (r: Resident, s: Status): boolean => !!r.statuses?.includes(s);

/** The certificate serial of a persona's card: derived from its id, so the card and the center agree. */
export function serialFor(personaId: string): bigint {
  const h = createHash('sha256').update(`jpki-test:${personaId}`).digest();
  h[0] &= 0x7f; // a positive INTEGER
  h[0] |= 0x10; // and never a short one
  return BigInt('0x' + h.subarray(0, 8).toString('hex'));
}

/** Check digit of a 12-digit 個人番号 (the official formula), for an 11-digit body. */
function myNumberCheckDigit(body: number[]): number {
  const sum = body.reduce((acc, digit, i) => {
    const n = 11 - i; // position from the right, 1..11
    return acc + digit * (n <= 6 ? n + 1 : n - 5);
  }, 0);
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/**
 * A test My Number for a resident without one in the register: 11 digits from the id and the official check
 * digit (so that software validating the number accepts it). TEST DATA.
 */
export function myNumberFor(id: string): string {
  const body = Array.from(createHash('sha256').update(`my-number-test:${id}`).digest().subarray(0, 11), (b) => b % 10);
  return body.join('') + String(myNumberCheckDigit(body));
}

/**
 * The 住民票コード (11 digits): the register has one for every resident and the center never releases it: no
 * certificate, answer or log carries it. It exists here so that tests can prove that.
 */
export function residentCodeFor(id: string): string {
  return Array.from(createHash('sha256').update(`resident-code-test:${id}`).digest().subarray(0, 11), (b) => b % 10).join('');
}

const person = (m: { id: string; name: string; relationship: string }): Person => ({ id: m.id, name: m.name, relationship: m.relationship });

/** The facts the machine's rules decide on; nothing more leaves the center before issuance. */
export function holderFacts(reg: Registry, r: Resident): Holder {
  const home = householdOfResident(reg, r);
  const register = familyRegisterOf(reg, r);
  return {
    id: r.id,
    name: r.name,
    birthDate: r.birthDate,
    foreign: !!r.foreign,
    adultWard: hasStatus(r, 'adult-ward'),
    movedOut: hasStatus(r, 'moved-out'),
    supportMeasure: hasStatus(r, 'support-measure'),
    residenceCity: home.city,
    domicileCity: register?.city ?? null,
    domicileRegistered: !!register && (register.city === home.city || !!r.domicileRegistered),
    sealRegistered: !!r.seal,
    taxYears: Object.keys(r.tax ?? {}).map(Number).sort((a, b) => a - b),
    household: householdOf(reg, r.household).map(person),
    familyRegister: register ? register.members.map(person) : [],
  };
}

export interface PersonaCard {
  kind: 'my-number-card' | 'juki-card' | 'smartphone' | 'city-card';
  pin?: string;
  triesLeft?: number;
  /** The certificates' issue day, this many days before the card is made (0: today, usable from tomorrow). */
  issuedDaysAgo?: number;
  /**
   * The card's own issue day when it is older than its certificates (they were renewed at the counter): this many
   * days before the card is made. Left out: the card and its certificates were issued the same day.
   */
  cardIssuedDaysAgo?: number;
  /**
   * An exact validity of the certificates in days, instead of the birthday rule (card-life.md §6.2): for a card that
   * is not a My Number Card (a 住基カード's certificate was valid 3 years, not to a birthday). Left out: by birthdays.
   */
  validDays?: number;
  /** 'foreign-ca': the certificate is signed by a CA that is not JPKI's (a forged card). */
  issuer?: 'jpki' | 'foreign-ca';
  /** The signature certificate's password (6–16 of A–Z and 0–9). */
  signPin?: string;
  signTriesLeft?: number;
}

/** A sample person at the kiosk: a card (assets/personas.json) and the resident it belongs to, if any. */
export interface Persona {
  id: string;
  label: string;
  card: PersonaCard;
  resident: string | null;
}
