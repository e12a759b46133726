// Journeys generated from the machine's graph. The kiosk machine is walked with xstate/graph at the grain of journey
// steps: each edge is one step a journey can write (a tap, a card, a PIN, cash, a wait, a fault, held device work),
// and the state after it is what the machine does with the events that step makes the person and the simulated
// devices send (a PIN step is pin.submitted, then the card's answer, then the center's). Shortest paths to every
// state, plus one path for each transition those miss, are the candidates; a greedy cover keeps the fewest that
// together fire every transition of the machine. Each becomes a journey file that `kiosk journey run` runs, with
// the screen the machine predicts after every step as an expectation.
import { X509Certificate } from 'node:crypto';
import { createActor, fromTransition, initialTransition, type SnapshotFrom } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import { holderFacts, householdOfResident, resident as residentById } from '../../center/registry.ts';
import { kioskMachine, screenOf } from '../../machine/kiosk-machine.ts';
import type { KioskEvent } from '../../machine/events.ts';
import { settlement } from '../../machine/rules/money.ts';
import { afterBusinessDays } from '../../machine/rules/card-life.ts';
import { DOMICILE_APPROVAL_DAYS } from '../../center/sim-center.ts';
import type { CardSummary, Certificate } from '../../machine/types.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { JpkiClient } from '../../reader/jpki-client.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { WARNING_SECONDS } from '../runtime.ts';
import { TAPS, type Tap } from './format.ts';
import { allTransitions, microstep, stateOf, transitionKey } from './transitions.ts';

type MachineSnapshot = SnapshotFrom<typeof kioskMachine>;

/** The journeys' times: a Tuesday inside every service window, before opening, and 府中市's maintenance window. */
export const TIMES = { T: '2026-11-24T10:00:00+09:00', EARLY: '2026-11-24T06:00:00+09:00', MAINT: '2026-12-06T09:00:00+09:00' } as const;
type Time = keyof typeof TIMES;

/** The cards the graph may place, each with a different fate at card reading or authentication. */
export const GENERATION_PERSONAS = ['kawasaki-taro', 'expired', 'juki-card', 'pin-locked', 'child-14', 'revoked', 'fuchu-resident', 'bunkyo-honseki'] as const;
/** The 本籍地 a generated journey chooses: bunkyo-honseki's (文京区), another city than where they live. */
const DOMICILE = { code: '131059', name: '文京区' } as const;
type Persona = (typeof GENERATION_PERSONAS)[number];
/** The cards a PIN reset at the kiosk is tried with: a good card, one whose user PIN is locked, an expired one. */
const RESET_PERSONAS: readonly Persona[] = ['kawasaki-taro', 'pin-locked', 'expired'];
/** The new PIN a reset types, and the other one typed to make the second entry differ. */
const NEW_PINS = { auth: ['2468', '1357'], sign: ['NEWPW123', 'NEWPW456'] } as const;

/** One journey step, as the graph's event. */
export type GenEvent =
  | { type: 'tap'; tap: Tap; at?: Time }
  | { type: 'tap-ignored'; tap: 'cancel' }
  | { type: 'language'; language: 'en' }
  | { type: 'insert'; persona: Persona }
  | { type: 'remove' }
  | { type: 'pin'; right: boolean; at?: Time }
  | { type: 'certificate'; certificate: Certificate }
  | { type: 'type'; value: 'self' | 'zenbu' }
  | { type: 'info' }
  | { type: 'copies'; copies: number }
  | { type: 'correct'; step: 'certificate-select' | 'type-select' | 'info-select' | 'copies' }
  | { type: 'cash'; yen: number }
  | { type: 'wait' }
  | { type: 'fault'; fault: 'card-garbled' | 'card-mute' | 'center-down' | 'paper-jam' | 'change-empty' | 'out-of-service' | 'resume-service' }
  | { type: 'pull'; during: 'pin' | 'sign' }
  | { type: 'domicile' }
  /** The JPKI app's reservation of a reset of the user PIN (a counter step: reserve-pin-reset). */
  | { type: 'reserve' }
  | { type: 'hold'; work: 'print' | 'refund' | 'registration' }
  | { type: 'release'; work: 'print' | 'refund' | 'registration' };

