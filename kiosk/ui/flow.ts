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

/** The heading a screen shows (for its current sub-step), as the screen components word it. */
export function screenTitle(v: Pick<KioskView, 'screen' | 'step' | 'medium' | 'request'> & Partial<Pick<KioskView, 'taxKinds'>>, t: Strings): string {
  switch (v.screen) {
    case 'top': return t.topTitle;
    case 'government-menu': return t.governmentTitle;
    case 'advanced-menu': return t.mediumTitle;
    case 'card-reading': return v.medium === 'phone' ? t.readPhoneTitle : t.readCardTitle;
    case 'city-select': return t.cityTitle;
    case 'pin-entry': return v.step === 'verifying' ? t.verifying : v.step === 'authenticating' ? t.authenticating : t.pinTitle;
    case 'card-removal':
    case 'take-card': return v.medium === 'phone' ? t.removeTitlePhone : t.removeTitle;
    case 'certificate-select': return t.certificateTitle;
    case 'type-select': return v.request.certificate === 'kazei' ? ((v.taxKinds?.length ?? 0) > 1 ? t.chooseTaxKind : t.chooseYear) : v.request.certificate === 'fuhyo' ? t.choosePerson : t.typeTitle;
    case 'info-select': return t.infoTitle;
    case 'copies': return t.copiesTitle;
    case 'confirm': return t.confirmTitle;
    case 'payment': return v.step === 'refunding' ? t.refunding : t.paymentTitle;
    case 'printing': return v.step === 'collect' ? t.collectTitle : v.step === 'payingOut' ? t.payingOut : t.printingTitle;
    case 'refused': return t.refusedTitle;
    case 'pin-locked': return t.pinLockedTitle;
    case 'out-of-service': return t.outOfServiceTitle;
    case 'print-failed': return t.printFailedTitle;
    case 'cancelled': return t.cancelledTitle;
    case 'registered': return v.step === 'sending' ? t.registering : t.domicileRegistration;
    case 'pin-reset': return v.step === 'resetting' ? t.resetting : v.step === 'checking' ? t.verifying : t.resetTitle;
  }
}

/** What an end screen says happened (the reason's message), or null. */
export function endMessage(v: Pick<KioskView, 'screen' | 'reason'> & Partial<Pick<KioskView, 'refunded' | 'unsupportedCard'>>, t: Strings): Message | null {
  const r = v.reason;
  if (v.screen === 'cancelled') {
    const m = r && r in t.cancelled ? t.cancelled[r as CancelReason] : t.cancelled.cancelled;
    // Nothing was inserted: the message says nothing of money returned.
    return v.refunded === 0 && r !== 'timeout' ? { ...m, action: t.cancelledNoMoney } : m;
  }
  if (!r) return null;
  switch (v.screen) {
    case 'refused': {
      if (!(r in t.refusal)) return null;
      const m = t.refusal[r as RefusalReason];
      // The kiosk's own words, with what to do for the card that was placed (or that paper cannot be read).
      if (r === 'unsupported-card' && v.unsupportedCard) return { ...m, action: t.unsupportedCard[v.unsupportedCard] };
      if (r === 'no-card') return { ...m, action: `${m.action}${/[。．]$/.test(m.action) ? '' : ' '}${t.paperCard}` };
      return m;
    }
    case 'out-of-service': return r in t.outOfService ? t.outOfService[r as OutOfServiceReason] : null;
    case 'print-failed': return r in t.printFailure ? t.printFailure[r as PrintFailure] : null;
    case 'pin-locked': return { title: t.pinLockedText, action: t.resetWhere };
    default: return null;
  }
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
