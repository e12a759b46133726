// Pure facts about the flow that every screen needs: the step number in the header, where Back and Cancel are
// offered, which information items a certificate can print, and what a notice means. They mirror what the machine
// accepts (machine/kiosk-machine.ts) so the screen never offers a tap the machine would ignore.
import { hasInfoChoice, hasTypeChoice } from '../../machine/rules/catalog.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import type { CancelReason, Certificate, InfoOptions, OutOfServiceReason, PrintFailure, RefusalReason, Screen } from '../../machine/types.ts';
import type { KioskView } from '../view.ts';
import { INFO_KEYS, type CashRejection, type Message, type OtherService, type Strings } from './i18n.ts';

/** The 14 steps of the spec, in order: a screen's step number is its index + 1. */
export const STEP_SCREENS = [
  'top', 'government-menu', 'advanced-menu', 'card-reading', 'city-select', 'pin-entry', 'card-removal',
  'certificate-select', 'type-select', 'info-select', 'copies', 'confirm', 'payment', 'printing',
] as const satisfies readonly Screen[];

export const TOTAL_STEPS = STEP_SCREENS.length;

/** The screens that end a session (no step number; a button back to the main menu). */
export const END_SCREENS = ['refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled'] as const satisfies readonly Screen[];

/** 1–14 for the steps, null for the end screens. */
export function stepNumber(screen: Screen): number | null {
  const i = (STEP_SCREENS as readonly Screen[]).indexOf(screen);
  return i < 0 ? null : i + 1;
}

export function isEndScreen(screen: Screen): boolean {
  return (END_SCREENS as readonly Screen[]).includes(screen);
}

type FlowView = Pick<KioskView, 'screen' | 'step'>;

const BACK_SCREENS: readonly Screen[] = [
  'government-menu', 'advanced-menu', 'card-reading', 'type-select', 'info-select', 'copies', 'confirm',
];

/** Back is offered exactly where the machine accepts ui.back (on pin-entry only while the PIN is being typed). */
export function canGoBack(v: FlowView): boolean {
  if (v.screen === 'pin-entry') return v.step === 'entering';
  return BACK_SCREENS.includes(v.screen);
}

/** Cancel is offered from step 2 until payment completes; not while inserted cash is being refunded. */
export function canCancel(v: FlowView): boolean {
  const n = stepNumber(v.screen);
  if (n === null || n < 2 || n > 13) return false;
  return !(v.screen === 'payment' && v.step === 'refunding');
}

/** The language can be switched on every screen from step 2 on (the main menu belongs to the copy machine). */
export function showsLanguageBar(screen: Screen): boolean {
  return screen !== 'top';
}

/** On card-removal the warning is the "take your card" reminder, shown on the screen itself, not as an overlay. */
export function showsTimeoutWarning(v: Pick<KioskView, 'screen' | 'warning'>): boolean {
  return v.warning && v.screen !== 'card-removal';
}

export { hasInfoChoice, hasTypeChoice };

/**
 * The information items a person may choose for a certificate. 住民票コード is never offered. 個人番号 only where the
 * city prints it; the foreign-resident items only for foreign residents (who have no 本籍 on a 住民票).
 */
export function offeredInfo(certificate: Certificate | null, city: { printsMyNumber: boolean } | null, foreign: boolean): Array<keyof InfoOptions> {
  if (certificate === 'fuhyo') return ['domicile'];
  if (certificate !== 'juminhyo' && certificate !== 'kisai') return [];
  return INFO_KEYS.filter((k) => {
    switch (k) {
      case 'householdHead': return true;
      case 'domicile': return !foreign;
      case 'myNumber': return !!city?.printsMyNumber;
      default: return foreign;
    }
  });
}

/** Every option false: the starting point of info-select when nothing was chosen yet (print the least). */
export const NO_INFO: InfoOptions = {
  householdHead: false, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false,
};

/** The options sent with ui.selectInfo: all six booleans, anything not offered forced to false. */
export function infoToSend(chosen: InfoOptions, offered: ReadonlyArray<keyof InfoOptions>): InfoOptions {
  const out = { ...NO_INFO };
  for (const k of offered) out[k] = !!chosen[k];
  return out;
}

export type Notice =
  | { kind: 'not-simulated'; service: OtherService }
  | { kind: 'cash-rejected'; reason: CashRejection }
  | { kind: 'other'; text: string };

/** The machine's passing notices are `kind:detail` strings. */
export function parseNotice(notice: string | null | undefined): Notice | null {
  if (!notice) return null;
  const [kind, detail] = notice.split(':', 2);
  if (kind === 'not-simulated' && (detail === 'copy' || detail === 'print' || detail === 'photo')) return { kind, service: detail };
  if (kind === 'cash-rejected' && (detail === 'change-unavailable' || detail === 'not-accepted')) return { kind, reason: detail };
  return { kind: 'other', text: notice };
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
export function screenTitle(v: Pick<KioskView, 'screen' | 'step' | 'medium' | 'request'>, t: Strings): string {
  switch (v.screen) {
    case 'top': return t.topTitle;
    case 'government-menu': return t.governmentTitle;
    case 'advanced-menu': return t.mediumTitle;
    case 'card-reading': return v.medium === 'phone' ? t.readPhoneTitle : t.readCardTitle;
    case 'city-select': return t.cityTitle;
    case 'pin-entry': return v.step === 'verifying' ? t.verifying : v.step === 'authenticating' ? t.authenticating : t.pinTitle;
    case 'card-removal': return t.removeTitle;
    case 'certificate-select': return t.certificateTitle;
    case 'type-select': return v.request.certificate === 'kazei' ? t.chooseYear : v.request.certificate === 'fuhyo' ? t.choosePerson : t.typeTitle;
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
  }
}

/** What an end screen says happened (the reason's message), or null. */
export function endMessage(v: Pick<KioskView, 'screen' | 'reason'>, t: Strings): Message | null {
  const r = v.reason;
  if (!r) return v.screen === 'cancelled' ? t.cancelled.cancelled : null;
  switch (v.screen) {
    case 'refused': return r in t.refusal ? t.refusal[r as RefusalReason] : null;
    case 'out-of-service': return r in t.outOfService ? t.outOfService[r as OutOfServiceReason] : null;
    case 'print-failed': return r in t.printFailure ? t.printFailure[r as PrintFailure] : null;
    case 'cancelled': return r in t.cancelled ? t.cancelled[r as CancelReason] : t.cancelled.cancelled;
    case 'pin-locked': return { title: t.pinLockedText, action: t.resetWhere };
    default: return null;
  }
}

/**
 * What the screen reader hears when the screen changes (the live region's text): the step and the screen's heading,
 * and on an end screen what happened. It changes with every screen and sub-step, so each change is announced.
 */
export function announcement(v: Pick<KioskView, 'screen' | 'step' | 'medium' | 'request' | 'reason'>, t: Strings): string {
  const n = stepNumber(v.screen);
  const title = screenTitle(v, t);
  if (n !== null) return `${t.step(n, TOTAL_STEPS)}: ${title}`;
  const m = endMessage(v, t);
  return m ? `${title}: ${m.title}` : title;
}