/** Where the journey is: the machine's snapshot and what the simulated world holds. */
export interface GenState {
  m: MachineSnapshot;
  /** The card on the reader, and its PIN's tries left. */
  card: Persona | null;
  tries: number;
  /** The counters (PIN tries, signature password tries) of cards taken off in this journey, where not as made. */
  left: Partial<Record<Persona, [number, number]>>;
  /** The signature password's tries left, and the PIN whose reset the JPKI app reserved (used by a reset). */
  signTries: number;
  reserved: 'auth' | null;
  /** A PIN reset was tried in this journey: it ends when that session does (the graph stays small). */
  resetDone: boolean;
  /** Faults and held work waiting for the step that meets them. */
  garble: boolean;
  mute: boolean;
  centerDown: boolean;
  pull: 'pin' | 'sign' | null;
  jam: boolean;
  holdPrint: boolean;
  holdRefund: boolean;
  /** The 本籍地 registration's answer is held back (a fault may strike before it). */
  holdRegistration: boolean;
  /** The change tubes were emptied: the journey ends when the session does. */
  changeEmpty: boolean;
  /** Coins and bills inserted in this payment (after the tubes were emptied, the changer pays only from these). */
  coins: number[];
  clock: Time;
  /** The last step: its journey lines and the transitions it fired (not part of the state's identity). */
  lines: string[];
  fired: string[];
}

interface World {
  summaries: Map<Persona, CardSummary>;
  pins: Map<Persona, string>;
  bySerial: Map<string, Persona>;
}

/** What each card says when read, read from the persona's real virtual card through the real JPKI client. */
async function world(): Promise<World> {
  const data = loadSampleData();
  const summaries = new Map<Persona, CardSummary>();
  const pins = new Map<Persona, string>();
  for (const id of GENERATION_PERSONAS) {
    const reader = new SimReader();
    reader.insert(data.makeCard(id, Date.parse(TIMES.T)));
    const client = new JpkiClient(reader.connect());
    const token = await client.readToken();
    const der = token === null ? null : await client.readAuthCertificate();
    const cert = der ? new X509Certificate(der) : null;
    summaries.set(id, {
      token,
      certificate: cert ? { serial: cert.serialNumber, notBefore: new Date(cert.validFrom).toISOString(), notAfter: new Date(cert.validTo).toISOString() } : null,
      triesLeft: token === null ? 0 : await client.authPinTriesLeft(),
    });
    pins.set(id, data.persona(id).card.pin ?? '0000');
  }
  return { summaries, pins, bySerial: new Map([...summaries].filter(([, s]) => s.certificate).map(([id, s]) => [s.certificate!.serial, id])) };
}

const seconds = (s: MachineSnapshot): number => {
  const meta = s.getMeta() as Record<string, { timeout?: number } | undefined>;
  return s.context.warning ? WARNING_SECONDS : meta[`kiosk.${screenOf(s.value)}`]?.timeout ?? 0;
};

