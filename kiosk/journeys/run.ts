// Runs a journey headless: a whole terminal on simulated devices and a simulated clock, driven step by step
// through the same runtime the touch UI uses, checking each expectation as the step's line says. The runner
// watches the terminal without changing it: it counts the reader's APDUs, keeps the documents the printer was
// given, mints card variants, pulls a card mid-exchange, and records the machine's path and transitions.
// (The browser runner, browser.ts, drives the same instruments through the real UI.)
import type { PrintSpeedName } from '../../printer/speed.ts';
import { JourneyBooth } from './booth-steps.ts';
import { basename, dirname, join } from 'node:path';
import type { InspectionEvent } from 'xstate';
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import type { Notice, Subtype, TaxKind } from '../../machine/types.ts';
import type { IssuedCertificate, Receipt } from '../../printer/document.ts';
import type { CommandApdu } from '../../reader/apdu.ts';
import { TraceWriter } from '../../reader/trace.ts';
import type { KioskCommand } from '../../machine/events.ts';
import type { UiInput } from '../../machine/ui-input.ts';
import { TerminalControl } from '../control.ts';
import { SimClock } from '../clock.ts';
import { CardStore } from '../card-store.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimTerminal, type PrinterChoice, type ReaderChoice } from '../terminal.ts';
import { certificateChoices } from '../view.ts';
import {
  HOLDABLE, TAPS, type CardVariant, type DocumentExpectation, type Expectation, type Journey, type JourneyFault,
  type RemoveDuring, type Step,
} from './format.ts';
import { microstep, stateOf, transitionKey } from './transitions.ts';

/** What the screen showed after a step: the facts a report prints (never a PIN: the machine never has one). */
export interface ScreenSummary {
  screen: string;
  /** The sub-state within the screen (pin-entry: entering, verifying…), or null. */
  step: string | null;
  language: string;
  warning: boolean;
  notice: string | null;
  reason: string | null;
  triesLeft: number | null;
  holder: string | null;
  city: string | null;
  certificate: string | null;
  copies: number;
  due: number;
  inserted: number;
  printed: number;
  cardPresent: boolean;
}

export interface StepResult {
  line: number;
  /** The step as written, with a PIN shown as **** */
  step: string;
  screen: string;
  ok: boolean;
  error?: string;
  /** The screen after the step. */
  view?: ScreenSummary;
  /** Machine states entered during the step, in order ("pin-entry.verifying", "card-removal"…). */
  states?: string[];
  /** Transitions that fired during the step (keys as in transitions.ts). */
  transitions?: string[];
  /** Browser mode: a small JPEG of the screen after the step, as a data: URL. */
  screenshot?: string;
  ms?: number;
}

export interface JourneyResult {
  file: string;
  name: string;
  passed: boolean;
  /** Where the journey diverged from what it expected: the step's line, what it said, and the screen then. */
  failure: { line: number; message: string; step?: string; screen?: string } | null;
  steps: StepResult[];
  ms: number;
  /** Spooled PDFs, when the spool printer was used. */
  documents: string[];
  mode?: 'headless' | 'browser';
  /** The machine's path: every state entered, in order, from the first screen on. */
  path?: string[];
  /** Transitions that fired, each once, in the order they first fired. */
  transitions?: string[];
  /** APDUs the reader exchanged with cards. */
  apdus?: number;
  /** The certificate copies printed, as the printer was given them (title, kind, issuance number, copy of copies). */
  printed?: Array<{ kind: string; title: string; issuanceNumber: string; copy: number; of: number }>;
}

export class StepFailure extends Error {}

