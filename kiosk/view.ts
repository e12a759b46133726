// What a screen shows, derived from the machine snapshot alone: the UI, the operator panel and journey reports
// read this and nothing else. It holds no PIN because the machine never had one. `homeCity()` at the end is the one
// static part: the kiosk's own municipality, sent once in the server's hello.
import type { SnapshotFrom } from 'xstate';
import { due, screenOf, type ScreenMeta, type kioskMachine } from '../machine/kiosk-machine.ts';
import { BACKABLE, CANCELLABLE, TOTAL_STEPS } from '../machine/screens.ts';
import { maxCopies, offeredInfo, taxKindsOffered, taxYearsOffered, unavailability } from '../machine/rules/catalog.ts';
import { renewalOpensOn } from '../machine/rules/card-life.ts';
import { TOKENS } from '../machine/rules/eligibility.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import { CERTIFICATES, type Certificate, type Municipality, type PinReset, type Screen, type Unavailability } from '../machine/types.ts';

export interface CertificateChoice {
  id: Certificate;
  fee: number | null;
  /** The same certificate's fee at the city's counter (the kiosk's is usually lower). */
  counterFee: number | null;
  unavailable: Unavailability | null;
}

export function certificateChoices(s: SnapshotFrom<typeof kioskMachine>): CertificateChoice[] {
  const c = s.context;
  if (!c.city || !c.holder || !c.now) return [];
  return CERTIFICATES.map((id) => ({
    id,
    fee: c.city!.certificates[id]?.fee ?? null,
    counterFee: c.city!.certificates[id]?.counterFee ?? null,
    unavailable: unavailability(id, c.city!, c.holder!, c.scope ?? 'residence', c.now!),
  }));
}

export function viewOf(s: SnapshotFrom<typeof kioskMachine>) {
  const c = s.context;
  const screen: Screen = screenOf(s.value);
  const step = typeof s.value === 'string' ? null : Object.values(s.value as Record<string, string>)[0];
  // What the machine declares of this screen: its step of the flow, and whether Back and Cancel are offered.
  const meta = (s.getMeta() as Record<string, ScreenMeta | undefined>)[`kiosk.${screen}`];
  return {
    screen,
    step,
    stepNumber: meta?.step ?? null,
    totalSteps: TOTAL_STEPS,
    canBack: s.hasTag(BACKABLE),
    canCancel: s.hasTag(CANCELLABLE),
    language: c.language,
    medium: c.medium,
    warning: c.warning,
    notice: c.notice,
    reason: c.reason,
    triesLeft: c.triesLeft,
    // A snapshot persisted before this existed has none: no wrong PIN is said.
    pinWrong: !!c.pinWrong,
    cardPlaced: !!c.cardPlaced,
    /** The person's card is still on the reader: an end screen asks for it (a snapshot from before has none). */
    cardOnReader: !!c.cardOnReader,
    holder: c.holder ? { name: c.holder.name, foreign: c.holder.foreign, household: c.holder.household, familyRegister: c.holder.familyRegister } : null,
    city: c.city ? { code: c.city.code, name: c.city.name, printsMyNumber: c.city.printsMyNumber, maxCopies: maxCopies(c.city) } : null,
    scope: c.scope,
    certificates: certificateChoices(s),
    taxYears: c.city && c.now ? taxYearsOffered(c.city, c.now) : [],
    /** The tax certificates the city issues, in its order (type-select asks which where there is more than one). */
    taxKinds: c.city ? taxKindsOffered(c.city) : [],
    request: { certificate: c.certificate, subtype: c.subtype, options: c.options, copies: c.copies },
    /** The information items the chosen certificate offers this person (machine/rules/catalog.ts). */
    offeredInfo: offeredInfo(c.certificate, c.city, !!c.holder?.foreign),
    due: due(c),
    inserted: c.inserted,
    refunded: c.refunded,
    printed: c.printed,
    payout: c.payout,
    renewal: renewalOf(c.card?.certificate?.notAfter ?? null, c.now),
    /** What the person came for (certificates, or the 本籍地's 利用登録), and the registration's answer. */
    // A snapshot persisted before the registration service existed has neither: it was a certificate session.
    service: c.service ?? 'certificates',
    registeredFrom: c.registeredFrom ? japanTime(c.registeredFrom).date : null,
    /** A PIN reset at the kiosk: which PIN, and whether the new one's two entries just differed. */
    reset: c.service === 'pin-reset' ? { pin: c.resetPin ?? null, mismatch: !!c.resetMismatch, offered: c.resettablePins ?? ['auth', 'sign'] } : null,
    /** A card that is not a My Number Card, by what it is: an old 住基カード (its token), or anything else. */
    unsupportedCard: c.reason === 'unsupported-card' ? (c.card?.token === TOKENS.jukiCard ? 'juki-card' as const : 'other' as const) : null,
  };
}

/**
 * The card's certificate expires within its renewal window (3 months, card-life.md §6.2): the Japan date it expires,
 * which the screen after the PIN tells the person (renewed at the office), or null.
 */
export function renewalOf(notAfter: string | null, now: string | null): { expiresOn: string } | null {
  if (!notAfter || !now) return null;
  const today = japanTime(now).date;
  return today >= renewalOpensOn(notAfter) && Date.parse(now) < Date.parse(notAfter) ? { expiresOn: japanTime(notAfter).date } : null;
}

export type KioskView = ReturnType<typeof viewOf>;

/** The municipality the kiosk stands in (川崎市 unless the server is told otherwise). */
export const DEFAULT_HOME_CITY = '141305';

/** Static facts about the kiosk's home municipality, sent once in the server's hello: what a screen says before
 *  anyone is authenticated, such as where a locked PIN is reset (the holder's own city is not known then). */
export interface HomeCity {
  code: string;
  name: string;
  prefecture: string;
  pinReset: PinReset | null;
}

export class UnknownHomeCityError extends Error {
  constructor(code: string, known: string[]) {
    super(`No municipality "${code}" for the kiosk's home city. Known: ${known.join(', ')}`);
    this.name = 'UnknownHomeCityError';
  }
}

export function homeCity(municipalities: Municipality[], code: string = DEFAULT_HOME_CITY): HomeCity {
  const m = municipalities.find((x) => x.code === code);
  if (!m) throw new UnknownHomeCityError(code, municipalities.map((x) => x.code));
  return { code: m.code, name: m.name, prefecture: m.prefecture, pinReset: m.pinReset ?? null };
}