function makeReducer(w: World) {
  const data = loadSampleData();
  const OPTIONS = { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false };

  /** Runs events through the machine from `s` (restored, so no entry action runs again); collects the transitions. */
  function apply(s: MachineSnapshot, events: KioskEvent[], fired: string[]): MachineSnapshot {
    if (!events.length) return s;
    const actor = createActor(kioskMachine, { snapshot: kioskMachine.getPersistedSnapshot(s) } as never);
    actor.system.inspect((e) => {
      for (const t of microstep(e)?.transitions ?? []) fired.push(transitionKey(t));
    });
    actor.start();
    for (const e of events) actor.send(e);
    const next = actor.getSnapshot();
    actor.stop();
    return next;
  }

  return (g: GenState, e: GenEvent): GenState => {
    const n: GenState = { ...g, lines: [], fired: [] };
    const at = () => TIMES[n.clock];
    const step = (line: string) => n.lines.push(line);
    const send = (...events: KioskEvent[]) => {
      n.m = apply(n.m, events, n.fired);
    };
    const screen = () => screenOf(n.m.value);
    const sub = () => stateOf(n.m.value);
    /** The card leaves the reader with its counters, as the card store keeps them. */
    const leave = () => {
      const p = n.card!;
      const fresh = n.tries === w.summaries.get(p)!.triesLeft && n.signTries === (data.persona(p).card.signTriesLeft ?? 5);
      n.left = { ...n.left };
      if (fresh) delete n.left[p];
      else n.left[p] = [n.tries, n.signTries];
      n.card = null;
    };
    const read = () => {
      send({ type: 'card.placed' });
      if (n.garble) {
        n.garble = false;
        return send({ type: 'card.read.failed', reason: 'card-read-error' });
      }
      send({ type: 'card.read.done', card: { ...w.summaries.get(n.card!)!, triesLeft: n.tries }, at: at() });
    };
    /** After a step, the devices finish what they can: a refund, the printing and the payout. */
    const devices = () => {
      if (sub() === 'payment.refunding' && !n.holdRefund) send({ type: 'cash.refunded', amount: n.m.context.inserted });
      if (sub() === 'registered.sending' && !n.holdRegistration) {
        if (n.centerDown) {
          n.centerDown = false;
          send({ type: 'center.unreachable' });
          step('fault: center-up');
        } else {
          send({ type: 'center.registration.done', city: DOMICILE.code, usableFrom: afterBusinessDays(data.municipalities.find((m) => m.code === DOMICILE.code)!, at(), DOMICILE_APPROVAL_DAYS) });
        }
      }
      if (sub() === 'printing.working' && !n.holdPrint) {
        const c = n.m.context;
        if (n.jam) {
          send({ type: 'print.failed', reason: 'paper-jam', printed: 0 });
        } else {
          for (let i = 1; i <= c.copies; i++) send({ type: 'print.progress', printed: i, total: c.copies });
          send({ type: 'print.done', printed: c.copies });
        }
        const after = n.m.context;
        const fee = after.city && after.certificate ? after.city.certificates[after.certificate]!.fee : 0;
        const { payout } = settlement({ inserted: after.inserted, unitFee: fee, copies: after.copies, printed: after.printed });
        send(n.changeEmpty && !payable(payout, n.coins) ? { type: 'cash.payoutFailed', amount: payout } : { type: 'cash.paidOut', amount: payout });
        if (n.jam) {
          // The jam is cleared at once, so that later sessions of the journey print again.
          n.jam = false;
          step('fault: printer-online');
        }
      }
    };
    /** A PIN typed on the reset screen: the other PIN (the card checks it), or the new one, first or again. */
    const resetStep = (right: boolean) => {
      const st = sub();
      const reset = n.m.context.resetPin ?? 'auth';
      if (st === 'pin-reset.other') {
        const card = data.persona(n.card!).card;
        const other = reset === 'auth' ? 'sign' : 'auth';
        const value = other === 'sign' ? card.signPin! : w.pins.get(n.card!)!;
        step(`pin: "${right ? value : other === 'sign' ? 'WRONG999' : value === '0000' ? '1111' : '0000'}"`);
        send({ type: 'pin.submitted' });
        if (n.mute) {
          n.mute = false;
          return send({ type: 'card.read.failed', reason: 'card-read-error' });
        }
        const left = other === 'sign' ? n.signTries : n.tries;
        const after = left === 0 ? 0 : right ? (other === 'sign' ? 5 : 3) : left - 1;
        if (other === 'sign') n.signTries = after;
        else n.tries = after;
        return send(left > 0 && right ? { type: 'card.pin.ok' } : after === 0 ? { type: 'card.pin.locked' } : { type: 'card.pin.wrong', triesLeft: after });
      }
      step(`pin: "${NEW_PINS[reset][st === 'pin-reset.confirm' && !right ? 1 : 0]}"`);
      send({ type: 'pin.submitted' });
      if (st !== 'pin-reset.confirm') return;
      if (!right) return send({ type: 'pin.mismatch' });
      if (n.centerDown) {
        n.centerDown = false;
        send({ type: 'center.unreachable' });
        return step('fault: center-up');
      }
      if (n.reserved !== reset) return send({ type: 'center.auth.refused', reason: 'no-reset-reservation' });
      n.reserved = null;
      if (reset === 'auth') n.tries = 3;
      else n.signTries = 5;
      send({ type: 'card.pin.reset' });
    };
    switch (e.type) {
      case 'tap': {
        if (e.at && e.at !== n.clock) {
          n.clock = e.at;
          step(`clock: ${TIMES[e.at]}`);
        }
        step(`tap: ${e.tap}`);
        // The buttons' events as journeys send them; the runtime stamps ui.start with the time, so does this.
        const ev = TAPS[e.tap] as KioskEvent;
        send(ev.type === 'ui.start' ? { ...ev, at: at() } : ev);
        if (e.tap === 'accept-terms' && screen() === 'card-reading' && n.card) read();
        break;
      }
      case 'tap-ignored':
        step(`tap: { button: ${e.tap}, ignored: true }`);
        send({ type: 'ui.cancel' });
        break;
      case 'language':
        step(`language: ${e.language}`);
        send({ type: 'ui.setLanguage', language: e.language });
        break;
      case 'insert':
        step(`insert-card: ${e.persona}`);
        n.card = e.persona;
        // The same card as before, if it was on the reader in this journey: it kept its counters (a lock too).
        n.tries = n.left[e.persona]?.[0] ?? w.summaries.get(e.persona)!.triesLeft;
        n.signTries = n.left[e.persona]?.[1] ?? data.persona(e.persona).card.signTriesLeft ?? 5;
        if (screen() === 'card-reading') read();
        break;
      case 'remove':
        step('remove-card');
        leave();
        send({ type: 'card.removed' });
        break;
      case 'reserve':
        step(`counter: { do: reserve-pin-reset, persona: ${n.card}, pin: auth, other: "${data.persona(n.card!).card.signPin}" }`);
        n.reserved = 'auth';
        break;
      case 'pin': {
        if (screen() === 'pin-reset') {
          resetStep(e.right);
          break;
        }
        if (e.at && e.at !== n.clock) {
          n.clock = e.at;
          step(`clock: ${TIMES[e.at]}`);
        }
        const pin = w.pins.get(n.card!)!;
        step(`pin: "${e.right ? pin : pin === '0000' ? '1111' : '0000'}"`);
        send({ type: 'pin.submitted' });
        if (n.mute) {
          n.mute = false;
          send({ type: 'card.read.failed', reason: 'card-read-error' });
        } else if (n.pull === 'pin') {
          n.pull = null;
          leave();
          send({ type: 'card.removed' });
        } else if (e.right) {
          n.tries = 3;
          send({ type: 'card.pin.ok' });
          if (n.pull === 'sign') {
            n.pull = null;
            leave();
            send({ type: 'card.removed' });
          } else if (n.centerDown) {
            n.centerDown = false;
            send({ type: 'center.unreachable' });
            step('fault: center-up');
          } else if (n.card === 'revoked') {
            send({ type: 'center.auth.refused', reason: 'certificate-revoked' });
          } else {
            const r = residentById(data.registry, data.persona(n.card!).resident!);
            const c = n.m.context;
            // The center answers with the city asked for: the 本籍地 chosen, or where the holder lives.
            const code = c.scope === 'domicile' && c.cityChoice ? c.cityChoice : householdOfResident(data.registry, r).city;
            send({ type: 'center.auth.done', holder: holderFacts(data.registry, r), city: data.municipalities.find((m) => m.code === code)!, at: at() });
          }
        } else {
          n.tries -= 1;
          send(n.tries === 0 ? { type: 'card.pin.locked' } : { type: 'card.pin.wrong', triesLeft: n.tries });
        }
        break;
      }
      case 'certificate':
        step(`certificate: ${e.certificate}`);
        send({ type: 'ui.selectCertificate', certificate: e.certificate, at: at() });
        break;
      case 'type':
        step(e.value === 'self' ? 'type: { scope: self }' : 'type: { form: zenbu }');
        send({ type: 'ui.selectType', subtype: e.value === 'self' ? { kind: 'juminhyo', scope: 'self', members: [] } : { kind: 'koseki', form: 'zenbu', person: null } });
        break;
      case 'info':
        step('info: { householdHead: true }');
        send({ type: 'ui.selectInfo', options: OPTIONS });
        break;
      case 'copies':
        step(`copies: ${e.copies}`);
        send({ type: 'ui.selectCopies', copies: e.copies });
        break;
      case 'correct':
        step(`correct: ${e.step}`);
        send({ type: 'ui.correct', step: e.step });
        break;
      case 'cash':
        step(`insert-cash: [${e.yen}]`);
        if (e.yen !== 5) n.coins = [...n.coins, e.yen];
        send(e.yen === 5 ? { type: 'cash.rejected', amount: 5, reason: 'not-accepted' } : { type: 'cash.inserted', amount: e.yen, total: n.m.context.inserted + e.yen });
        break;
      case 'wait':
        step(`wait: ${seconds(n.m)}`);
        send({ type: 'timeout' });
        break;
      case 'fault':
        step(`fault: ${e.fault}`);
        if (e.fault === 'card-garbled') n.garble = true;
        if (e.fault === 'card-mute') n.mute = true;
        if (e.fault === 'center-down') n.centerDown = true;
        if (e.fault === 'paper-jam') n.jam = true;
        if (e.fault === 'change-empty') n.changeEmpty = true;
        if (e.fault === 'out-of-service') send({ type: 'terminal.outOfOrder' });
        if (e.fault === 'resume-service') send({ type: 'terminal.inService' });
        break;
      case 'pull':
        step(`remove-card: { during: ${e.during} }`);
        n.pull = e.during;
        break;
      case 'domicile':
        step(`domicile: ${DOMICILE.name}`);
        send({ type: 'ui.selectCity', scope: 'domicile', city: DOMICILE.code });
        break;
      case 'hold':
        step(`hold: ${e.work}`);
        if (e.work === 'print') n.holdPrint = true;
        else if (e.work === 'registration') n.holdRegistration = true;
        else n.holdRefund = true;
        break;
      case 'release':
        step(`release: ${e.work}`);
        if (e.work === 'print') n.holdPrint = false;
        else if (e.work === 'registration') n.holdRegistration = false;
        else n.holdRefund = false;
        break;
    }
    devices();
    if (screenOf(n.m.value) === 'pin-reset') n.resetDone = true;
    if (screenOf(n.m.value) !== 'payment' && screenOf(n.m.value) !== 'printing') n.coins = [];
    return n;
  };
}

