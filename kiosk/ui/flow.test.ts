// The flow facts the screens draw, as the machine declares them (machine/screens.ts), checked against what the machine
// accepts: Back offered exactly where it takes ui.back, Cancel only where it takes ui.cancel, the header's step
// numbers the spec's 14 steps.
import { describe, expect, it } from 'vitest';
import { initialContext, kioskMachine } from '../../machine/kiosk-machine.ts';
import { SCREENS, type Screen } from '../../machine/types.ts';
import { viewOf } from '../view.ts';
import { demoState, parseDemo, baseView } from './fixtures.ts';
import { clampCopies, clockText, infoToSend, NO_INFO, showsLanguageBar, showsTimeoutWarning } from './flow.ts';
import { offeredInfo } from '../../machine/rules/catalog.ts';
import { TOTAL_STEPS, declaredFor } from '../../machine/screens.ts';
import { routeOf } from './app.tsx';

/** Every screen with each of its sub-steps, as snapshot values. */
const STATES: Array<string | Record<string, string>> = [
  ...SCREENS.filter((s) => !['pin-entry', 'payment', 'printing', 'pin-reset'].includes(s)),
  ...['choosing', 'other', 'checking', 'new', 'confirm', 'resetting', 'done'].map((step) => ({ 'pin-reset': step })),
  { 'pin-entry': 'entering' }, { 'pin-entry': 'verifying' }, { 'pin-entry': 'authenticating' },
  { payment: 'accepting' }, { payment: 'refunding' },
  { printing: 'working' }, { printing: 'payingOut' }, { printing: 'collect' },
];

function snapshotAt(value: string | Record<string, string>) {
  // A juminhyo request, so that the sub-type and information screens apply and do not step over themselves.
  const context = { ...initialContext(), certificate: 'juminhyo' as const, medium: 'card' as const };
  return kioskMachine.resolveState({ value, context });
}

