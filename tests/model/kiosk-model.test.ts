// Model-based test: the kiosk machine is its own test model. xstate/graph walks it (createTestModel) with the
// stimuli a person and the simulated devices can produce; every shortest path, plus one path for each
// transition those miss, is then executed against the real runtime on simulated devices, with the device work
// released one result at a time so that the screen can be checked after every step. The test counts which of
// the machine's transitions really fired in the runtime and fails below 100%.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { kioskMachine, screenOf } from '../../machine/kiosk-machine.ts';
import type { KioskEvent } from '../../machine/events.ts';
import type { CardSummary, Certificate } from '../../machine/types.ts';
import { holderFacts, householdOfResident, resident as residentById } from '../../center/registry.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { WARNING_SECONDS } from '../../kiosk/runtime.ts';
import type { UiInput } from '../../machine/ui-input.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { allTransitions, transitionKey } from '../../kiosk/journeys/transitions.ts';

type Snapshot = SnapshotFrom<typeof kioskMachine>;
type ModelEvent = KioskEvent & { persona?: string };
type PathStep = { event: ModelEvent | { type: 'xstate.init' }; state: Snapshot };
const INIT = 'xstate.init';

const T = '2026-11-24T10:00:00+09:00'; // a Tuesday, inside every service window
const EARLY = '2026-11-24T06:00:00+09:00';
const data = loadSampleData();

/** The cards the model may place, each with a different fate at card-reading or authentication. */
const PERSONAS = ['kawasaki-taro', 'expired', 'juki-card', 'pin-locked', 'child-14', 'revoked', 'fuchu-resident', 'bunkyo-honseki'] as const;
/** 文京区: bunkyo-honseki's 本籍地 (not where they live), the 本籍地 the model chooses. */
const BUNKYO = '131059';
/** The cards a PIN reset at the kiosk is tried with. */
const RESET_PERSONAS: readonly string[] = ['kawasaki-taro', 'pin-locked', 'expired'];
/** The new PINs a reset types: the second of each pair only when the next step is the mismatch. */
const NEW_PINS = { auth: ['2468', '1357'], sign: ['NEWPW123', 'NEWPW456'] } as const;
/** 府中市's maintenance window (assets/municipalities.json): authentication at this time closes the service. */
const MAINTENANCE = '2026-12-06T09:00:00+09:00';

/** What the real reader stack reads from each persona's card at time T: the model uses the device's own answer. */
async function readSummaries(): Promise<Map<string, CardSummary>> {
  const out = new Map<string, CardSummary>();
  for (const id of PERSONAS) {
    const reader = new SimReader();
    reader.insert(data.makeCard(id, Date.parse(T)));
    const r = await new CardTerminal(reader).read();
    if (r.ok) out.set(id, r.card);
  }
  return out;
}