/** Whether the changer pays `amount` from the given coins alone (greedy, exact for yen), as after `change-empty`. */
function payable(amount: number, coins: number[]): boolean {
  let rest = amount;
  for (const d of [1000, 500, 100, 50, 10]) {
    const n = Math.min(Math.floor(rest / d), coins.filter((c) => c === d).length);
    rest -= n * d;
  }
  return rest === 0;
}

/**
 * The steps a journey may take from a state: what a person and the devices can do there, kept to what matters. A
 * tap or a certificate the machine would not take there is no step (the runner refuses it as a button the screen
 * lacks or shows disabled).
 */
function stepsFrom(g: GenState): GenEvent[] {
  const at = (e: { at?: Time }) => TIMES[e.at ?? g.clock];
  return everyStepFrom(g).filter((e) =>
    e.type === 'tap' ? g.m.can({ ...(TAPS[e.tap] as KioskEvent), at: at(e) } as KioskEvent)
      : e.type === 'certificate' ? g.m.can({ type: 'ui.selectCertificate', certificate: e.certificate, at: at({}) })
        : true);
}

function everyStepFrom(g: GenState): GenEvent[] {
  const s = g.m;
  const screen = screenOf(s.value);
  const sub = stateOf(s.value);
  const c = s.context;
  const can = (e: KioskEvent) => s.can(e);
  const always: GenEvent[] = [{ type: 'wait' }];
  const tap = (t: Tap, at?: Time): GenEvent => (at ? { type: 'tap', tap: t, at } : { type: 'tap', tap: t });
  if (screen !== 'top') always.push(tap('cancel'));
  if (c.warning) always.push(tap('continue'));
  // A fault or a pull waits for the step that meets it: nothing else may come between.
  if (g.garble) return [{ type: 'insert', persona: 'kawasaki-taro' }];
  if ((g.mute || g.pull || g.centerDown) && screen !== 'registered') return [{ type: 'pin', right: true }];
  if (g.holdRefund && sub === 'payment.accepting') return [tap('cancel'), { type: 'wait' }];
  if (sub === 'payment.refunding') return [{ type: 'release', work: 'refund' }, { type: 'tap-ignored', tap: 'cancel' }, { type: 'wait' }];
  if (sub === 'printing.working') {
    const out: GenEvent[] = [{ type: 'release', work: 'print' }, { type: 'tap-ignored', tap: 'cancel' }, { type: 'wait' }];
    if (!g.changeEmpty) out.push({ type: 'fault', fault: 'change-empty' });
    return out;
  }
  if ((g.changeEmpty || g.resetDone) && screen === 'top') return [];
  const remove: GenEvent[] = g.card ? [{ type: 'remove' }] : [];
  switch (screen) {
    case 'top':
      return [
        tap('government-service', 'T'), tap('government-service', 'EARLY'), tap('copy'), { type: 'wait' }, tap('cancel'), ...remove,
        { type: 'fault', fault: c.outOfOrder ? 'resume-service' : 'out-of-service' },
      ];
    case 'government-menu':
      return [tap('certificate-service'), tap('domicile-registration'), tap('pin-reset'), tap('back'), { type: 'language', language: 'en' }, ...always];
    case 'advanced-menu':
      return [tap('my-number-card'), ...(can({ type: 'ui.acceptTerms' }) ? [tap('accept-terms')] : []), tap('back'), ...always];
    case 'card-reading':
      return [
        ...(g.card ? [] : GENERATION_PERSONAS.filter((p) => c.service !== 'pin-reset' || RESET_PERSONAS.includes(p)).map((persona): GenEvent => ({ type: 'insert', persona }))),
        ...(g.card ? [] : [{ type: 'fault', fault: 'card-garbled' } as GenEvent]),
        tap('back'), ...always,
      ];
    case 'city-select':
      return [tap('residence'), { type: 'domicile' }, ...remove, ...always];
    case 'pin-entry': {
      if (sub !== 'pin-entry.entering') return always;
      const out: GenEvent[] = [{ type: 'pin', right: true }, { type: 'pin', right: false }, tap('back'), ...remove];
      if (g.card === 'fuchu-resident') out.push({ type: 'pin', right: true, at: 'MAINT' });
      // A registration's answer may be held back, so that the center can go down before it comes.
      if (c.service === 'registration' && !g.holdRegistration) out.push({ type: 'hold', work: 'registration' });
      out.push({ type: 'fault', fault: 'center-down' }, { type: 'fault', fault: 'card-mute' }, { type: 'pull', during: 'pin' }, { type: 'pull', during: 'sign' });
      return [...out, ...always];
    }
    case 'card-removal':
      return [...remove, ...always];
    case 'pin-reset':
      if (sub === 'pin-reset.choosing') {
        const reserve = !g.reserved && g.signTries === 5 && (g.card === 'kawasaki-taro' || g.card === 'pin-locked');
        return [tap('reset-auth'), tap('reset-sign'), ...(reserve ? [{ type: 'reserve' } as GenEvent] : []), ...remove, ...always];
      }
      if (sub === 'pin-reset.other') {
        // One wrong try is enough for card.pin.wrong (a locked other PIN is the pin-locked card's user PIN).
        const full = c.resetPin === 'auth' ? g.signTries === 5 : g.tries === 3 || g.tries === 0;
        return [{ type: 'pin', right: true }, ...(full ? [{ type: 'pin', right: false } as GenEvent] : []), tap('back'), { type: 'fault', fault: 'card-mute' }, ...remove, ...always];
      }
      if (sub === 'pin-reset.new') return [{ type: 'pin', right: true }, ...remove, ...always];
      if (sub === 'pin-reset.confirm') return [{ type: 'pin', right: true }, { type: 'pin', right: false }, tap('back'), { type: 'fault', fault: 'center-down' }, ...always];
      return [tap('done'), ...remove, ...always];
    case 'registered':
      if (sub === 'registered.sending') return [...(g.centerDown ? [] : [{ type: 'fault', fault: 'center-down' } as GenEvent]), { type: 'release', work: 'registration' }];
      return [tap('done'), ...remove, ...always];
    case 'certificate-select':
      return [...(['juminhyo', 'inkan', 'koseki'] as const).map((certificate): GenEvent => ({ type: 'certificate', certificate })), ...always];
    case 'type-select':
      return [{ type: 'type', value: c.certificate === 'koseki' ? 'zenbu' : 'self' }, tap('back'), ...always];
    case 'info-select':
      return [{ type: 'info' }, tap('back'), ...always];
    case 'copies':
      return [{ type: 'copies', copies: 1 }, { type: 'copies', copies: 2 }, tap('back'), ...always];
    case 'confirm':
      return [
        tap('confirm'), tap('back'),
        ...(['certificate-select', 'type-select', 'info-select', 'copies'] as const).map((step): GenEvent => ({ type: 'correct', step })),
        ...(g.jam ? [] : [{ type: 'fault', fault: 'paper-jam' } as GenEvent]),
        ...always,
      ];
    case 'payment': {
      // A 2000-yen bill goes to the vault, not the change tubes: with the tubes emptied, its change cannot be paid.
      if (g.jam || g.holdPrint) return [{ type: 'cash', yen: 2000 }, ...(g.holdPrint ? [] : [{ type: 'hold', work: 'print' } as GenEvent])];
      const out: GenEvent[] = [];
      if (c.inserted === 0) out.push({ type: 'cash', yen: 100 });
      out.push({ type: 'cash', yen: 1000 }, { type: 'cash', yen: 5 }, { type: 'hold', work: 'print' });
      if (c.inserted > 0) out.push({ type: 'hold', work: 'refund' });
      return [...out, ...always];
    }
    case 'printing':
      return [tap('done'), { type: 'tap-ignored', tap: 'cancel' }, { type: 'wait' }];
    case 'take-card':
      // Only taking the card off ends it; a cancel sent anyway changes nothing.
      return [...remove, { type: 'tap-ignored', tap: 'cancel' }, { type: 'wait' }];
    default: // end screens
      return [tap('done'), ...remove, ...always];
  }
}