export interface RunOptions {
  printer?: PrinterChoice;
  /** The printer's speed (default fast); real moves the journey's simulated clock on by the model's time. */
  printSpeed?: PrintSpeedName;
  spoolDir?: string;
  /** Called with each line the runtime logs (never a PIN). */
  log?: (line: string) => void;
  /** Folder for the journal and persisted snapshot (in memory when omitted). */
  varDir?: string;
  /** The sim reader (default) or a PC/SC reader through pcscd; with "Virtual PCD 00 0N" the cards go in through vpcd. */
  reader?: ReaderChoice;
  inspect?: (e: InspectionEvent) => void;
  /**
   * What must hold after every step (a walk's oracles, oracles.ts): given the terminal, the lines it logged and the
   * copies it printed (both growing), it answers a check that throws a StepFailure.
   */
  checks?: (watched: { terminal: SimTerminal; log: readonly string[]; certificates: readonly IssuedCertificate[] }) => (step: Step) => void;
  /**
   * The issuance center (e.g. a CenterClient for `kiosk center serve`, or one SimCenter shared by several runs); a
   * fresh SimCenter for this journey when omitted. A journey's `fault: center-down` sets its `online` flag.
   */
  center?: IssuanceCenter;
  /** The terminal id its issuance numbers carry (default K01). */
  terminalId?: string;
  /**
   * A card store folder the journey takes its cards from (`kiosk journey run --cards DIR`): the cards keep their
   * state across journeys and runs. Without it, the journey has a store of its own and starts from fresh cards.
   */
  cardsDir?: string;
  /** A trace file the journey's APDUs are added to (`kiosk journey run --trace FILE`), under the journey's file name. */
  tracePath?: string;
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'pin': return 'pin: ****';
    case 'remove-card': return step.during ? `remove-card: during ${step.during}` : step.atApdu ? `remove-card: at APDU ${step.atApdu}` : 'remove-card';
    case 'tap': return step.ignored ? `tap: ${step.tap} (ignored)` : `tap: ${step.tap}`;
    case 'expect': return `expect: ${JSON.stringify(step.expect)}`;
    case 'counter': {
      // A PIN is never shown (a new one, the other one of a reset's reservation, the one entered for continue-card).
      const fields = Object.entries(step.fields).map(([k, v]) => `${k} ${k === 'new' || k === 'other' || k === 'password' || (k === 'pin' && step.verb === 'continue-card') ? '****' : String(v)}`);
      return `counter: ${step.verb} ${step.persona}${fields.length ? ` (${fields.join(', ')})` : ''}${step.refused ? ` refused ${step.refused}` : ''}`;
    }
    case 'release': return `release: ${step.work}`;
    case 'insert-card': if ('profile' in step) return `insert-card: profile ${basename(dirname(step.profile))}/${basename(step.profile)}`;
    default: {
      const { kind, ...rest } = step as Step & { line?: number };
      delete (rest as { line?: number }).line;
      const v = Object.values(rest);
      return `${kind}: ${v.length === 1 ? (typeof v[0] === 'object' ? JSON.stringify(v[0]) : String(v[0])) : JSON.stringify(rest)}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The clock

// ---------------------------------------------------------------------------------------------------------------
// Instruments: what the runner watches on a terminal (headless or behind the browser's server)

/** When an armed card pull fires. */
type Removal = { during: RemoveDuring } | { atApdu: number };

export interface Instruments {
  /** APDUs sent to the reader so far. */
  readonly apdus: number;
  /** Certificate copies the printer printed, in order (what it was given: the data behind each PDF). */
  readonly certificates: IssuedCertificate[];
  readonly receipts: Receipt[];
  /** Every state entered, in order. */
  readonly path: string[];
  /** Transition keys in the order they fired (repeats included). */
  readonly fired: string[];
  /** Pulls the card when the trigger comes (an APDU of the given kind, or the Nth from now). */
  armRemoval(removal: Removal): void;
  /** A card fault for the card in the reader, or the next one placed when there is none. */
  cardFault(fault: 'garbled' | 'mute'): void;
  dispose(): void;
}

export function instrument(terminal: SimTerminal): Instruments {
  let apdus = 0;
  const path: string[] = [stateOf(terminal.runtime.snapshot.value)];
  const fired: string[] = [];
  let removal: (Removal & { from: number }) | null = null;

  // The machine's path, from the actor system's inspection: each microstep's transitions and resulting state.
  const subscription = terminal.runtime.actor.system.inspect((e: InspectionEvent) => {
    const step = microstep(e);
    if (!step) return;
    for (const t of step.transitions) fired.push(transitionKey(t));
    const s = stateOf(step.snapshot.value);
    if (path[path.length - 1] !== s) path.push(s);
  });

  // The reader's own observer: every APDU is counted, and the card may leave as the armed one goes out.
  const triggers = (c: CommandApdu): boolean => {
    if (!removal) return false;
    if ('atApdu' in removal) return apdus - removal.from + 1 >= removal.atApdu;
    if (removal.during === 'read') return c.cla === 0x00 && c.ins === 0xb0;
    if (removal.during === 'pin') return c.cla === 0x00 && c.ins === 0x20 && c.data.length > 0;
    return c.cla === 0x80 && c.ins === 0x2a;
  };
  const stopObserving = terminal.reader.onApdu(async (command) => {
    if (triggers(command)) {
      removal = null;
      // The card leaves as this command goes out: the reader reports it gone, the exchange fails.
      await terminal.removeCard();
    }
    apdus += 1;
  });

  // The printer's own recording: what it printed, document by document.
  const printed = terminal.printer.record();

  const instruments: Instruments = {
    get apdus() { return apdus; },
    certificates: printed.certificates, receipts: printed.receipts, path, fired,
    armRemoval(r) {
      removal = { ...r, from: apdus };
    },
    cardFault(fault) {
      terminal.cardFault(fault);
    },
    dispose() {
      subscription.unsubscribe();
      stopObserving();
      printed.stop();
    },
  };
  return instruments;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a journey headless

/** A notice as journeys write it: `kind:detail` (cash-rejected:change-unavailable, not-simulated:copy). */
export function noticeText(n: Notice | null): string | null {
  if (!n) return null;
  return `${n.kind}:${n.kind === 'not-simulated' ? n.service : n.reason}`;
}

export function summarize(terminal: SimTerminal): ScreenSummary {
  const { runtime } = terminal;
  const v = runtime.view();
  return {
    screen: v.screen, step: v.step, language: v.language, warning: v.warning, notice: noticeText(v.notice), reason: v.reason, triesLeft: v.triesLeft,
    holder: v.holder?.name ?? null, city: v.city?.name ?? null, certificate: v.request.certificate, copies: v.request.copies,
    due: v.due, inserted: v.inserted, printed: v.printed, cardPresent: terminal.reader.cardPresent,
  };
}

/** Runs the journey's steps against a terminal: the loop headless and browser runs share. */
export interface Driver {
  terminal: SimTerminal;
  /** The control API's operations (kiosk/control.ts), in process: every device step and tap goes through it. */
  control: TerminalControl;
  clock: SimClock;
  instruments: Instruments;
  /** Performs one step (the browser taps through the UI; headless sends to the runtime). */
  perform(step: Step): Promise<void>;
  /** Resolves when the terminal (and the screen) are quiet after a step. */
  settle(): Promise<void>;
  /** Browser mode: a screenshot of the screen after a step. */
  screenshot?(): Promise<string | undefined>;
  /** A step (with the wait for quiet after it) that takes longer fails, so that a stuck page cannot hang a run. */
  stepTimeoutMs?: number;
  /** Checks what must hold after every step (a walk's oracles, oracles.ts); throws a StepFailure when it does not. */
  afterStep?(step: Step): void;
}

/** `work`, or a StepFailure when it takes more than `ms` (the work itself is left to finish or fail on its own). */
async function within<T>(ms: number | undefined, work: Promise<T>): Promise<T> {
  if (!ms) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`the step did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runSteps(journey: Journey, driver: Driver, mode: 'headless' | 'browser'): Promise<Omit<JourneyResult, 'ms' | 'documents'>> {
  const { terminal, instruments } = driver;
  const { runtime } = terminal;
  const steps: StepResult[] = [];
  let failure: JourneyResult['failure'] = null;
  for (const step of journey.steps) {
    const errorsBefore = runtime.errors.length;
    const pathBefore = instruments.path.length;
    const firedBefore = instruments.fired.length;
    const started = performance.now();
    let error: string | undefined;
    try {
      await within(driver.stepTimeoutMs, (async () => {
        await driver.perform(step);
        await driver.settle();
      })());
      driver.afterStep?.(step);
      const newErrors = runtime.errors.slice(errorsBefore);
      if (newErrors.length) throw new StepFailure(`a device failed: ${newErrors.map((e) => `${e.name}: ${e.message}`).join('; ')}`);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const result: StepResult = {
      line: step.line, step: describeStep(step), screen: runtime.screen, ok: !error, view: summarize(terminal),
      states: instruments.path.slice(pathBefore), transitions: instruments.fired.slice(firedBefore), ms: round(performance.now() - started),
    };
    if (error) result.error = error;
    // A screenshot after every step that can change the screen (an expectation only looks at it), and at a failure.
    if (driver.screenshot && (step.kind !== 'expect' || error)) {
      const shot = await driver.screenshot().catch(() => undefined);
      if (shot) result.screenshot = shot;
    }
    steps.push(result);
    if (error) {
      failure = { line: step.line, message: error, step: result.step, screen: runtime.screen };
      break;
    }
  }
  const seen = new Set<string>();
  const transitions = instruments.fired.filter((k) => (seen.has(k) ? false : (seen.add(k), true)));
  const printed = instruments.certificates.map((c) => ({ kind: c.kind, title: c.title, issuanceNumber: c.issuanceNumber, copy: c.copyIndex, of: c.copies }));
  return { file: journey.file, name: journey.name, passed: !failure, failure, steps, mode, path: [...instruments.path], transitions, apdus: instruments.apdus, printed };
}

export async function runJourney(journey: Journey, options: RunOptions = {}): Promise<JourneyResult> {
  const started = performance.now();
  const clock = new SimClock(journey.clock);
  const logged: string[] = [];
  const log = options.checks ? (line: string) => (logged.push(line), options.log?.(line)) : options.log;
  // Each journey prints into a folder of its own: journeys start their issuance numbers afresh.
  const spoolDir = options.spoolDir ? join(options.spoolDir, basename(journey.file).replace(/\.ya?ml$/, '')) : undefined;
  const holds = journey.steps.some((s) => s.kind === 'hold');
  const terminal = new SimTerminal({
    clock, printer: options.printer ?? 'null', printSpeed: options.printSpeed, spoolDir, log, varDir: options.varDir, inspect: options.inspect, reader: options.reader,
    center: options.center, terminalId: options.terminalId, holdDeviceWork: holds,
    cards: options.cardsDir ? new CardStore({ dir: options.cardsDir, data: loadSampleData(), clock }) : undefined,
  });
  const instruments = instrument(terminal);
  const trace = options.tracePath ? new TraceWriter(options.tracePath, { append: true }) : null;
  const stopTracing = trace?.follow(terminal.reader, journey.file);
  const control = new TerminalControl(terminal, clock, spoolDir ?? '');
  const held = new Set<KioskCommand['type']>();
  const { runtime } = terminal;
  /** With `hold:` in the journey, device work waits in a queue; all but what the journey holds goes on at once. */
  const settle = async () => {
    await runtime.settled();
    while (holds && runtime.heldDeviceWork.length && !held.has(runtime.heldDeviceWork[0])) await runtime.releaseDeviceWork();
  };
  const driver: Driver = {
    terminal, control, clock, instruments, settle,
    perform: (step) => perform(driver, journey, step, held),
    afterStep: options.checks?.({ terminal, log: logged, certificates: instruments.certificates }),
  };
  let result: Omit<JourneyResult, 'ms' | 'documents'>;
  try {
    await terminal.open();
    if (journey.language !== 'ja') {
      // The language switch is offered from step 2 on, but a journey may name the person's language up front.
      control.tap({ type: 'ui.setLanguage', language: journey.language });
    }
    result = await runSteps(journey, driver, 'headless');
  } finally {
    booths.get(driver)?.booth?.stop();
    terminal.stop();
    instruments.dispose();
    stopTracing?.();
    trace?.close();
  }
  const documents = runtime.journal.records.flatMap((r) => (r.type === 'print.copy' || r.type === 'print.receipt') && r.file ? [r.file] : []);
  return { ...result, ms: round(performance.now() - started), documents };
}

/** Milliseconds to a tenth: enough for a report, and no long runs of digits in it. */
export const round = (ms: number) => Math.round(ms * 10) / 10;

/** An insert-card step's own card variant (its map), or null. */
export function ownVariant(step: Extract<Step, { kind: 'insert-card' }>): CardVariant | null {
  if ('profile' in step) return null;
  const { kind: _k, persona: _p, line: _l, ...own } = step as typeof step & { line?: number };
  return Object.keys(own).length ? own : null;
}

/** Device steps, the same in both modes: cards, faults, paper, time, held work and expectations. */
/** The booth beside a journey's terminal, and the last form J-LIS printed in it (made on the first booth step). */
const booths = new WeakMap<Driver, { booth: JourneyBooth | null; form: string | null }>();
function boothOf(driver: Driver): { booth: JourneyBooth | null; form: string | null } {
  let b = booths.get(driver);
  if (!b) booths.set(driver, (b = { booth: null, form: null }));
  return b;
}

export async function performDeviceStep(driver: Driver, journey: Journey, step: Step, held: Set<KioskCommand['type']>): Promise<boolean> {
  const { terminal, control, instruments } = driver;
  // Each step is what the control API offers a QA script (kiosk/control.ts), called in this process.
  const act = async (work: () => unknown) => {
    try {
      await work();
    } catch (e) {
      throw new StepFailure((e as Error).message);
    }
  };
  switch (step.kind) {
    case 'insert-card': {
      // A card profile: that card, as the file describes it, fresh each time it is placed (it is not in the store).
      if ('profile' in step) {
        await act(() => control.insertProfileCard(step.profile));
        return true;
      }
      // The persona's card from the journey's card store: the same card each time it goes back on the reader. A
      // step's own variant is a new card made so; the journey's `card:` is how the persona's first card is made.
      const own = ownVariant(step);
      await act(() => control.insertCard(step.persona, own ?? journey.card ?? undefined, { first: !own }));
      return true;
    }
    case 'remove-card':
      if (step.during) instruments.armRemoval({ during: step.during });
      else if (step.atApdu) instruments.armRemoval({ atApdu: step.atApdu });
      else {
        if (!terminal.reader.cardPresent) throw new StepFailure('there is no card on the reader to remove');
        await act(() => control.removeCard());
      }
      return true;
    case 'wait':
      await act(() => control.advanceClock(step.seconds));
      return true;
    case 'clock':
      await act(() => control.setClock(step.at));
      return true;
    case 'fault':
      await fault(driver, step.fault);
      return true;
    case 'paper':
      await act(() => control.setPaper(step.sheets));
      return true;
    case 'jam-after':
      await act(() => control.jamAfter(step.sheets));
      return true;
    case 'hold':
      if (!terminal.options.holdDeviceWork) throw new StepFailure('hold needs device work held back, which only a headless run does (not --browser)');
      held.add(HOLDABLE[step.work]);
      return true;
    case 'release': {
      const works = step.work === 'all' ? [...held] : [HOLDABLE[step.work]];
      for (const w of works) held.delete(w);
      const runtime = terminal.runtime;
      while (runtime.heldDeviceWork.length && !held.has(runtime.heldDeviceWork[0])) await runtime.releaseDeviceWork();
      return true;
    }
    case 'expect':
      check(driver, step.expect);
      return true;
    case 'form': {
      const center = terminal.simCenter;
      if (!center) throw new StepFailure('a form step needs the center in this process (not --center)');
      try {
        boothOf(driver).form = center.applications.printForm(driver.terminal.data.persona(step.persona).resident ?? '').id;
      } catch (e) {
        throw new StepFailure(`J-LIS prints no form for ${step.persona}: ${(e as Error).message}`);
      }
      return true;
    }
    case 'booth': {
      const b = boothOf(driver);
      b.booth ??= new JourneyBooth(terminal, driver.clock);
      const wrong = await b.booth.act(step.action, b.form);
      if (wrong) throw new StepFailure(wrong);
      return true;
    }
    case 'counter': {
      // The person has a card before they come to the counter: made as insert-card would make it (not for an
      // application, nor for a collection: their card is the one J-LIS makes).
      if (step.verb !== 'apply' && step.verb !== 'collect' && !terminal.cards.current(step.persona)) await act(() => terminal.cards.make(step.persona, journey.card ?? undefined, 'journey'));
      let refusal: string | null = null;
      try {
        // `form: form` is the last form a `form` step printed (a mailed one, scanned at the counter).
        const fields = step.fields.form === 'form' ? { ...step.fields, form: boothOf(driver).form ?? '' } : step.fields;
        control.counter(step.verb, { card: step.persona, ...fields });
      } catch (e) {
        const m = /^refused \(([a-z-]+)\)/.exec((e as Error).message);
        if (!m) throw new StepFailure((e as Error).message);
        refusal = m[1];
        if (step.refused !== refusal) throw new StepFailure(`the counter refused ${step.verb}: ${(e as Error).message}`);
      }
      if (step.refused && refusal === null) throw new StepFailure(`the counter did ${step.verb}, where it was expected to refuse it (${step.refused})`);
      return true;
    }
    default:
      return false;
  }
}

async function fault(driver: Driver, f: JourneyFault): Promise<void> {
  if (f === 'card-garbled') return driver.instruments.cardFault('garbled');
  if (f === 'card-mute') return driver.instruments.cardFault('mute');
  try {
    await driver.control.fault(f);
  } catch (e) {
    throw new StepFailure((e as Error).message);
  }
}

async function perform(driver: Driver, journey: Journey, step: Step, held: Set<KioskCommand['type']>): Promise<void> {
  if (await performDeviceStep(driver, journey, step, held)) return;
  const { terminal, control } = driver;
  const { runtime } = terminal;
  const send = (input: UiInput, what: string) => {
    if (!runtime.can(input)) throw new StepFailure(`${what} is not possible on the ${runtime.screen} screen`);
    control.tap(input);
  };
  switch (step.kind) {
    case 'tap':
      if (step.ignored) {
        if (runtime.can(TAPS[step.tap] as UiInput)) throw new StepFailure(`tap ${step.tap} was expected to be ignored on the ${runtime.screen} screen, but it acts there`);
        return control.tap(TAPS[step.tap] as UiInput);
      }
      return send(TAPS[step.tap] as UiInput, `tap ${step.tap}`);
    case 'domicile':
      return send({ type: 'ui.selectCity', scope: 'domicile', city: cityCode(terminal, step.city) }, `choosing the 本籍地 ${step.city}`);
    case 'language':
      return send({ type: 'ui.setLanguage', language: step.language }, 'switching language');
    case 'pin':
      try {
        return control.pin(step.digits);
      } catch (e) {
        throw new StepFailure((e as Error).message);
      }
    case 'certificate':
      return send({ type: 'ui.selectCertificate', certificate: step.certificate }, `choosing ${step.certificate}`);
    case 'type':
      return send({ type: 'ui.selectType', subtype: subtypeOf(runtime.context.certificate, step.value, runtime.context.holder?.id ?? '') }, 'choosing the sub-type');
    case 'info':
      return send({ type: 'ui.selectInfo', options: step.options }, 'choosing what to print');
    case 'copies':
      return send({ type: 'ui.selectCopies', copies: step.copies }, `choosing ${step.copies} copies`);
    case 'correct':
      return send({ type: 'ui.correct', step: step.step }, `correcting ${step.step}`);
    case 'insert-cash':
      for (const yen of step.yen) {
        const r = control.insertCash(yen);
        if (!r.accepted && r.reason === 'not-accepting') throw new StepFailure(`the cash box is not taking money on the ${runtime.screen} screen`);
        await driver.settle();
      }
      return;
  }
}

export function cityCode(terminal: SimTerminal, city: string): string {
  const m = terminal.data.municipalities.find((x) => x.code === city || x.name === city);
  if (!m) throw new StepFailure(`no municipality "${city}" (expected a code or a name such as 府中市)`);
  return m.code;
}

export function subtypeOf(certificate: string | null, v: Record<string, unknown>, holder: string): Subtype {
  switch (certificate) {
    case 'juminhyo':
    case 'kisai':
      return { kind: 'juminhyo', scope: (v.scope as 'household') ?? 'household', members: (v.members as string[]) ?? [] };
    case 'koseki':
      return { kind: 'koseki', form: (v.form as 'zenbu') ?? 'zenbu', person: (v.person as string) ?? (v.form === 'kojin' ? holder : null) };
    case 'kazei':
      // The tax certificate's kind only when the journey names it: otherwise the city's first, as the screen's.
      return v.tax ? { kind: 'kazei', year: Number(v.year), taxKind: v.tax as TaxKind } : { kind: 'kazei', year: Number(v.year) };
    case 'fuhyo':
      return { kind: 'fuhyo', person: (v.person as string) ?? holder };
    default:
      throw new StepFailure(`no certificate with a sub-type is chosen (${certificate ?? 'none'})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Expectations

/** Journey-wide money and print facts, from the journal: what a QA engineer would count at the till. */
export function tally(terminal: SimTerminal) {
  const rs = terminal.runtime.journal.records;
  const sum = (f: (r: (typeof rs)[number]) => number) => rs.reduce((a, r) => a + f(r), 0);
  return {
    printed: rs.filter((r) => r.type === 'print.copy').length,
    charged: sum((r) => (r.type === 'cash.out' ? r.charged : 0)),
    change: sum((r) => (r.type === 'cash.out' ? r.change : 0)),
    refunded: sum((r) => (r.type === 'cash.refunded' ? r.amount : r.type === 'cash.out' ? r.refunded : 0)),
    owed: sum((r) => (r.type === 'refund.slip' ? r.amount : 0)),
  };
}

/** A printed document as text: every field it carries, one per line, as the page shows them. */
export function documentText(doc: IssuedCertificate | Receipt): string {
  if ('title' in doc) {
    return [
      doc.title, doc.issuanceNumber, `${doc.municipality.name} ${doc.municipality.mayor}`,
      ...doc.header.map((f) => `${f.label} ${f.value}`),
      ...doc.people.flatMap((p) => p.map((f) => `${f.label} ${f.value}`)),
      ...(doc.sealImpression ? [doc.sealImpression.text, doc.sealImpression.registrationNumber] : []),
      doc.certification, doc.verificationCode,
    ].join('\n');
  }
  return [
    '利用明細', doc.issuanceNumber, doc.storeName, doc.terminalId,
    ...doc.lines.map((l) => `${l.title} ${l.copies} ${l.unitFee} ${l.printed}`),
    `charged ${doc.charged}`, `inserted ${doc.inserted}`, `change ${doc.change}`, `refunded ${doc.refunded}`,
  ].join('\n');
}

const squash = (s: string) => s.replace(/\s+/g, '');

function checkDocument(what: string, doc: IssuedCertificate | Receipt, e: DocumentExpectation, wrong: string[]): void {
  if (e.title !== undefined && 'title' in doc && doc.title !== e.title) wrong.push(`${what} is titled ${JSON.stringify(doc.title)}, expected ${JSON.stringify(e.title)}`);
  if (e.kind !== undefined && 'kind' in doc && doc.kind !== e.kind) wrong.push(`${what} is a ${doc.kind}, expected ${e.kind}`);
  const body = squash(documentText(doc));
  for (const t of e.contains ?? []) if (!body.includes(squash(t))) wrong.push(`${what} does not carry ${JSON.stringify(t)}`);
  for (const t of e.absent ?? []) if (body.includes(squash(t))) wrong.push(`${what} carries ${JSON.stringify(t)}, expected it absent`);
}

export function check(driver: Pick<Driver, 'terminal' | 'instruments'>, e: Expectation): void {
  const { terminal, instruments } = driver;
  const { runtime } = terminal;
  const c = runtime.context;
  const t = tally(terminal);
  const actual: Record<string, unknown> = {
    screen: runtime.screen, step: runtime.view().step, reason: c.reason, triesLeft: c.triesLeft, pinWrong: runtime.view().pinWrong, warning: c.warning, notice: noticeText(c.notice), language: c.language,
    renewal: runtime.view().renewal?.expiresOn ?? null, registeredFrom: runtime.view().registeredFrom, holder: c.holder?.name ?? null, due: runtime.view().due, inserted: c.inserted, cardPresent: terminal.reader.cardPresent, apdus: instruments.apdus, ...t,
  };
  const wrong: string[] = [];
  for (const [k, want] of Object.entries(e)) {
    if (['unavailable', 'journal', 'document', 'receipt', 'apdusAtMost'].includes(k)) continue;
    if (actual[k] !== want) wrong.push(`${k} is ${JSON.stringify(actual[k])}, expected ${JSON.stringify(want)}`);
  }
  if (e.apdusAtMost !== undefined && instruments.apdus > e.apdusAtMost) wrong.push(`the reader exchanged ${instruments.apdus} APDUs, expected at most ${e.apdusAtMost}`);
  if (e.unavailable) {
    const shown = new Map(certificateChoices(runtime.snapshot).map((x) => [x.id, x.unavailable]));
    for (const [cert, why] of Object.entries(e.unavailable)) {
      const got = shown.get(cert as never) ?? null;
      if (got !== why) wrong.push(`${cert} is ${got ? `unavailable (${got})` : 'available'}, expected ${why ? `unavailable (${why})` : 'available'}`);
    }
  }
  if (e.journal) {
    const records = runtime.journal.records;
    let at = 0;
    for (const want of e.journal) {
      const i = records.findIndex((r, j) => j >= at && Object.entries(want).every(([k, v]) => (r as Record<string, unknown>)[k] === v));
      if (i < 0) {
        const held = records.map((r) => r.type).join(', ') || 'nothing';
        wrong.push(`the journal has no ${JSON.stringify(want)}${at ? ' after the records matched before it' : ''} (it holds: ${held})`);
        break;
      }
      at = i + 1;
    }
  }
  if (e.document) {
    const docs = instruments.certificates;
    const doc = e.document.copy ? docs[e.document.copy - 1] : docs[docs.length - 1];
    if (!doc) wrong.push(e.document.copy ? `no certificate copy ${e.document.copy} was printed (${docs.length} printed)` : 'no certificate was printed');
    else checkDocument(`the certificate${e.document.copy ? ` printed ${e.document.copy}.` : ''} (${doc.title} ${doc.copyIndex}/${doc.copies})`, doc, e.document, wrong);
  }
  if (e.receipt) {
    const receipt = instruments.receipts[instruments.receipts.length - 1];
    if (!receipt) wrong.push('no receipt was printed');
    else checkDocument('the receipt', receipt, e.receipt, wrong);
  }
  if (wrong.length) throw new StepFailure(wrong.join('; '));
}
