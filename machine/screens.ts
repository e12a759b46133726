// What the machine declares of each screen, as plain data: its idle timeout, its step of the 14-step flow, and
// whether Back and Cancel are offered (on the whole screen, or on some of its sub-states only). The machine builds
// its states' `meta` and tags from this table; the view reads them from the snapshot; the UI's demo route (which has
// no machine) reads the table. Nobody else decides where Back and Cancel go.
import type { Screen } from './types.ts';

export interface ScreenDeclaration {
  /** Idle seconds before the timeout warning (the runtime arms it from the state's meta). */
  timeout: number;
  /** 1-14 for the steps of the flow; none for the screens that end a session. */
  step?: number;
  /** Back is offered: on the whole screen (true) or on these sub-states. */
  back?: true | readonly string[];
  /** Cancel is offered: on the whole screen (true) or on these sub-states. */
  cancel?: true | readonly string[];
}

export const TOTAL_STEPS = 14;
const END = { timeout: 30 } as const;

export const SCREEN_DECLARATIONS: Record<Screen, ScreenDeclaration> = {
  top: { timeout: 120, step: 1 },
  'government-menu': { timeout: 60, step: 2, back: true, cancel: true },
  'advanced-menu': { timeout: 90, step: 3, back: true, cancel: true },
  'card-reading': { timeout: 60, step: 4, back: true, cancel: true },
  'city-select': { timeout: 60, step: 5, cancel: true },
  // Back only while the PIN is typed: not while the card checks it or the center authenticates.
  'pin-entry': { timeout: 60, step: 6, back: ['entering'], cancel: true },
  'card-removal': { timeout: 20, step: 7, cancel: true },
  'certificate-select': { timeout: 90, step: 8, cancel: true },
  'type-select': { timeout: 90, step: 9, back: true, cancel: true },
  'info-select': { timeout: 90, step: 10, back: true, cancel: true },
  copies: { timeout: 90, step: 11, back: true, cancel: true },
  confirm: { timeout: 90, step: 12, back: true, cancel: true },
  // Not while the inserted cash is being handed back.
  payment: { timeout: 120, step: 13, cancel: ['accepting'] },
  // Paid: nothing can be cancelled.
  printing: { timeout: 60, step: 14 },
  refused: END,
  'pin-locked': END,
  'out-of-service': END,
  'print-failed': END,
  cancelled: END,
  // The 本籍地 registration's end: sent to the center, then its answer (the day 戸籍 can be had).
  registered: END,
  // 暗証番号リセット: choose the PIN, the other PIN, the new one twice; Back while choosing is over, Cancel until sent.
  'pin-reset': { timeout: 60, back: ['other', 'confirm'], cancel: ['choosing', 'other', 'new', 'confirm'] },
  // A card left on the reader after the session: its reminder comes again every 20 s until it is taken.
  'take-card': { timeout: 20 },
};

export const BACKABLE = 'backable';
export const CANCELLABLE = 'cancellable';

const offered = (on: true | readonly string[] | undefined, step: string | null): boolean => on === true || (!!step && !!on?.includes(step));

/** What a screen offers on one of its sub-states (null: the screen has none), for a screen drawn without a machine. */
export function declaredFor(screen: Screen, step: string | null): { stepNumber: number | null; canBack: boolean; canCancel: boolean } {
  const d = SCREEN_DECLARATIONS[screen];
  return { stepNumber: d.step ?? null, canBack: offered(d.back, step), canCancel: offered(d.cancel, step) };
}

/** The tags of a screen's state node (`sub`: of one of its sub-states): backable, cancellable. */
export function tagsOf(screen: Screen, sub?: string): string[] {
  const d = SCREEN_DECLARATIONS[screen];
  const on = (x: true | readonly string[] | undefined) => (sub === undefined ? x === true : Array.isArray(x) && x.includes(sub));
  return [...(on(d.back) ? [BACKABLE] : []), ...(on(d.cancel) ? [CANCELLABLE] : [])];
}