describe('step numbers', () => {
  it('number the 14 steps of the spec in order, and no end screen', () => {
    const numbered = SCREENS.map((s) => declaredFor(s, null).stepNumber);
    expect(TOTAL_STEPS).toBe(14);
    expect(numbered.slice(0, 14)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // The end screens, and the PIN reset (a service of its own beside the 14 steps of a certificate).
    expect(numbered.slice(14)).toEqual([null, null, null, null, null, null, null, null]);
    expect(viewOf(snapshotAt({ 'pin-entry': 'entering' })).stepNumber).toBe(6);
    expect(viewOf(snapshotAt('certificate-select')).stepNumber).toBe(8);
  });
});

describe('Back and Cancel: what the machine declares is what it accepts', () => {
  it.each(STATES.map((v) => [JSON.stringify(v), v] as const))('%s', (_, value) => {
    const snap = snapshotAt(value);
    const view = viewOf(snap);
    // The declaration (tags) and the transitions agree: Back offered exactly where ui.back moves the machine.
    expect(view.canBack, 'back').toBe(snap.can({ type: 'ui.back' }));
    if (view.canCancel) expect(snap.can({ type: 'ui.cancel' }), 'cancel accepted').toBe(true);
    // Cancel from step 2 until payment completes; never on printing or the end screens; on a PIN reset until the
    // new PIN is sent.
    const n = view.stepNumber;
    const expected = view.screen === 'pin-reset'
      ? ['choosing', 'other', 'new', 'confirm'].includes(view.step ?? '')
      : n !== null && n >= 2 && n <= 13 && !(view.screen === 'payment' && view.step === 'refunding');
    expect(view.canCancel, 'cancel offered').toBe(expected);
    // The demo route (no machine) reads the same declarations.
    expect(declaredFor(view.screen, view.step)).toEqual({ stepNumber: view.stepNumber, canBack: view.canBack, canCancel: view.canCancel });
  });

  it('offers Back on the screens the brief lists', () => {
    const back = (screen: Screen, step: string | null = null) => declaredFor(screen, step).canBack;
    for (const s of ['government-menu', 'advanced-menu', 'card-reading', 'type-select', 'info-select', 'copies', 'confirm'] as Screen[]) expect(back(s), s).toBe(true);
    expect(back('pin-entry', 'entering')).toBe(true);
    expect(back('pin-entry', 'verifying')).toBe(false);
    for (const s of ['top', 'city-select', 'card-removal', 'certificate-select', 'payment', 'printing', 'refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled'] as Screen[]) expect(back(s), s).toBe(false);
  });
});

describe('language switcher and warning', () => {
  it('shows the language switcher on every screen but the main menu', () => {
    for (const s of SCREENS) expect(showsLanguageBar(s)).toBe(s !== 'top');
  });

  it('shows the timeout warning over any screen, but not on card-removal where it is the reminder', () => {
    expect(showsTimeoutWarning({ screen: 'copies', warning: true })).toBe(true);
    expect(showsTimeoutWarning({ screen: 'payment', warning: true })).toBe(true);
    expect(showsTimeoutWarning({ screen: 'card-removal', warning: true })).toBe(false);
    expect(showsTimeoutWarning({ screen: 'copies', warning: false })).toBe(false);
  });
});

describe('information items', () => {
  const city = (printsMyNumber: boolean) => ({ printsMyNumber });
  it('offers 個人番号 only where the city prints it, and the residence items only to foreign residents', () => {
    expect(offeredInfo('juminhyo', city(false), false)).toEqual(['householdHead', 'domicile']);
    expect(offeredInfo('juminhyo', city(true), false)).toEqual(['householdHead', 'domicile', 'myNumber']);
    expect(offeredInfo('juminhyo', city(false), true)).toEqual(['householdHead', 'nationality', 'residenceStatus', 'residenceCardNumber']);
    expect(offeredInfo('kisai', city(true), true)).toEqual(['householdHead', 'myNumber', 'nationality', 'residenceStatus', 'residenceCardNumber']);
    expect(offeredInfo('fuhyo', city(true), false)).toEqual(['domicile']);
    expect(offeredInfo('inkan', city(true), false)).toEqual([]);
    expect(offeredInfo(null, null, false)).toEqual([]);
  });

  it('sends all six booleans, with anything not offered forced to false', () => {
    const chosen = { ...NO_INFO, householdHead: true, myNumber: true, nationality: true };
    const sent = infoToSend(chosen, offeredInfo('juminhyo', city(false), false));
    expect(sent).toEqual({ ...NO_INFO, householdHead: true });
    expect(Object.keys(sent).sort()).toEqual(['domicile', 'householdHead', 'myNumber', 'nationality', 'residenceCardNumber', 'residenceStatus']);
  });
});

describe('small helpers', () => {
  it('keeps copies between 1 and the maximum', () => {
    expect(clampCopies(0, 10)).toBe(1);
    expect(clampCopies(11, 10)).toBe(10);
    expect(clampCopies(3, 10)).toBe(3);
    expect(clampCopies(5, 0)).toBe(1);
  });

  it('shows the clock in Japan time', () => {
    expect(clockText('2026-11-24T01:05:00Z')).toBe('2026-11-24 10:05');
    expect(clockText('2026-11-24T10:00:00+09:00')).toBe('2026-11-24 10:00');
    expect(clockText('nonsense')).toBe('');
  });

  it('routes #operator to the operator panel', () => {
    expect(routeOf('#operator')).toBe('operator');
    expect(routeOf('')).toBe('kiosk');
    expect(routeOf('#demo=top')).toBe('kiosk');
  });
});

describe('demo fixtures', () => {
  it('have the shape of a real view', () => {
    const real = viewOf(snapshotAt('confirm'));
    expect(Object.keys(baseView()).sort()).toEqual(Object.keys(real).sort());
  });

  it('can show every screen', () => {
    for (const s of SCREENS) {
      const route = parseDemo(`#demo=${s}&lang=en`);
      expect(route?.screen).toBe(s);
      expect(demoState(route!).view?.screen).toBe(s);
      expect(demoState(route!).view?.language).toBe('en');
    }
    expect(parseDemo('#demo=nope')).toBeNull();
    expect(parseDemo('#operator')).toBeNull();
  });
});