/** What makes two states the same for the graph (the language, notices and the last step's lines are not). */
function serialize(g: GenState): string {
  const c = g.m.context;
  return JSON.stringify([g.m.value, c.warning, c.triesLeft, c.medium, c.certificate, c.subtype !== null, c.options !== null, c.copies, c.correcting,
    c.inserted, c.printFailure, c.payout?.failed ?? null, c.reason, c.outOfOrder, g.card, g.tries, g.garble, g.mute, g.centerDown, g.pull, g.jam, g.holdPrint,
    g.holdRefund, g.changeEmpty, g.clock, g.holdRegistration, c.service, c.cityChoice, c.resetPin, g.signTries, g.reserved, g.resetDone]);
}

export interface GeneratedJourney {
  /** File name, e.g. 007-pin-locked.yaml */
  file: string;
  text: string;
  /** Transitions the machine predicts it fires. */
  transitions: string[];
  steps: number;
}

export interface Generation {
  journeys: GeneratedJourney[];
  /** Every transition of the machine, and those no generated journey is predicted to fire (empty when complete). */
  total: number;
  uncovered: string[];
  states: number;
  candidates: number;
}

/** One edge of the graph: a step from a state, and the state it leads to (with the lines and transitions of that step). */
interface Edge {
  event: GenEvent;
  state: GenState;
}

