// Journey steps for the photo booth (kiosk/booth/), so that one file tells a story across kiosks: J-LIS prints a form
// (`form:`), the resident applies at the booth (`booth: …`), the counter hands the card over, the konbini kiosk prints.
// The booth runs beside the journey's terminal on the same clock and the same center (which must be in process).
//
//   - form                                  # J-LIS prints a form for the journey's persona (or form: PERSONA)
//   - booth: { tap: start }                 # start, take-photo, accept-photo, retake-photo, confirm, back, cancel, done, continue
//   - booth: { cash: 1000 }
//   - booth: { scan: form }                 # the last form printed; or any text: booth: { scan: "https://…" }
//   - booth: { birth-date: "1982-09-30" }
//   - booth: { options: { certificates: true, braille: false } }
//   - booth: { pose: dark }                 # good, dark, off-centre, busy-background, nobody
//   - booth: { fault: paper-out }           # any of BOOTH_FAULTS (kiosk/booth/booth-faults.ts)
//   - booth: { expect: { screen: refused, reason: form-used } }   # screen, step, reason, notice, arrives-on, returned
import { FULL_TUBES, SimCashBox } from '../devices/cash-box.ts';
import { acceptsDenomination } from '../../machine/rules/money.ts';
import { COINS_AND_BILLS } from '../../machine/types.ts';
import { BoothRuntime, SimSlipPrinter } from '../booth/booth-runtime.ts';
import { SimCamera, SimQrScanner, ScannerNotReadingError } from '../booth/devices.ts';
import { applyBoothFault, BOOTH_FAULTS, BoothJournal, type BoothFault } from '../booth/booth-faults.ts';
import { TerminalOutOfOrderError } from '../runtime.ts';
import { BOOTH_REFUSALS, BOOTH_SCREENS, type BoothUiEvent } from '../../machine/booth/types.ts';
import { SAMPLE_PHOTOS, type SamplePhoto } from '../../samples/photos.ts';
import type { SimTerminal } from '../terminal.ts';
import type { SimClock } from '../clock.ts';
import type { IssuanceCenter } from '../../center/issuance-center.ts';

export const BOOTH_TAPS = {
  start: { type: 'ui.start' }, 'take-photo': { type: 'ui.takePhoto' }, 'accept-photo': { type: 'ui.acceptPhoto' }, 'retake-photo': { type: 'ui.retakePhoto' },
  confirm: { type: 'ui.confirm' }, back: { type: 'ui.back' }, cancel: { type: 'ui.cancel' }, done: { type: 'ui.done' }, continue: { type: 'ui.continue' },
} as const satisfies Record<string, BoothUiEvent>;

export interface BoothExpectation {
  screen?: (typeof BOOTH_SCREENS)[number];
  step?: string;
  reason?: string;
  notice?: string;
  /** The day the card reaches the office, as the done screen says it (YYYY-MM-DD). */
  arrivesOn?: string;
  /** Yen the cash box has handed back so far in this journey (refunds and change). */
  returned?: number;
}

export type BoothAction =
  | { tap: keyof typeof BOOTH_TAPS }
  | { cash: number }
  | { scan: string }
  | { birthDate: string }
  | { options: { certificates: boolean; braille: boolean } }
  | { pose: SamplePhoto }
  | { fault: BoothFault }
  | { expect: BoothExpectation };

/** A `booth:` step's map, checked; `fail` says what is wrong (the journey's file and line are added by the caller). */
export function parseBoothAction(js: unknown, fail: (what: string) => never): BoothAction {
  const m = js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : null;
  const keys = m ? Object.keys(m) : [];
  if (!m || keys.length !== 1) return fail('one action: tap, cash, scan, birth-date, options, pose, fault or expect (e.g. booth: { tap: start })');
  const [k] = keys;
  const v = m[k];
  switch (k) {
    case 'tap':
      if (typeof v !== 'string' || !Object.hasOwn(BOOTH_TAPS, v)) return fail(`tap to be one of ${Object.keys(BOOTH_TAPS).join(', ')}`);
      return { tap: v as keyof typeof BOOTH_TAPS };
    case 'cash':
      if (typeof v !== 'number' || !acceptsDenomination(v)) return fail(`cash to be a coin or bill (${COINS_AND_BILLS.join(', ')})`);
      return { cash: v as number };
    case 'scan':
      if (typeof v !== 'string' || !v || v.length > 512) return fail('scan to be "form" (the last form printed) or the text a code carries');
      return { scan: v };
    case 'birth-date':
      if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v)) return fail('birth-date to be a date, "YYYY-MM-DD"');
      return { birthDate: v };
    case 'options': {
      const o = v as Record<string, unknown> | null;
      if (!o || typeof o.certificates !== 'boolean' || typeof o.braille !== 'boolean' || Object.keys(o).length !== 2) return fail('options to be { certificates: true|false, braille: true|false }');
      return { options: { certificates: o.certificates, braille: o.braille } };
    }
    case 'pose':
      if (!(SAMPLE_PHOTOS as readonly unknown[]).includes(v)) return fail(`pose to be one of ${SAMPLE_PHOTOS.join(', ')}`);
      return { pose: v as SamplePhoto };
    case 'fault':
      if (!(BOOTH_FAULTS as readonly unknown[]).includes(v)) return fail(`fault to be one of ${BOOTH_FAULTS.join(', ')}`);
      return { fault: v as BoothFault };
    case 'expect': {
      const e = v as Record<string, unknown> | null;
      if (!e || typeof e !== 'object') return fail('expect to be a map: screen, step, reason, notice, arrives-on, returned');
      const out: BoothExpectation = {};
      for (const [key, value] of Object.entries(e)) {
        if (key === 'screen' && (BOOTH_SCREENS as readonly unknown[]).includes(value)) out.screen = value as BoothExpectation['screen'];
        else if (key === 'reason' && ([...BOOTH_REFUSALS, 'cancelled', 'timeout'] as readonly unknown[]).includes(value)) out.reason = value as string;
        else if ((key === 'step' || key === 'notice') && typeof value === 'string') out[key] = value;
        else if (key === 'arrives-on' && typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value)) out.arrivesOn = value;
        else if (key === 'returned' && Number.isInteger(value)) out.returned = value as number;
        else return fail(`expect's ${key.slice(0, 30)} to be ${key === 'screen' ? `one of ${BOOTH_SCREENS.join(', ')}` : key === 'reason' ? `one of ${BOOTH_REFUSALS.join(', ')}, cancelled, timeout` : 'known (screen, step, reason, notice, arrives-on, returned)'}`);
      }
      return { expect: out };
    }
    default:
      return fail(`a known action, not ${k.slice(0, 30)} (tap, cash, scan, birth-date, options, pose, fault, expect)`);
  }
}

