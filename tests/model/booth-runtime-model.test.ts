// Model-based test of the photo booth at the runtime: the machine is walked breadth-first, as in booth-model.test.ts,
// but only with what the booth's real parts can do (a coin, a form held to the scanner, a pose, a fault, a clock that
// runs on, staff taking the booth out of service) and with the device work the runtime holds back answered one piece
// at a time. For every transition of the machine, the shortest walk that fires it is then executed on a BoothRuntime
// with its simulated devices and J-LIS in process (its forms printed, its birth dates checked), and after every step
// the runtime must show what the model shows, the cash box must hold what the model says it keeps, and the test
// fails below 100% of the transitions fired in the runtime.
import { createActor, type SnapshotFrom } from 'xstate';
import { afterAll, describe, expect, it } from 'vitest';
import { SimCenter } from '../../center/sim-center.ts';
import { ScriptedCenter } from '../../center/scripted-center.ts';
import type { CardApplicationRequest, FormAnswer, FormCheckRequest, IssuanceCenter } from '../../center/issuance-center.ts';
import { BOOTH_TIMEOUTS, boothMachine, boothScreenOf } from '../../machine/booth/booth-machine.ts';
import type { BoothCommand, BoothEvent } from '../../machine/booth/types.ts';
import { BoothRuntime, SimSlipPrinter } from '../../kiosk/booth/booth-runtime.ts';
import { SimCamera, SimQrScanner } from '../../kiosk/booth/devices.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { FULL_TUBES, SimCashBox } from '../../kiosk/devices/cash-box.ts';
import { WARNING_SECONDS } from '../../kiosk/runtime.ts';
import { machineTransitions, microstep, transitionKey } from '../../kiosk/journeys/transitions.ts';
import { APPLICATION_SITE } from '../../printer/layout/application-form.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

type Snapshot = SnapshotFrom<typeof boothMachine>;
type Held = BoothCommand['type'];
/** One step of a walk: a person's or staff's act, or the answer to the oldest held work of a kind (`via`). */
interface Step {
  event: BoothEvent | null;
  via?: Held;
}
interface Node {
  persisted: unknown;
  held: Held[];
  path: Step[];
}

const MONDAY = '2026-12-07T10:00:00+09:00';
const MODEL_FORM = '0'.repeat(23);
const GOOD = { face: true, centred: true, lit: true, plainBackground: true };
const DARK = { face: true, centred: true, lit: false, plainBackground: true };
const ANSWERED: ReadonlySet<Held> = new Set(['center.checkForm', 'camera.capture', 'center.apply', 'print.slip', 'cash.refund', 'cash.payout']);

