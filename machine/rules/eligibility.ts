import type { CardSummary, Holder, Medium, Municipality, RefusalReason, Scope } from '../types.ts';
import { japanTime } from './japan-time.ts';

/** Token EF 0006 values (spec/my-number-card.md §2.1). */
export const TOKENS = {
  myNumberCard: 'JPKIAPICCTOKEN2',
  jukiCard: 'JPKIAPICCTOKEN',
  smartphone: 'JPKIAPGPSETOKEN',
} as const;

/** Which token each medium accepts: the old 住基カード and cards without JPKI are never accepted. */
export function acceptsToken(medium: Medium, token: string | null): boolean {
  return medium === 'card' ? token === TOKENS.myNumberCard : token === TOKENS.smartphone;
}

/** A card that cannot be used, judged before the PIN: type, then certificate validity against Japan dates. */
export function cardProblem(card: CardSummary, medium: Medium, at: string): RefusalReason | null {
  if (!acceptsToken(medium, card.token) || !card.certificate) return 'unsupported-card';
  const now = Date.parse(at);
  if (now >= Date.parse(card.certificate.notAfter)) return 'certificate-expired';
  // A card issued (or a PIN changed) today is usable from tomorrow: the certificate's first Japan day must be past.
  if (japanTime(card.certificate.notBefore).date >= japanTime(at).date) return 'certificate-not-yet-valid';
  return null;
}

export function ageOn(birthDate: string, at: string): number {
  const t = japanTime(at);
  const [y, m, d] = birthDate.split('-').map(Number);
  return t.year - y - (t.month < m || (t.month === m && t.day < d) ? 1 : 0);
}

/** Who cannot use the service at all, in the order a counter clerk would check. */
export function holderProblem(holder: Holder, at: string): RefusalReason | null {
  if (ageOn(holder.birthDate, at) < 15) return 'under-15';
  if (holder.adultWard) return 'adult-ward';
  if (holder.movedOut) return 'moved-out';
  if (holder.supportMeasure) return 'support-measure';
  return null;
}

/** Whether the chosen city can serve this holder in this scope. */
export function cityProblem(city: Municipality, holder: Holder, scope: Scope): RefusalReason | null {
  if (!city.participating) return 'city-not-participating';
  if (scope === 'residence' && holder.residenceCity !== city.code) return 'not-registered';
  if (scope === 'domicile') {
    if (holder.domicileCity !== city.code) return 'domicile-not-registered';
    if (holder.domicileCity !== holder.residenceCity && !holder.domicileRegistered) return 'domicile-not-registered';
  }
  return null;
}

/**
 * Whether this holder may register `city` as their 本籍地 for 戸籍 at the kiosk (戸籍証明書交付の利用登録): the
 * holder's own problems, a city that does not take part, a city that is not their 本籍地, or their own city.
 */
export function registrationProblem(city: Municipality, holder: Holder, at: string): RefusalReason | null {
  return holderProblem(holder, at)
    ?? (!city.participating ? 'city-not-participating' : null)
    ?? (holder.domicileCity !== city.code ? 'domicile-not-registered' : null)
    ?? (holder.domicileCity === holder.residenceCity ? 'registration-not-needed' : null);
}
