import { INFO_KEYS, type Certificate, type TaxKind, type Holder, type InfoKey, type InfoOptions, type Municipality, type Scope, type Subtype, type Unavailability } from '../types.ts';
import { withinHours } from './hours.ts';
import { japanTime } from './japan-time.ts';

export const DEFAULT_MAX_COPIES = 10;

/** Family-register certificates come from the 本籍地; the rest from the residence city. */
const FAMILY_REGISTER: readonly Certificate[] = ['koseki', 'fuhyo'];

/** Which certificates have a sub-type screen (step 9) and an information screen (step 10). */
export function hasTypeChoice(c: Certificate): boolean {
  return c !== 'inkan';
}
/**
 * The sub-type a certificate takes: 住民票記載事項証明書 is chosen like 住民票 (household, self or members). A tax
 * certificate's kind, when named, must be one the city issues (the city is left out only where none is known yet).
 */
export function subtypeFits(c: Certificate, subtype: Subtype, city?: Pick<Municipality, 'taxKinds'> | null): boolean {
  if (subtype.kind !== (c === 'kisai' ? 'juminhyo' : c)) return false;
  if (subtype.kind === 'kazei' && subtype.taxKind !== undefined && city) return taxKindsOffered(city).includes(subtype.taxKind);
  return true;
}

/** The tax certificates a city issues, in its screen's order; a city that does not say issues the 課税（非課税）証明書. */
export function taxKindsOffered(city: Pick<Municipality, 'taxKinds'>): TaxKind[] {
  return city.taxKinds?.length ? [...city.taxKinds] : ['kazei'];
}

/** Whether type-select asks which tax certificate (it does when the city issues more than one). */
export function hasTaxKindChoice(city: Pick<Municipality, 'taxKinds'> | null): boolean {
  return !!city && taxKindsOffered(city).length > 1;
}

/** The tax certificate a sub-type asks for: the one it names, or the city's first. */
export function taxKindOf(subtype: Subtype | null, city: Pick<Municipality, 'taxKinds'>): TaxKind {
  return subtype?.kind === 'kazei' && subtype.taxKind ? subtype.taxKind : taxKindsOffered(city)[0];
}

export function hasInfoChoice(c: Certificate): boolean {
  return c === 'juminhyo' || c === 'kisai' || c === 'fuhyo';
}

/**
 * The information items a person may choose for a certificate, in the screen's order. 住民票コード is never offered;
 * 個人番号 only where the city prints it; the foreign-resident items only for foreign residents (who have no 本籍 on a
 * 住民票). The machine's guard, the screen and the center's check all ask this one function.
 */
export function offeredInfo(c: Certificate | null, city: Pick<Municipality, 'printsMyNumber'> | null, foreign: boolean): InfoKey[] {
  if (c === 'fuhyo') return ['domicile'];
  if (c !== 'juminhyo' && c !== 'kisai') return [];
  return INFO_KEYS.filter((k) => {
    switch (k) {
      case 'householdHead': return true;
      case 'domicile': return !foreign;
      case 'myNumber': return !!city?.printsMyNumber;
      default: return foreign;
    }
  });
}

/** The first item asked for that the certificate does not offer this person, or null when every one is offered. */
export function infoNotOffered(c: Certificate, options: InfoOptions, city: Pick<Municipality, 'printsMyNumber'>, foreign: boolean): InfoKey | null {
  const offered = offeredInfo(c, city, foreign);
  return INFO_KEYS.find((k) => options[k] && !offered.includes(k)) ?? null;
}

/**
 * The fiscal years (年度) offered, latest first. The new year's tax data arrives in June, so until the end of May
 * the latest year offered is the previous one.
 */
export function taxYearsOffered(city: Municipality, at: string): number[] {
  const t = japanTime(at);
  const latest = t.month >= 6 ? t.year : t.year - 1;
  return Array.from({ length: Math.max(0, city.taxYears) }, (_, i) => latest - i);
}

/** Why a certificate cannot be chosen, or null when it can. The order is the order of the on-screen reason. */
export function unavailability(
  c: Certificate, city: Municipality, holder: Holder, scope: Scope, at: string,
): Unavailability | null {
  const family = FAMILY_REGISTER.includes(c);
  // The residence city also issues family-register certificates when the 本籍 is in the same city.
  if (scope === 'domicile' && !family) return 'residence-only';
  if (scope === 'residence' && family && holder.domicileCity !== city.code) return 'domicile-only';
  const offer = city.certificates[c];
  if (!offer) return 'not-offered';
  if (offer.hours && !withinHours(offer.hours, at, city.holidays)) return 'outside-hours';
  if (c === 'inkan' && !holder.sealRegistered) return 'no-seal';
  if (c === 'kazei' && !taxYearsOffered(city, at).some((y) => holder.taxYears.includes(y))) return 'no-tax-data';
  return null;
}

export function unitFee(c: Certificate, city: Municipality): number {
  const offer = city.certificates[c];
  if (!offer) throw new RangeError(`${city.name} does not offer ${c}`);
  return offer.fee;
}

export function maxCopies(city: Municipality): number {
  return city.maxCopies > 0 ? city.maxCopies : DEFAULT_MAX_COPIES;
}

export function copiesAllowed(copies: number, city: Municipality): boolean {
  return Number.isInteger(copies) && copies >= 1 && copies <= maxCopies(city);
}