/** What a person, staff and the clock can do on this screen, and how the held work can be answered. */
function stimuli(s: Snapshot, held: Held[]): Step[] {
  const c = s.context;
  const screen = boothScreenOf(s.value);
  const out: Step[] = [];
  const ui = (...events: BoothEvent[]) => out.push(...events.map((event) => ({ event })));
  const leave: BoothEvent[] = [{ type: 'ui.cancel' }, { type: 'timeout' }, ...(c.warning ? [{ type: 'ui.continue' } as const] : [])];
  const money = held.some((h) => h === 'cash.refund' || h === 'cash.payout');
  switch (screen) {
    case 'top':
      ui({ type: 'ui.start' }, c.outOfOrder ? { type: 'terminal.inService' } : { type: 'terminal.outOfOrder' });
      break;
    case 'payment':
      ui({ type: 'cash.inserted', amount: 500, total: c.inserted + 500 }, { type: 'cash.inserted', amount: 5000, total: c.inserted + 5000 }, ...leave);
      break;
    case 'scan':
      if (s.matches({ session: { scan: 'reading' } })) ui({ type: 'qr.scanned', text: `${APPLICATION_SITE}${MODEL_FORM}` }, { type: 'qr.scanned', text: 'https://example.com/' });
      ui(...leave);
      break;
    case 'birth-date':
      if (s.matches({ session: { 'birth-date': 'entering' } })) ui({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' });
      ui(...leave);
      break;
    case 'options':
      ui({ type: 'ui.setOptions', certificates: true, braille: false }, ...leave);
      break;
    case 'photo':
      if (s.matches({ session: { photo: 'review' } })) ui({ type: 'ui.acceptPhoto' }, { type: 'ui.retakePhoto' });
      if (s.matches({ session: { photo: 'ready' } })) ui({ type: 'ui.takePhoto' });
      ui(...leave);
      break;
    case 'confirm':
      if (!s.matches('sending')) ui({ type: 'ui.confirm' }, { type: 'ui.back' }, ...leave);
      break;
    default:
      // The session's last screen: left only once the money has gone back (the runtime does that at once).
      if (!money && !s.matches({ done: 'printing' })) ui({ type: 'ui.done' }, { type: 'timeout' });
  }
  if (screen !== 'top') ui(c.outOfOrder ? { type: 'terminal.inService' } : { type: 'terminal.outOfOrder' });
  const pending = c.inserted - c.returned - c.charged - c.owed;
  for (const via of new Set(held)) {
    const answer = (...events: Array<BoothEvent | null>) => out.push(...events.map((event) => ({ event, via })));
    if (via === 'center.checkForm') {
      answer({ type: 'center.form.ok' }, { type: 'center.form.refused', reason: 'form-used' }, { type: 'center.unreachable' });
      if (s.matches({ session: { 'birth-date': 'checking' } })) answer({ type: 'center.birthDate.wrong' });
    }
    if (via === 'camera.capture') answer({ type: 'camera.taken', checks: GOOD, sha256: '' }, { type: 'camera.taken', checks: DARK, sha256: '' }, { type: 'camera.failed' });
    if (via === 'center.apply') answer({ type: 'center.application.done', application: 0, arrivesOn: '' }, { type: 'center.form.refused', reason: 'form-used' }, { type: 'center.unreachable' });
    if (via === 'print.slip') answer({ type: 'print.done' }, { type: 'print.failed' });
    if (via === 'cash.refund') answer({ type: 'cash.refunded', amount: pending });
    if (via === 'cash.payout') {
      const change = c.inserted - c.settings.photoFee;
      if (change > 0) answer({ type: 'cash.paidOut', amount: change }, { type: 'cash.payoutFailed', amount: change });
      else answer(null);
    }
  }
  return out;
}

/** What a state is for the walk: the flow, the money, the work held. */
const keyOf = (s: Snapshot, held: Held[]) => {
  const c = s.context;
  return JSON.stringify([s.value, c.warning, Math.min(c.inserted, 6000), c.returned, c.charged, c.owed, c.birthDateTries, c.birthDateWrong, c.photoTries,
    c.photo?.checks.lit ?? null, c.reason, c.outOfOrder, c.notice, c.application !== null, held]);
};

/** One step on the pure machine: the snapshot after it, the held work after it, the transitions it fired. */
function advance(node: Node, step: Step): { snapshot: Snapshot; held: Held[]; fired: string[] } {
  const fired: string[] = [];
  const held = [...node.held];
  if (step.via) held.splice(held.indexOf(step.via), 1);
  const actor = createActor(boothMachine, {
    input: {}, snapshot: node.persisted as never,
    inspect: (e) => microstep(e)?.transitions.forEach((t) => fired.push(transitionKey(t))),
  });
  actor.on('*', (command) => {
    const type = (command as BoothCommand).type;
    if (type === 'session.end') held.length = 0;
    else if (ANSWERED.has(type)) held.push(type);
  });
  actor.start();
  if (step.event) actor.send(step.event);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return { snapshot, held, fired };
}

/** The breadth-first walk: for every transition, the first (shortest) walk that fires it. */
function plan(): { walks: Map<string, Step[]>; states: number } {
  const start = createActor(boothMachine, { input: {} }).start();
  const first: Node = { persisted: start.getPersistedSnapshot(), held: [], path: [] };
  const seen = new Set([keyOf(start.getSnapshot(), [])]);
  start.stop();
  const walks = new Map<string, Step[]>();
  const queue = [first];
  while (queue.length) {
    const node = queue.shift()!;
    const before = createActor(boothMachine, { input: {}, snapshot: node.persisted as never }).getSnapshot();
    for (const step of stimuli(before, node.held)) {
      const { snapshot, held, fired } = advance(node, step);
      const path = [...node.path, step];
      for (const t of fired) if (!walks.has(t)) walks.set(t, path);
      const key = keyOf(snapshot, held);
      if (seen.has(key)) continue;
      seen.add(key);
      const a = createActor(boothMachine, { input: {}, snapshot: node.persisted as never }).start();
      if (step.event) a.send(step.event);
      queue.push({ persisted: a.getPersistedSnapshot(), held, path });
      a.stop();
    }
  }
  return { walks, states: seen.size };
}

/** J-LIS in process, whose next answer to a booth can be a refusal the real one gives (as ScriptedCenter's unreachable). */
class ModelCenter extends ScriptedCenter {
  refuseNext = false;

  override async checkForm(args: FormCheckRequest): Promise<FormAnswer> {
    if (!this.refuseNext) return super.checkForm(args);
    this.refuseNext = false;
    return { ok: false, reason: 'form-used' };
  }

  override async applyForCard(args: CardApplicationRequest): ReturnType<IssuanceCenter['applyForCard']> {
    if (!this.refuseNext) return super.applyForCard(args);
    this.refuseNext = false;
    return { ok: false, reason: 'form-used' };
  }
}

const data = loadSampleData();
/** Residents a form can be printed for and an application taken from (one per session, so that no form is used twice). */
const APPLICANTS = (() => {
  const sim = new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: new SimClock(MONDAY), signCa: data.signCa.certificate });
  return [...data.registry.residents.keys()].filter((id) => {
    try {
      return !!sim.applications.check(sim.applications.printForm(id).id);
    } catch {
      return false;
    }
  });
})();

