// Small pure helpers the screens share: where the language bar and the timeout overlay show, the options sent with
// ui.selectInfo, the header clock, the titles. What the flow offers (steps, Back, Cancel, the information items, the
// refunded yen) the machine declares and the view carries: nothing here re-decides it.
import { hasInfoChoice, hasTypeChoice } from '../../machine/rules/catalog.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import { INFO_KEYS, type CancelReason, type InfoOptions, type OutOfServiceReason, type PrintFailure, type RefusalReason, type Screen } from '../../machine/types.ts';
import type { KioskView } from '../view.ts';
import type { Message, Strings } from './i18n/index.ts';

/** The language can be switched on every screen from step 2 on (the main menu belongs to the copy machine). */
export function showsLanguageBar(screen: Screen): boolean {
  return screen !== 'top';
}

/** On card-removal the warning is the "take your card" reminder, shown on the screen itself, not as an overlay. */
export function showsTimeoutWarning(v: Pick<KioskView, 'screen' | 'warning'>): boolean {
  return v.warning && v.screen !== 'card-removal';
}

export { hasInfoChoice, hasTypeChoice };

/** Every option false: the starting point of info-select when nothing was chosen yet (print the least). */
export const NO_INFO: InfoOptions = Object.fromEntries(INFO_KEYS.map((k) => [k, false])) as unknown as InfoOptions;

/** The options sent with ui.selectInfo: all six booleans, anything not offered forced to false. */
export function infoToSend(chosen: InfoOptions, offered: ReadonlyArray<keyof InfoOptions>): InfoOptions {
  const out = { ...NO_INFO };
  for (const k of offered) out[k] = !!chosen[k];
  return out;
}

/** Copies stay within 1 and the city's maximum. */
export function clampCopies(n: number, max: number): number {
  return Math.max(1, Math.min(Math.max(1, max), Math.round(n)));
}