function modelEvents(summaries: Map<string, CardSummary>) {
  const bySerial = new Map([...summaries].map(([id, c]) => [c.certificate!.serial, id]));
  const personaOf = (s: Snapshot) => bySerial.get(s.context.card?.certificate?.serial ?? '') ?? null;

  return (s: Snapshot): ModelEvent[] => {
    const screen = screenOf(s.value);
    const step = typeof s.value === 'string' ? null : Object.values(s.value as Record<string, string>)[0];
    const c = s.context;
    const always: ModelEvent[] = [{ type: 'timeout' }, { type: 'ui.cancel' }];
    if (c.warning) always.push({ type: 'ui.continue' });
    switch (screen) {
      case 'top':
        return [
          { type: 'ui.start', at: T }, { type: 'ui.start', at: EARLY }, { type: 'ui.otherService', service: 'copy' },
          c.outOfOrder ? { type: 'terminal.inService' } : { type: 'terminal.outOfOrder' }, ...always,
        ];
      case 'government-menu':
        return [
          { type: 'ui.certificateService' }, { type: 'ui.domicileRegistration' }, { type: 'ui.pinResetService' }, { type: 'ui.back' },
          { type: 'ui.setLanguage', language: 'en' }, ...always,
        ];
      case 'advanced-menu':
        return [{ type: 'ui.chooseMedium', medium: 'card' }, { type: 'ui.acceptTerms' }, { type: 'ui.back' }, ...always];
      case 'card-reading':
        return [
          // A PIN reset meets three fates at card-reading: a good card, one whose user PIN is locked, an expired one.
          ...[...summaries].filter(([persona]) => c.service !== 'pin-reset' || RESET_PERSONAS.includes(persona))
            .map(([persona, card]): ModelEvent => ({ type: 'card.read.done', card, at: T, persona })),
          { type: 'card.read.failed', reason: 'card-read-error', persona: 'kawasaki-taro' },
          { type: 'ui.back' }, ...always,
        ];
      case 'city-select':
        return [
          { type: 'ui.selectCity', scope: 'residence' }, { type: 'ui.selectCity', scope: 'domicile' }, { type: 'ui.selectCity', scope: 'domicile', city: BUNKYO },
          { type: 'card.removed' }, ...always,
        ];
      case 'pin-entry': {
        const persona = personaOf(s);
        const fate: ModelEvent[] = [];
        if (step === 'entering') fate.push({ type: 'pin.submitted' }, { type: 'ui.back' });
        if (step === 'verifying') {
          fate.push({ type: 'card.pin.ok' });
          if ((c.triesLeft ?? 3) > 1) fate.push({ type: 'card.pin.wrong', triesLeft: (c.triesLeft ?? 3) - 1 });
          else fate.push({ type: 'card.pin.locked' });
          fate.push({ type: 'card.read.failed', reason: 'card-read-error' });
        }
        if (step === 'authenticating' && persona) {
          const resident = residentById(data.registry, data.persona(persona).resident!);
          fate.push(persona === 'revoked'
            ? { type: 'center.auth.refused', reason: 'certificate-revoked' }
            : {
                type: 'center.auth.done', holder: holderFacts(data.registry, resident),
                // The center answers with the city asked for: the 本籍地 chosen, or where the holder lives.
                city: data.municipalities.find((m) => m.code === (c.scope === 'domicile' && c.cityChoice ? c.cityChoice : householdOfResident(data.registry, resident).city))!,
                at: persona === 'fuchu-resident' ? MAINTENANCE : T,
              });
          fate.push({ type: 'center.unreachable' });
        }
        return [...fate, { type: 'card.removed' }, ...always];
      }
      case 'card-removal':
        return [{ type: 'card.removed' }, ...always];
      case 'pin-reset': {
        const fate: ModelEvent[] = [];
        if (step === 'choosing') fate.push({ type: 'ui.choosePinToReset', pin: 'auth' }, { type: 'ui.choosePinToReset', pin: 'sign' });
        if (step === 'other' || step === 'confirm') fate.push({ type: 'pin.submitted' }, { type: 'ui.back' });
        if (step === 'new') fate.push({ type: 'pin.submitted' });
        if (step === 'checking') {
          // The other PIN's counter: what the card said last, or the persona's (the password's, or the user PIN's).
          const card = data.persona(personaOf(s) ?? 'kawasaki-taro').card;
          const left = c.triesLeft ?? (c.resetPin === 'auth' ? card.signTriesLeft ?? 5 : card.triesLeft ?? 3);
          if (left > 0) fate.push({ type: 'card.pin.ok' });
          fate.push(left > 1 ? { type: 'card.pin.wrong', triesLeft: left - 1 } : { type: 'card.pin.locked' });
          fate.push({ type: 'card.read.failed', reason: 'card-read-error' });
        }
        if (step === 'resetting') {
          fate.push(
            { type: 'card.pin.reset' }, { type: 'pin.mismatch' }, { type: 'center.auth.refused', reason: 'no-reset-reservation' },
            { type: 'center.unreachable' }, { type: 'card.read.failed', reason: 'card-read-error' },
          );
        }
        if (step === 'done') fate.push({ type: 'ui.done' });
        return [...fate, { type: 'card.removed' }, ...always];
      }
      case 'registered':
        if (step === 'sending') {
          return [
            { type: 'center.registration.done', city: BUNKYO, usableFrom: '2026-11-25T15:00:00.000Z' }, { type: 'center.unreachable' }, ...always,
          ];
        }
        // Done: the person may take the card off before tapping done (the session then ends at the top).
        return [{ type: 'ui.done' }, ...(c.cardOnReader ? [{ type: 'card.removed' } as ModelEvent] : []), ...always];
      case 'certificate-select':
        return [...(['juminhyo', 'inkan', 'koseki', 'kisai'] as Certificate[]).map((certificate): ModelEvent => ({ type: 'ui.selectCertificate', certificate, at: T })), ...always];
      case 'type-select':
        return [
          c.certificate === 'koseki'
            ? { type: 'ui.selectType', subtype: { kind: 'koseki', form: 'zenbu', person: null } }
            : { type: 'ui.selectType', subtype: { kind: 'juminhyo', scope: 'self', members: [] } },
          { type: 'ui.selectType', subtype: { kind: 'kazei', year: 2026 } }, // the wrong kind: refused by the guard
          { type: 'ui.back' }, ...always,
        ];
      case 'info-select': {
        const options = { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false };
        return [{ type: 'ui.selectInfo', options }, { type: 'ui.selectInfo', options: { ...options, myNumber: true } }, { type: 'ui.back' }, ...always];
      }
      case 'copies':
        return [{ type: 'ui.selectCopies', copies: 1 }, { type: 'ui.selectCopies', copies: 2 }, { type: 'ui.selectCopies', copies: 11 }, { type: 'ui.back' }, ...always];
      case 'confirm':
        return [
          { type: 'ui.confirm' }, { type: 'ui.back' },
          ...(['certificate-select', 'type-select', 'info-select', 'copies'] as const).map((st): ModelEvent => ({ type: 'ui.correct', step: st })),
          ...always,
        ];
      case 'payment':
        if (step === 'refunding') return [{ type: 'cash.refunded', amount: c.inserted }, ...always];
        return [
          ...(c.inserted === 0 ? [{ type: 'cash.inserted', amount: 100, total: 100 } as ModelEvent] : []),
          { type: 'cash.inserted', amount: 1000, total: c.inserted + 1000 },
          { type: 'cash.rejected', amount: 5, reason: 'not-accepted' },
          ...always,
        ];
      case 'printing':
        if (step === 'working') return [{ type: 'print.progress', printed: 1, total: c.copies }, { type: 'print.done', printed: c.copies }, { type: 'print.failed', reason: 'paper-out', printed: 0 }, ...always];
        if (step === 'payingOut') return [{ type: 'cash.paidOut', amount: 0 }, { type: 'cash.payoutFailed', amount: 0 }, ...always];
        return [{ type: 'ui.done' }, ...always];
      case 'take-card':
        // Only taking the card off ends it; a cancel sent anyway, and the time passing, change nothing.
        return [{ type: 'card.removed' }, ...always];
      default: // end screens: done, or the card taken off first (the session then ends at the top, not take-card)
        return [{ type: 'ui.done' }, ...(c.cardOnReader ? [{ type: 'card.removed' } as ModelEvent] : []), ...always];
    }
  };
}