interface Candidate {
  steps: Edge[];
  transitions: Set<string>;
}

/** The journeys' model of the kiosk and its world, for the generator's graph and the random walks (walk.ts). */
export interface JourneyModel {
  /** The first screen, no card on the reader, the devices well. */
  initial: GenState;
  /** The state after a step (with the step's journey lines and the transitions it fired). */
  reduce(g: GenState, e: GenEvent): GenState;
  /** The steps a journey may take from a state (none: the journey ends there). */
  stepsFrom(g: GenState): GenEvent[];
  /** What makes two states the same. */
  serialize(g: GenState): string;
}

/**
 * `reinsert`: a card taken off with its counters spent may go on the reader again (the walks, which look for a card
 * that forgets its lock). The generator's graph leaves it out: those counters would multiply its states, and a state
 * is then the same whatever cards left (`left` is not part of its identity).
 */
export async function journeyModel(o: { reinsert?: boolean } = {}): Promise<JourneyModel> {
  const w = await world();
  const initial: GenState = {
    m: initialTransition(kioskMachine, {})[0],
    card: null, tries: 3, signTries: 5, left: {}, reserved: null, resetDone: false, garble: false, mute: false, centerDown: false, pull: null, jam: false, holdPrint: false, holdRefund: false, holdRegistration: false,
    changeEmpty: false, coins: [], clock: 'T', lines: [], fired: [],
  };
  const steps = o.reinsert ? stepsFrom : (g: GenState) => stepsFrom(g).filter((e) => e.type !== 'insert' || !g.left[e.persona]);
  return { initial, reduce: makeReducer(w), stepsFrom: steps, serialize };
}

