// The center's resident register, loaded from the sample personas (assets/personas.json). TEST DATA only.
import { createHash } from 'node:crypto';
import type { Holder, Person } from '../machine/types.ts';

export interface Member {
  id: string;
  name: string;
  kana?: string;
  birthDate: string;
  sex?: string;
  relationship: string;
}

/** A resident as the registers hold them: the machine's Holder facts plus what is printed. */
export interface ResidentRecord {
  id: string;
  name: string;
  kana?: string;
  birthDate: string;
  sex?: string;
  address: string;
  residenceCity: string;
  domicileCity?: string | null;
  domicileRegistered?: boolean;
  domicileAddress?: string;
  foreign?: boolean;
  nationality?: string;
  residenceStatus?: string;
  residenceCardNumber?: string;
  myNumber?: string;
  adultWard?: boolean;
  movedOut?: boolean;
  supportMeasure?: boolean;
  sealRegistered?: boolean;
  taxYears?: number[];
  income?: number;
  household?: Member[];
  familyRegister?: Member[];
}

export interface PersonaCard {
  kind: 'my-number-card' | 'juki-card' | 'smartphone' | 'city-card';
  pin?: string;
  triesLeft?: number;
  issuedDaysAgo?: number;
  validDays?: number;
  revoked?: boolean;
  /** The signature certificate's password (6–16 of A–Z and 0–9). */
  signPin?: string;
  signTriesLeft?: number;
}

export interface Persona {
  id: string;
  label: string;
  card: PersonaCard;
  resident: Omit<ResidentRecord, 'id'> | null;
}

/** The certificate serial of a persona's card: derived from its id, so the card and the center agree. */
export function serialFor(personaId: string): bigint {
  const h = createHash('sha256').update(`jpki-test:${personaId}`).digest();
  h[0] &= 0x7f; // a positive INTEGER
  h[0] |= 0x10; // and never a short one
  return BigInt('0x' + h.subarray(0, 8).toString('hex'));
}

/**
 * A test My Number for a persona without one in its record: 11 digits from its id and the official check digit
 * (so that software validating the number accepts it). TEST DATA.
 */
export function myNumberFor(personaId: string): string {
  const h = createHash('sha256').update(`my-number-test:${personaId}`).digest();
  const body = Array.from(h.subarray(0, 11), (b) => b % 10);
  const sum = body.reduce((acc, digit, i) => {
    const n = 11 - i; // position from the right, 1..11
    return acc + digit * (n <= 6 ? n + 1 : n - 5);
  }, 0);
  const r = sum % 11;
  return body.join('') + String(r <= 1 ? 0 : 11 - r);
}

export function residentOf(p: Persona): ResidentRecord | null {
  return p.resident ? { id: p.id, ...p.resident } : null;
}

const self = (r: ResidentRecord): Member => ({
  id: r.id, name: r.name, kana: r.kana, birthDate: r.birthDate, sex: r.sex, relationship: '世帯主',
});

export function householdOf(r: ResidentRecord): Member[] {
  return r.household?.length ? r.household : [self(r)];
}

export function familyRegisterOf(r: ResidentRecord): Member[] {
  return r.familyRegister?.length ? r.familyRegister : householdOf(r).map((m, i) => ({ ...m, relationship: i === 0 ? '筆頭者' : m.relationship }));
}

const person = (m: Member): Person => ({ id: m.id, name: m.name, relationship: m.relationship });

/** The facts the machine's rules decide on; nothing more leaves the center before issuance. */
export function holderFacts(r: ResidentRecord): Holder {
  return {
    id: r.id,
    name: r.name,
    birthDate: r.birthDate,
    foreign: !!r.foreign,
    adultWard: !!r.adultWard,
    movedOut: !!r.movedOut,
    supportMeasure: !!r.supportMeasure,
    residenceCity: r.residenceCity,
    domicileCity: r.domicileCity ?? null,
    domicileRegistered: !!r.domicileRegistered,
    sealRegistered: !!r.sealRegistered,
    taxYears: r.taxYears ?? [],
    household: householdOf(r).map(person),
    familyRegister: r.domicileCity ? familyRegisterOf(r).map(person) : [],
  };
}