/** Executes a walk on a BoothRuntime; returns the transitions it fired there. */
async function execute(walk: Step[]): Promise<Set<string>> {
  const fired = new Set<string>();
  const clock = new SimClock(MONDAY);
  const sim = new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock, signCa: data.signCa.certificate });
  const center = new ModelCenter(sim.connectLocal('B01'));
  const cashBox = new SimCashBox(FULL_TUBES);
  const scanner = new SimQrScanner();
  const camera = new SimCamera();
  const printer = new SimSlipPrinter();
  const runtime = new BoothRuntime({
    clock, center, cashBox, scanner, camera, printer, terminalId: 'B01', holdDeviceWork: true,
    inspect: (e) => microstep(e)?.transitions.forEach((t) => fired.add(transitionKey(t))),
  });
  const start = createActor(boothMachine, { input: {} }).start();
  let node: Node = { persisted: start.getPersistedSnapshot(), held: [], path: [] };
  start.stop();
  let applicant = -1;
  let form = '';
  /** What the sessions that ended took in and handed back. */
  const ended = { inserted: 0, returned: 0 };
  try {
    for (const [i, step] of walk.entries()) {
      const e = step.event;
      const where = `step ${i + 1} (${step.via ? `${step.via} → ` : ''}${e?.type ?? 'no answer'}) on ${runtime.screen}`;
      if (step.via) {
        if (e?.type === 'center.unreachable') center.answerNext('unreachable');
        if (e?.type === 'center.form.refused') center.refuseNext = true;
        if (e?.type === 'camera.taken') camera.pose(e.checks.lit ? 'good' : 'dark');
        if (e?.type === 'camera.failed') camera.failNext();
        if (step.via === 'print.slip') printer.paperOut = e?.type === 'print.failed';
        cashBox.setTubes(e?.type === 'cash.payoutFailed' ? { 1000: 0, 500: 0, 100: 0, 50: 0, 10: 0 } : FULL_TUBES);
        await runtime.releaseDeviceWork(step.via);
      } else if (e!.type === 'ui.start') {
        // Each session applies on a form of its own, printed for the next resident.
        applicant += 1;
        form = sim.applications.printForm(APPLICANTS[applicant % APPLICANTS.length]).id;
        runtime.send(e as never);
      } else if (e!.type === 'cash.inserted') {
        expect(runtime.insertCash(e!.amount), where).toBe(true);
      } else if (e!.type === 'qr.scanned') {
        scanner.present(e!.text.replace(MODEL_FORM, form));
      } else if (e!.type === 'ui.enterBirthDate') {
        // The date the next answer asks for: the form's person's, or a wrong one.
        const answer = walk.slice(i + 1).find((s) => s.via === 'center.checkForm');
        const right = sim.applications.formDocument(sim.life.records.form(form)!, data.municipalities).birthDate;
        runtime.send({ type: 'ui.enterBirthDate', birthDate: answer?.event?.type === 'center.birthDate.wrong' ? '1900-01-01' : right });
      } else if (e!.type === 'timeout') {
        const c = runtime.snapshot.context;
        clock.advance((c.warning ? WARNING_SECONDS : BOOTH_TIMEOUTS[runtime.screen]) * 1000);
      } else if (e!.type === 'terminal.outOfOrder') {
        runtime.takeOutOfService('staff took the booth out of service');
      } else if (e!.type === 'terminal.inService') {
        runtime.resumeService();
      } else {
        runtime.send(e as never);
      }
      await runtime.settled();
      const before = createActor(boothMachine, { input: {}, snapshot: node.persisted as never }).getSnapshot();
      const next = advance(node, step);
      const a = createActor(boothMachine, { input: {}, snapshot: node.persisted as never }).start();
      if (step.event) a.send(step.event);
      node = { persisted: a.getPersistedSnapshot(), held: next.held, path: [] };
      a.stop();
      if (boothScreenOf(next.snapshot.value) === 'top' && boothScreenOf(before.value) !== 'top') {
        ended.inserted += before.context.inserted;
        ended.returned += before.context.returned;
      }
      const m = next.snapshot.context;
      const r = runtime.snapshot.context;
      const pick = (c: typeof m) => ({
        screen: boothScreenOf(c === m ? next.snapshot.value : runtime.snapshot.value), warning: c.warning, reason: c.reason, notice: c.notice, inserted: c.inserted, returned: c.returned,
        charged: c.charged, owed: c.owed, birthDateTries: c.birthDateTries, birthDateWrong: c.birthDateWrong, photoTries: c.photoTries, checks: c.photo?.checks ?? null,
        outOfOrder: c.outOfOrder, applied: c.application !== null,
      });
      expect(pick(r), where).toEqual(pick(m));
      expect([...runtime.heldDeviceWork].sort(), where).toEqual([...next.held].sort());
      // The cash box against the model: every yen the model counts in was taken, every yen it counts back was handed back.
      const { accepted, returned, paidOut } = cashBox.counters;
      expect({ accepted, handedBack: returned + paidOut }, where).toEqual({ accepted: ended.inserted + m.inserted, handedBack: ended.returned + m.returned });
    }
  } finally {
    runtime.stop();
  }
  return fired;
}

describe('the photo booth runtime, walked by its machine on simulated devices and J-LIS', () => {
  const { walks, states } = plan();
  const all = machineTransitions(boothMachine).map((t) => t.key);
  const fired = new Set<string>();
  // Each transition keeps its own shortest walk; walks that are the same are run once.
  const unique = [...new Map([...walks.values()].map((w) => [JSON.stringify(w), w])).values()];

  it(`plans walks for every transition (${states} states, ${unique.length} walks)`, () => {
    expect(all.filter((t) => !walks.has(t))).toEqual([]);
  });

  it.each(unique.map((w, i) => [i + 1, w.map((s) => (s.via ? `${s.via}→${s.event?.type ?? '-'}` : s.event!.type)).join(' '), w] as const))('walk %i: %s', async (_i, _d, walk) => {
    for (const t of await execute(walk)) fired.add(t);
  });

  afterAll(() => {
    if (process.env.BOOTH_MODEL_FIGURES) console.log(`booth runtime model: ${states} states, ${unique.length} walks, ${fired.size}/${all.length} transitions`);
  });

  it('fires 100% of the machine\'s transitions in the runtime', () => {
    expect(all.filter((t) => !fired.has(t))).toEqual([]);
  });
});