/** Walks the graph and picks the journeys. */
export async function generateJourneys(): Promise<Generation> {
  const { initial, reduce } = await journeyModel();
  const logic = fromTransition((g: GenState, e: GenEvent) => reduce(g, e), initial);
  type L = typeof logic;
  const serializeEvent = (e: GenEvent) => JSON.stringify(e);
  const adjacency = getAdjacencyMap(logic, {
    events: (s: SnapshotFrom<L>) => stepsFrom(s.context),
    serializeState: (s: SnapshotFrom<L>) => serialize(s.context),
    serializeEvent,
  } as never) as unknown as Record<string, { state: SnapshotFrom<L>; transitions: Record<string, { event: GenEvent; state: SnapshotFrom<L> }> }>;

  // Shortest paths (every edge weighs one step): breadth first from the first screen. A step's lines and transitions
  // are read off the adjacency map's edge, which xstate/graph computed from that very state and step.
  const start = serialize(initial);
  const pathTo = new Map<string, Edge[]>([[start, []]]);
  const queue = [start];
  while (queue.length) {
    const key = queue.shift()!;
    for (const edge of Object.values(adjacency[key]?.transitions ?? {})) {
      const next = serialize(edge.state.context);
      if (pathTo.has(next)) continue;
      pathTo.set(next, [...pathTo.get(key)!, { event: edge.event, state: edge.state.context }]);
      queue.push(next);
    }
  }
  const candidate = (steps: Edge[]): Candidate => ({ steps, transitions: new Set(steps.flatMap((s) => s.state.fired)) });
  // A path that is the start of a longer one adds nothing the longer one does not.
  const prefixes = new Set([...pathTo.values()].flatMap((p) => p.slice(0, -1).map((_, i) => serialize(p[i].state))));
  const candidates: Candidate[] = [...pathTo].filter(([k, p]) => p.length && !prefixes.has(k)).map(([, p]) => candidate(p));
  const planned = new Set(candidates.flatMap((c) => [...c.transitions]));
  for (const [key, { transitions }] of Object.entries(adjacency)) {
    for (const edge of Object.values(transitions)) {
      if (edge.state.context.fired.every((k) => planned.has(k))) continue;
      const base = pathTo.get(key);
      if (!base) continue;
      edge.state.context.fired.forEach((k) => planned.add(k));
      candidates.push(candidate([...base, { event: edge.event, state: edge.state.context }]));
    }
  }

  // Greedy cover: the candidate that adds most transitions not yet covered, the shorter on a tie.
  const all = allTransitions(kioskMachine);
  const covered = new Set<string>();
  const chosen: Array<Candidate & { gain: string[] }> = [];
  for (;;) {
    let best: Candidate | null = null;
    let gain = 0;
    for (const c of candidates) {
      const g = [...c.transitions].filter((k) => !covered.has(k) && all.has(k)).length;
      if (g > gain || (g === gain && g > 0 && best && c.steps.length < best.steps.length)) {
        best = c;
        gain = g;
      }
    }
    if (!best || gain === 0) break;
    chosen.push({ ...best, gain: [...best.transitions].filter((k) => !covered.has(k) && all.has(k)) });
    for (const k of best.transitions) covered.add(k);
  }
  const journeys = chosen.map((c, i) => toJourney(c, i + 1));
  return { journeys, total: all.size, uncovered: [...all].filter((k) => !covered.has(k)), states: Object.keys(adjacency).length, candidates: candidates.length };
}

