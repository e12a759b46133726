// Runs a journey headless: a whole terminal on simulated devices and a simulated clock, driven step by step
// through the same runtime the touch UI uses, checking each expectation as the step's line says.
import { basename, join } from 'node:path';
import type { InspectionEvent } from 'xstate';
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import type { Subtype } from '../../machine/types.ts';
import type { UiInput } from '../runtime.ts';
import { SimClock } from '../clock.ts';
import { SimTerminal, type PrinterChoice, type ReaderChoice } from '../terminal.ts';
import { certificateChoices } from '../view.ts';
import { TAPS, type Expectation, type Journey, type Step } from './format.ts';

export interface StepResult {
  line: number;
  /** The step as written, with a PIN shown as **** */
  step: string;
  screen: string;
  ok: boolean;
  error?: string;
}

export interface JourneyResult {
  file: string;
  name: string;
  passed: boolean;
  failure: { line: number; message: string } | null;
  steps: StepResult[];
  ms: number;
  /** Spooled PDFs, when the spool printer was used. */
  documents: string[];
}

export class StepFailure extends Error {}

export interface RunOptions {
  printer?: PrinterChoice;
  spoolDir?: string;
  /** Called with each line the runtime logs (never a PIN). */
  log?: (line: string) => void;
  /** Folder for the journal and persisted snapshot (in memory when omitted). */
  varDir?: string;
  /** The sim reader (default) or a PC/SC reader through pcscd; with "Virtual PCD 00 0N" the cards go in through vpcd. */
  reader?: ReaderChoice;
  inspect?: (e: InspectionEvent) => void;
  /**
   * The issuance center (e.g. a CenterClient for `kiosk center serve`, or one SimCenter shared by several runs); a
   * fresh SimCenter for this journey when omitted. A journey's `fault: center-down` sets its `online` flag.
   */
  center?: IssuanceCenter;
  /** The terminal id its issuance numbers carry (default K01). */
  terminalId?: string;
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'pin': return 'pin: ****';
    case 'remove-card': return 'remove-card';
    case 'expect': return `expect: ${JSON.stringify(step.expect)}`;
    default: {
      const { kind, ...rest } = step as Step & { line?: number };
      delete (rest as { line?: number }).line;
      const v = Object.values(rest);
      return `${kind}: ${v.length === 1 ? (typeof v[0] === 'object' ? JSON.stringify(v[0]) : String(v[0])) : JSON.stringify(rest)}`;
    }
  }
}