/** Only what can change the flow is part of a model state; language and notices are not. */
function serialize(s: Snapshot, personaOf: (s: Snapshot) => string | null): string {
  const c = s.context;
  return JSON.stringify([s.value, c.warning, c.triesLeft, personaOf(s), c.medium, c.certificate, c.subtype !== null, c.options !== null,
    c.copies, c.correcting, c.inserted, c.printFailure, c.payout?.failed ?? null, c.reason, c.outOfOrder, c.service, c.cityChoice, c.resetPin, c.cardOnReader]);
}

interface Execution {
  terminal: SimTerminal;
  clock: SimClock;
  fired: Set<string>;
}

function newExecution(fired: Set<string>): Execution {
  const clock = new SimClock(T);
  const terminal = new SimTerminal({
    clock, printer: 'null', holdDeviceWork: true,
    inspect: (e) => {
      if (e.type === '@xstate.microstep') for (const t of (e as unknown as { _transitions: Parameters<typeof transitionKey>[0][] })._transitions) fired.add(transitionKey(t));
    },
  });
  return { terminal, clock, fired };
}

/** Makes the simulated world produce `event`, the way a person or a device would. */
async function execute(x: Execution, event: ModelEvent, next: ModelEvent | undefined, persona: string | null): Promise<void> {
  const { terminal, clock } = x;
  const { runtime } = terminal;
  // The model's times are T, before opening, and a maintenance window; the world's clock jumps there when an
  // event needs it (a jump fires no timer: the screen that follows arms its own).
  if ('at' in event && Math.abs(Date.parse(event.at) - clock.nowMs()) > 3600_000) clock.set(event.at);
  switch (event.type) {
    case 'timeout': {
      const meta = runtime.snapshot.getMeta() as Record<string, { timeout?: number }>;
      const seconds = runtime.context.warning ? WARNING_SECONDS : meta[`kiosk.${runtime.screen}`]?.timeout ?? 0;
      clock.advance(seconds * 1000);
      break;
    }
    case 'pin.submitted': {
      const card = data.persona(persona ?? 'kawasaki-taro').card;
      const reset = runtime.context.resetPin;
      if (runtime.screen === 'pin-reset' && reset) {
        const step = runtime.view().step;
        if (step === 'other') {
          // The other PIN: right for card.pin.ok, wrong otherwise.
          const right = reset === 'auth' ? card.signPin! : card.pin!;
          runtime.submitPin(next?.type === 'card.pin.ok' ? right : reset === 'auth' ? 'WRONG999' : right === '0000' ? '1111' : '0000');
        } else {
          runtime.submitPin(NEW_PINS[reset][step === 'confirm' && next?.type === 'pin.mismatch' ? 1 : 0]);
        }
        break;
      }
      const pin = card.pin!;
      // The PIN's fate is the next step's: a right PIN for card.pin.ok, a wrong one otherwise.
      runtime.submitPin(next?.type === 'card.pin.ok' ? pin : pin === '0000' ? '1111' : '0000');
      break;
    }
    case 'card.read.done':
      await terminal.insertCard(event.persona!);
      await runtime.releaseDeviceWork('reader.readCard');
      break;
    case 'card.read.failed':
      if (runtime.screen === 'card-reading') {
        await terminal.insertCard(event.persona ?? 'kawasaki-taro');
        terminal.card!.failNext('garbled');
        await runtime.releaseDeviceWork('reader.readCard');
      } else {
        terminal.card!.failNext('mute');
        await runtime.releaseDeviceWork(runtime.heldDeviceWork.includes('reader.resetPin') ? 'reader.resetPin' : 'reader.verifyPin');
      }
      break;
    // The reservation of the JPKI app, made just before the kiosk asks the center (the card's other PIN was just
    // verified, so its counter is full and the app changes nothing on the card).
    case 'card.pin.reset': {
      const reset = runtime.context.resetPin!;
      const card = data.persona(persona ?? 'kawasaki-taro').card;
      terminal.counter!.reservePinReset({ card: terminal.cardId!, pin: reset, other: reset === 'auth' ? card.signPin! : card.pin! });
      await runtime.releaseDeviceWork('reader.resetPin');
      break;
    }
    case 'pin.mismatch':
      await runtime.releaseDeviceWork('reader.resetPin');
      break;
    case 'card.removed':
      await terminal.removeCard();
      break;
    case 'card.pin.ok':
    case 'card.pin.wrong':
    case 'card.pin.locked':
      await runtime.releaseDeviceWork('reader.verifyPin');
      break;
    case 'center.auth.done':
    case 'center.auth.refused':
      // A PIN reset with no reservation is refused by the center.
      await runtime.releaseDeviceWork(runtime.heldDeviceWork.includes('reader.resetPin') ? 'reader.resetPin' : 'center.authenticate');
      break;
    case 'center.unreachable': {
      const held = runtime.heldDeviceWork;
      const work = held.includes('center.registerDomicile') ? 'center.registerDomicile' : held.includes('reader.resetPin') ? 'reader.resetPin' : 'center.authenticate';
      terminal.fault('center-down');
      await runtime.releaseDeviceWork(work);
      terminal.fault('center-up');
      break;
    }
    case 'center.registration.done':
      await runtime.releaseDeviceWork('center.registerDomicile');
      break;

    case 'cash.inserted':
    case 'cash.rejected':
      runtime.insertCash(event.amount);
      break;
    case 'cash.refunded':
      await runtime.releaseDeviceWork('cash.refund');
      break;
    case 'print.progress':
    case 'print.done':
      if (runtime.heldDeviceWork.includes('print.start')) await runtime.releaseDeviceWork('print.start');
      break;
    case 'print.failed':
      terminal.fault('paper-jam');
      await runtime.releaseDeviceWork('print.start');
      terminal.fault('printer-online');
      break;
    case 'cash.paidOut':
      await runtime.releaseDeviceWork('cash.payout');
      break;
    // Staff take the terminal out of service, and put it back (the runtime checks its devices first).
    case 'terminal.outOfOrder':
      await terminal.fault('out-of-service');
      break;
    case 'terminal.inService':
      await terminal.fault('resume-service');
      break;
    case 'cash.payoutFailed': {
      const tubes = terminal.cashBox.status().tubes;
      terminal.fault('change-empty');
      await runtime.releaseDeviceWork('cash.payout');
      terminal.cashBox.setTubes(tubes);
      break;
    }
    default: {
      const { at: _at, ...input } = event as ModelEvent & { at?: string };
      runtime.send(input as UiInput);
    }
  }
  await runtime.settled();
}