/** The booth beside a journey's terminal: its devices simulated, its center the terminal's own (in process). */
export class JourneyBooth {
  readonly runtime: BoothRuntime;
  readonly scanner = new SimQrScanner();
  readonly camera = new SimCamera();
  readonly printer = new SimSlipPrinter();
  readonly cashBox = new SimCashBox(FULL_TUBES);
  readonly journal = new BoothJournal();
  /** The booth's own link to J-LIS (a `center-down` fault cuts this one, not the kiosk's). */
  readonly #center: IssuanceCenter;

  constructor(terminal: SimTerminal, clock: SimClock) {
    if (!terminal.simCenter) throw new Error('a booth step needs the center in this process (not --center)');
    this.#center = terminal.simCenter.connectLocal('B01');
    this.runtime = new BoothRuntime({ clock, center: this.#center, cashBox: this.cashBox, scanner: this.scanner, camera: this.camera, printer: this.printer, terminalId: 'B01', journal: this.journal });
  }

  /** Does one action; what cannot be done is a sentence for the journey's failure. */
  async act(a: BoothAction, lastForm: string | null): Promise<string | null> {
    const r = this.runtime;
    if ('tap' in a) r.send(BOOTH_TAPS[a.tap]);
    else if ('cash' in a) {
      if (!r.insertCash(a.cash)) return `the booth did not take ${a.cash} yen on the ${r.screen} screen`;
    } else if ('scan' in a) {
      const text = a.scan === 'form' ? lastForm : a.scan;
      if (!text) return 'scan: form needs a form printed first (a form step)';
      try {
        this.scanner.present(text);
      } catch (e) {
        if (e instanceof ScannerNotReadingError) return `the scanner is not reading on the ${r.screen} screen`;
        throw e;
      }
    } else if ('birthDate' in a) r.send({ type: 'ui.enterBirthDate', birthDate: a.birthDate });
    else if ('options' in a) r.send({ type: 'ui.setOptions', ...a.options });
    else if ('pose' in a) this.camera.pose(a.pose);
    else if ('fault' in a) {
      try {
        applyBoothFault({ runtime: r, camera: this.camera, scanner: this.scanner, printer: this.printer, journal: this.journal, center: this.#center }, a.fault);
      } catch (e) {
        if (e instanceof TerminalOutOfOrderError) return `the booth cannot go back in service: ${e.message}`;
        throw e;
      }
    } else {
      await r.settled();
      const v = r.view();
      const wrong: string[] = [];
      const e = a.expect;
      if (e.screen !== undefined && v.screen !== e.screen) wrong.push(`screen ${v.screen}, not ${e.screen}`);
      if (e.step !== undefined && v.step !== e.step) wrong.push(`step ${v.step}, not ${e.step}`);
      if (e.reason !== undefined && v.reason !== e.reason) wrong.push(`reason ${v.reason}, not ${e.reason}`);
      if (e.notice !== undefined && v.notice !== e.notice) wrong.push(`notice ${v.notice}, not ${e.notice}`);
      if (e.arrivesOn !== undefined && v.application?.arrivesOn !== e.arrivesOn) wrong.push(`the card arrives ${v.application?.arrivesOn ?? 'never'}, not ${e.arrivesOn}`);
      if (e.returned !== undefined && this.cashBox.counters.returned + this.cashBox.counters.paidOut !== e.returned) {
        wrong.push(`${this.cashBox.counters.returned + this.cashBox.counters.paidOut} yen handed back, not ${e.returned}`);
      }
      if (wrong.length) return `at the booth: ${wrong.join('; ')}`;
    }
    await r.settled();
    return null;
  }

  stop(): void {
    this.runtime.stop();
  }
}