/** "HH:MM" Japan time of an ISO instant, for the header clock; '' when unreadable. */
export function clockText(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const t = japanTime(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.date} ${pad(t.hour)}:${pad(t.minute)}`;
}

/** The headings of the screens and their sub-steps: the catalog keys screenTitleKey chooses from (and the voice speaks). */
export const TITLE_KEYS = [
  'topTitle', 'governmentTitle', 'mediumTitle', 'readPhoneTitle', 'readCardTitle', 'cityTitle', 'verifying', 'authenticating',
  'pinTitle', 'removeTitlePhone', 'removeTitle', 'certificateTitle', 'chooseTaxKind', 'chooseYear', 'choosePerson', 'typeTitle',
  'infoTitle', 'copiesTitle', 'confirmTitle', 'refunding', 'paymentTitle', 'collectTitle', 'payingOut', 'printingTitle',
  'refusedTitle', 'pinLockedTitle', 'outOfServiceTitle', 'printFailedTitle', 'cancelledTitle', 'registering',
  'domicileRegistration', 'resetting', 'resetTitle',
] as const satisfies ReadonlyArray<keyof Strings>;
export type TitleKey = (typeof TITLE_KEYS)[number];

type TitleView = Pick<KioskView, 'screen' | 'step' | 'medium' | 'request'> & Partial<Pick<KioskView, 'taxKinds'>>;

/** Which heading a screen shows (for its current sub-step). */
export function screenTitleKey(v: TitleView): TitleKey {
  switch (v.screen) {
    case 'top': return 'topTitle';
    case 'government-menu': return 'governmentTitle';
    case 'advanced-menu': return 'mediumTitle';
    case 'card-reading': return v.medium === 'phone' ? 'readPhoneTitle' : 'readCardTitle';
    case 'city-select': return 'cityTitle';
    case 'pin-entry': return v.step === 'verifying' ? 'verifying' : v.step === 'authenticating' ? 'authenticating' : 'pinTitle';
    case 'card-removal':
    case 'take-card': return v.medium === 'phone' ? 'removeTitlePhone' : 'removeTitle';
    case 'certificate-select': return 'certificateTitle';
    case 'type-select': return v.request.certificate === 'kazei' ? ((v.taxKinds?.length ?? 0) > 1 ? 'chooseTaxKind' : 'chooseYear') : v.request.certificate === 'fuhyo' ? 'choosePerson' : 'typeTitle';
    case 'info-select': return 'infoTitle';
    case 'copies': return 'copiesTitle';
    case 'confirm': return 'confirmTitle';
    case 'payment': return v.step === 'refunding' ? 'refunding' : 'paymentTitle';
    case 'printing': return v.step === 'collect' ? 'collectTitle' : v.step === 'payingOut' ? 'payingOut' : 'printingTitle';
    case 'refused': return 'refusedTitle';
    case 'pin-locked': return 'pinLockedTitle';
    case 'out-of-service': return 'outOfServiceTitle';
    case 'print-failed': return 'printFailedTitle';
    case 'cancelled': return 'cancelledTitle';
    case 'registered': return v.step === 'sending' ? 'registering' : 'domicileRegistration';
    case 'pin-reset': return v.step === 'resetting' ? 'resetting' : v.step === 'checking' ? 'verifying' : 'resetTitle';
  }
}

/** The heading a screen shows (for its current sub-step), as the screen components word it. */
export function screenTitle(v: TitleView, t: Strings): string {
  return t[screenTitleKey(v)];
}

/**
 * Where an end screen's words are in the catalog: a dotted path (`refusal.no-card.action`). The message's action
 * can be two parts said one after the other (no card: and the paper card cannot be read).
 */
export interface EndParts {
  title: string;
  action: string[];
}

type EndView = Pick<KioskView, 'screen' | 'reason'> & Partial<Pick<KioskView, 'refunded' | 'unsupportedCard'>>;

/** What an end screen says happened, as catalog paths; null when it says nothing beyond its heading. */
export function endParts(v: EndView, t: Strings): EndParts | null {
  const r = v.reason;
  const of = (group: string, key: string): EndParts => ({ title: `${group}.${key}.title`, action: [`${group}.${key}.action`] });
  if (v.screen === 'cancelled') {
    const m = of('cancelled', r && r in t.cancelled ? r : 'cancelled');
    // Nothing was inserted: the message says nothing of money returned.
    return v.refunded === 0 && r !== 'timeout' ? { ...m, action: ['cancelledNoMoney'] } : m;
  }
  if (!r) return null;
  switch (v.screen) {
    case 'refused': {
      if (!(r in t.refusal)) return null;
      const m = of('refusal', r);
      // The kiosk's own words, with what to do for the card that was placed (or that paper cannot be read).
      if (r === 'unsupported-card' && v.unsupportedCard) return { ...m, action: [`unsupportedCard.${v.unsupportedCard}`] };
      if (r === 'no-card') return { ...m, action: [...m.action, 'paperCard'] };
      return m;
    }
    case 'out-of-service': return r in t.outOfService ? of('outOfService', r) : null;
    case 'print-failed': return r in t.printFailure ? of('printFailure', r) : null;
    case 'pin-locked': return { title: 'pinLockedText', action: ['resetWhere'] };
    default: return null;
  }
}

/** A catalog's words at a dotted path (only strings: a path to anything else is a bug, and throws). */
export function wordsAt(t: Strings, path: string): string {
  let at: unknown = t;
  for (const k of path.split('.')) at = (at as Record<string, unknown> | undefined)?.[k];
  if (typeof at !== 'string') throw new Error(`no words at ${path}`);
  return at;
}

/** Parts of a sentence said in a row: a space between them, none after a Japanese or Chinese full stop. */
export function joinParts(parts: readonly string[]): string {
  return parts.reduce((all, p) => (all ? `${all}${/[。．]$/.test(all) ? '' : ' '}${p}` : p), '');
}

/** What an end screen says happened (the reason's message), or null. */
export function endMessage(v: EndView, t: Strings): Message | null {
  const parts = endParts(v, t);
  return parts && { title: wordsAt(t, parts.title), action: joinParts(parts.action.map((p) => wordsAt(t, p))) };
}

/**
 * What the screen reader hears when the screen changes (the live region's text): the step and the screen's heading,
 * and on an end screen what happened. It changes with every screen and sub-step, so each change is announced.
 */
export function announcement(v: Pick<KioskView, 'screen' | 'step' | 'stepNumber' | 'totalSteps' | 'medium' | 'request' | 'reason'> & Partial<Pick<KioskView, 'taxKinds'>>, t: Strings): string {
  const n = v.stepNumber;
  const title = screenTitle(v, t);
  if (n !== null) return `${t.step(n, v.totalSteps)}: ${title}`;
  const m = endMessage(v, t);
  return m ? `${title}: ${m.title}` : title;
}