export async function runJourney(journey: Journey, options: RunOptions = {}): Promise<JourneyResult> {
  const started = performance.now();
  const clock = new SimClock(journey.clock);
  // Each journey prints into a folder of its own: journeys start their issuance numbers afresh.
  const spoolDir = options.spoolDir ? join(options.spoolDir, basename(journey.file).replace(/\.ya?ml$/, '')) : undefined;
  const terminal = new SimTerminal({
    clock, printer: options.printer ?? 'null', spoolDir, log: options.log, varDir: options.varDir, inspect: options.inspect, reader: options.reader,
    center: options.center, terminalId: options.terminalId,
  });
  const { runtime } = terminal;
  const steps: StepResult[] = [];
  let failure: JourneyResult['failure'] = null;
  try {
    await terminal.open();
    if (journey.language !== 'ja') {
      // The language switch is offered from step 2 on, but a journey may name the person's language up front.
      runtime.send({ type: 'ui.setLanguage', language: journey.language });
    }
    for (const step of journey.steps) {
      const errorsBefore = runtime.errors.length;
      let error: string | undefined;
      try {
        await perform(terminal, clock, step);
        await runtime.settled();
        const newErrors = runtime.errors.slice(errorsBefore);
        if (newErrors.length) throw new StepFailure(`a device failed: ${newErrors.map((e) => `${e.name}: ${e.message}`).join('; ')}`);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      steps.push({ line: step.line, step: describeStep(step), screen: runtime.screen, ok: !error, error });
      if (error) {
        failure = { line: step.line, message: error };
        break;
      }
    }
  } finally {
    terminal.stop();
  }
  const documents = runtime.journal.records.flatMap((r) => (r.type === 'print.copy' || r.type === 'print.receipt') && r.file ? [r.file] : []);
  return { file: journey.file, name: journey.name, passed: !failure, failure, steps, ms: performance.now() - started, documents };
}

async function perform(terminal: SimTerminal, clock: SimClock, step: Step): Promise<void> {
  const { runtime } = terminal;
  const send = (input: UiInput, what: string) => {
    if (!runtime.can(input)) throw new StepFailure(`${what} is not possible on the ${runtime.screen} screen`);
    runtime.send(input);
  };
  switch (step.kind) {
    case 'tap':
      return send(TAPS[step.tap] as UiInput, `tap ${step.tap}`);
    case 'domicile': {
      const city = terminal.data.municipalities.find((m) => m.code === step.city || m.name === step.city);
      if (!city) throw new StepFailure(`no municipality "${step.city}"`);
      return send({ type: 'ui.selectCity', scope: 'domicile', city: city.code }, `choosing the 本籍地 ${city.name}`);
    }
    case 'language':
      return send({ type: 'ui.setLanguage', language: step.language }, 'switching language');
    case 'insert-card':
      return terminal.insertCard(step.persona);
    case 'remove-card':
      if (!terminal.reader.cardPresent) throw new StepFailure('there is no card on the reader to remove');
      return terminal.removeCard();
    case 'pin':
      try {
        return runtime.submitPin(step.digits);
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
        const r = runtime.insertCash(yen);
        if (!r.accepted && r.reason === 'not-accepting') throw new StepFailure(`the cash box is not taking money on the ${runtime.screen} screen`);
        await runtime.settled();
      }
      return;
    case 'wait':
      return clock.advance(step.seconds * 1000);
    case 'fault':
      return terminal.fault(step.fault);
    case 'paper':
      return terminal.printer.setPaper(step.sheets);
    case 'jam-after':
      return terminal.printer.jamAfter(step.sheets);
    case 'expect':
      return check(terminal, step.expect);
  }
}

function subtypeOf(certificate: string | null, v: Record<string, unknown>, holder: string): Subtype {
  switch (certificate) {
    case 'juminhyo':
    case 'kisai':
      return { kind: 'juminhyo', scope: (v.scope as 'household') ?? 'household', members: (v.members as string[]) ?? [] };
    case 'koseki':
      return { kind: 'koseki', form: (v.form as 'zenbu') ?? 'zenbu', person: (v.person as string) ?? (v.form === 'kojin' ? holder : null) };
    case 'kazei':
      return { kind: 'kazei', year: Number(v.year) };
    case 'fuhyo':
      return { kind: 'fuhyo', person: (v.person as string) ?? holder };
    default:
      throw new StepFailure(`no certificate with a sub-type is chosen (${certificate ?? 'none'})`);
  }
}

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

function check(terminal: SimTerminal, e: Expectation): void {
  const { runtime } = terminal;
  const c = runtime.context;
  const t = tally(terminal);
  const actual: Record<string, unknown> = {
    screen: runtime.screen, reason: c.reason, triesLeft: c.triesLeft, warning: c.warning, notice: c.notice,
    holder: c.holder?.name ?? null, due: runtime.view().due, inserted: c.inserted, ...t,
  };
  const wrong: string[] = [];
  for (const [k, want] of Object.entries(e)) {
    if (k === 'unavailable') continue;
    if (actual[k] !== want) wrong.push(`${k} is ${JSON.stringify(actual[k])}, expected ${JSON.stringify(want)}`);
  }
  if (e.unavailable) {
    const shown = new Map(certificateChoices(runtime.snapshot).map((x) => [x.id, x.unavailable]));
    for (const [cert, why] of Object.entries(e.unavailable)) {
      const got = shown.get(cert as never) ?? null;
      if (got !== why) wrong.push(`${cert} is ${got ? `unavailable (${got})` : 'available'}, expected ${why ? `unavailable (${why})` : 'available'}`);
    }
  }
  if (wrong.length) throw new StepFailure(wrong.join('; '));
}