const summaries = await readSummaries();

describe('model-based: every path of the kiosk machine, executed on simulated devices', () => {
  const bySerial = new Map([...summaries].map(([id, c]) => [c.certificate!.serial, id]));
  const personaOf = (s: Snapshot) => bySerial.get(s.context.card?.certificate?.serial ?? '') ?? null;
  const events = modelEvents(summaries);
  // xstate/graph adds a bare { type } for every event a state handles that the list leaves out; a bare device
  // event (no reason, no holder) is nothing a device can send, so only the listed stimuli are walked.
  const listed = (s: Snapshot, e: ModelEvent) => events(s).some((x) => JSON.stringify(x) === JSON.stringify(e));
  const model = createTestModel(kioskMachine, {
    events, filterEvents: (s, e) => listed(s as Snapshot, e as ModelEvent), serializeState: (s) => serialize(s as Snapshot, personaOf),
  });

  // Shortest paths reach every state (those that are a prefix of a longer one are left out); a transition that
  // only loops or rejoins a known state needs one more path: the shortest path to its source state, then its event.
  const shortest = model.getShortestPaths();
  const toState = new Map(model.getShortestPaths({ allowDuplicatePaths: true }).map((p) => [serialize(p.state as Snapshot, personaOf), p]));
  const planned = new Set<string>();
  for (const p of shortest) {
    // A step holds the state after its event, so a transition is read off the step before it and this event.
    p.steps.slice(1).forEach((st, i) => {
      for (const t of kioskMachine.getTransitionData(p.steps[i].state as Snapshot, st.event)) planned.add(transitionKey(t));
    });
  }
  const extra: Array<{ steps: PathStep[] }> = [];
  const adjacency = model.getAdjacencyMap();
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    for (const { event, state: nextState } of Object.values(transitions) as Array<{ event: ModelEvent; state: Snapshot }>) {
      const keys = kioskMachine.getTransitionData(state as Snapshot, event).map(transitionKey);
      if (!keys.length || keys.every((k) => planned.has(k))) continue;
      const base = toState.get(key);
      if (!base) continue;
      keys.forEach((k) => planned.add(k));
      extra.push({ steps: [...(base.steps as PathStep[]), { event, state: nextState }] });
    }
  }
  const paths = [...shortest.map((p) => ({ steps: p.steps as PathStep[] })), ...extra];
  const fired = new Set<string>();
  const all = allTransitions(kioskMachine);

  it(`plans ${paths.length} paths (${shortest.length} shortest reaching all ${Object.keys(adjacency).length} states, ${extra.length} for the remaining transitions)`, () => {
    const reached = new Set(shortest.flatMap((p) => p.steps.map((st) => serialize(st.state as Snapshot, personaOf))));
    expect(reached.size).toBe(Object.keys(adjacency).length);
  });

  it.each(paths.map((p, i) => [i + 1, p.steps.filter((s) => s.event.type !== INIT).map((s) => s.event.type).join(' → ') || '(initial)', p] as const))(
    'path %i: %s',
    async (_i, _desc, path) => {
      const x = newExecution(fired);
      try {
        const steps = path.steps.filter((s): s is { event: ModelEvent; state: Snapshot } => s.event.type !== INIT);
        expect(x.terminal.runtime.screen).toBe('top');
        for (let i = 0; i < steps.length; i++) {
          const { event, state } = steps[i];
          await execute(x, event, steps[i + 1]?.event, personaOf(state) ?? personaOf(steps[i - 1]?.state ?? state));
          const sut = x.terminal.runtime;
          expect(sut.errors.map((e) => e.message)).toEqual([]);
          expect({ step: i + 1, event: event.type, screen: sut.screen, warning: sut.context.warning })
            .toEqual({ step: i + 1, event: event.type, screen: screenOf(state.value), warning: state.context.warning });
          if (screenOf(state.value) === 'refused' || screenOf(state.value) === 'pin-locked') expect(sut.context.reason).toBe(state.context.reason);
        }
      } finally {
        x.terminal.stop();
      }
    },
  );

  afterAll(() => {
    const missed = [...all].filter((k) => !fired.has(k));
    const line = `model-based coverage: ${all.size - missed.length}/${all.size} transitions (${(((all.size - missed.length) / all.size) * 100).toFixed(1)}%) over ${paths.length} paths`;
    console.log(line + (missed.length ? `\n  not covered:\n    ${missed.join('\n    ')}` : ''));
  });

  it('covers 100% of the machine\'s transitions in the runtime', () => {
    // Runs last (vitest runs a file's tests in order): by now every path has run.
    const missed = [...all].filter((k) => !fired.has(k));
    expect(missed).toEqual([]);
  });
});