/** A journey file for a path: each step's lines, then what the machine predicts the screen to be. */
function toJourney(c: Candidate & { gain: string[] }, n: number): GeneratedJourney {
  const first = c.steps.find((s) => s.event.type === 'insert')?.event as { persona?: string } | undefined;
  const last = c.steps[c.steps.length - 1]?.state;
  const end = last ? screenOf(last.m.value) : 'top';
  // Named after the first transition it was chosen for (the one no journey before it fires).
  const why = c.gain[0] ?? '';
  const slug = why.replace(/^kiosk\.?/, '').replace(/ #\d+$/, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || end;
  const file = `${String(n).padStart(3, '0')}-${slug}.yaml`;
  const lines = [
    `# Generated by \`kiosk journey generate\` from the kiosk machine's graph (xstate/graph): do not edit, regenerate.`,
    `# Fires ${c.transitions.size} transitions; chosen for: ${c.gain.join(', ')}`,
    `name: "generated ${n}: ${why}${c.gain.length > 1 ? ` and ${c.gain.length - 1} more` : ''} (${c.steps.length} steps, ends on ${end})"`,
    ...(first?.persona ? [`persona: ${first.persona}`] : []),
    `clock: ${TIMES.T}`,
    'steps:',
  ];
  lines.push(...stepLines(c.steps));
  return { file, text: `${lines.join('\n')}\n`, transitions: [...c.transitions].sort(), steps: c.steps.length };
}

/** A path's journey lines: each step's lines, then the screen the model predicts after it. */
export function stepLines(steps: ReadonlyArray<{ state: GenState }>): string[] {
  const lines: string[] = [];
  for (const { state } of steps) {
    for (const l of state.lines) lines.push(`  - ${l}`);
    const screen = screenOf(state.m.value);
    const reason = ['refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled'].includes(screen) && state.m.context.reason ? `, reason: ${state.m.context.reason}` : '';
    lines.push(`  - expect: { screen: ${screen}${reason}${state.m.context.warning ? ', warning: true' : ''} }`);
  }
  return lines;
}
