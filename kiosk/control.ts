// Everything the outside may do to a terminal, in one place: what the operator panel, QA scripts, the journey runner
// and vendors' tools ask for (a card on the reader, coins, faults, the clock, the center's next answer) and what they
// read (the view, the devices, the spool, the journal). The WebSocket's operator messages and the HTTP control API
// (control-api.ts, /api/v1) both call these methods and nothing else of the terminal; each checks its input and
// throws ControlInputError (the caller's mistake) or ControlStateError (not possible now) with what to do.
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { CENTER_ANSWERS, type CenterAnswer } from '../center/scripted-center.ts';
import type { UiInput } from '../machine/ui-input.ts';
import type { CollectionNotice } from '../printer/document.ts';
import type { CardVariant } from '../samples/sample-data.ts';
import { parseTime, toJapanIso, type Clock } from './clock.ts';
import type { JournalRecord } from './journal.ts';
import type { ClientMessage, DeviceStatus } from './protocol.ts';
import { FAULTS, OperatorError, type Fault, type SimTerminal } from './terminal.ts';
import { KioskInputError } from '../machine/ui-input.ts';
import { UnknownPersonaError } from '../samples/sample-data.ts';
import { PinFormatError } from './devices/pin-pad.ts';
import { KioskStateError } from './runtime.ts';
import { CardStoreError } from './card-store.ts';
import { COUNTER_VERBS, CounterRefusal, INPUT_REFUSALS, VISITORS, type ApplicationResult, type CounterResult, type CounterStatus, type CounterVerb, type Visitor } from './counter/counter.ts';
import type { KioskView } from './view.ts';

/** The caller sent something that is not a valid request (a field missing, of the wrong kind or out of range). */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
  constructor(detail: string) {
    super(`Bad request: ${detail}.`);
  }
}

/**
 * Whose mistake an error is, for an answer that says it (HTTP's status): 400 the caller's request, 409 not possible
 * now (the screen, the card store), null an error of the kiosk's own (answered without its text, which could quote
 * anything, a PIN included). The WebSocket and the HTTP API answer by the same rule.
 */
export function blameOf(e: unknown): 400 | 409 | null {
  if (e instanceof ControlInputError || e instanceof KioskInputError || e instanceof PinFormatError || e instanceof UnknownPersonaError) return 400;
  if (e instanceof KioskStateError || e instanceof OperatorError) return 409;
  return null;
}

/** A clock the operator can steer: ControlledClock (set, advance, rate) or SimClock (set, advance). */
interface SteerableClock {
  set(iso: string): void;
  /** The wall clock jumps and each timer keeps the time it had left (SimClock; ControlledClock's set does the same). */
  jump?(iso: string): void;
  advance(ms: number): void;
  setRate?(rate: number): void;
  readonly rate?: number;
  nextTimerDue?(): number | null;
}

function steerable(clock: Clock): SteerableClock | null {
  const c = clock as Partial<SteerableClock>;
  return typeof c.set === 'function' && typeof c.advance === 'function' ? (clock as unknown as SteerableClock) : null;
}

/** A card's counters for the operator panel (never a PIN). */
function pinsOf(s: { triesLeft: number; signTriesLeft?: number; cardInfoTriesLeft?: number }) {
  return { auth: s.triesLeft, ...(s.signTriesLeft === undefined ? {} : { sign: s.signTriesLeft }), ...(s.cardInfoTriesLeft === undefined ? {} : { cardInfo: s.cardInfoTriesLeft }) };
}

/** A card made for a test: fewer tries left, certificates issued days ago, or expired. */
function cardVariant(v: unknown): CardVariant {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ControlInputError('card is an object: triesLeft, issuedDaysAgo, expired, declined, uncollected');
  const c = v as Record<string, unknown>;
  const unknown = Object.keys(c).find((k) => !['triesLeft', 'issuedDaysAgo', 'expired', 'declined', 'uncollected'].includes(k));
  if (unknown) throw new ControlInputError(`card takes triesLeft, issuedDaysAgo, expired, declined and uncollected, not ${unknown.slice(0, 40)}`);
  for (const k of ['declined', 'uncollected']) if (c[k] !== undefined && typeof c[k] !== 'boolean') throw new ControlInputError(`card.${k} is true or false`);
  if (c.triesLeft !== undefined && !(Number.isInteger(c.triesLeft) && (c.triesLeft as number) >= 0 && (c.triesLeft as number) <= 3)) throw new ControlInputError('card.triesLeft is 0-3');
  if (c.issuedDaysAgo !== undefined && !(Number.isInteger(c.issuedDaysAgo) && (c.issuedDaysAgo as number) >= 0 && (c.issuedDaysAgo as number) <= 3660)) throw new ControlInputError('card.issuedDaysAgo is 0-3660');
  if (c.expired !== undefined && typeof c.expired !== 'boolean') throw new ControlInputError('card.expired is true or false');
  return c as CardVariant;
}

/** A persona id to look up (an unknown one is refused by the sample data, its echo cut to 40 characters). */
const isPersonaId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export class TerminalControl {
  readonly #steer: SteerableClock | null;

  constructor(
    readonly terminal: SimTerminal,
    readonly clock: Clock,
    readonly spoolDir: string,
  ) {
    this.#steer = steerable(clock);
  }

  view(): KioskView {
    return this.terminal.runtime.view();
  }

  /** The devices as the operator panel shows them. */
  devices(): DeviceStatus {
    const { terminal } = this;
    const { runtime } = terminal;
    const cash = terminal.cashBox.status();
    const records = runtime.journal.records;
    const last = records.findLast((r) => r.type === 'issued');
    const due = this.#steer?.nextTimerDue?.() ?? null;
    return {
      clock: this.clock.now(),
      reader: {
        name: terminal.reader.name, cardPresent: terminal.reader.cardPresent, card: terminal.card?.kind ?? null, cardId: terminal.cardId,
        pins: terminal.card && terminal.card.kind !== 'city-card' ? pinsOf(terminal.card.toJSON()) : null,
      },
      cash: { accepting: cash.accepting, escrow: cash.escrow, tubes: cash.tubes },
      printer: terminal.printer.status(),
      centerOnline: terminal.center.online,
      centerNext: terminal.scriptedCenter.next,
      // The last issuance's documents, so the person (and a tester) can open what was printed.
      documents: records.flatMap((r) =>
        (r.type === 'print.copy' || r.type === 'print.receipt') && r.file && last?.type === 'issued' && r.issuanceNumber === last.issuanceNumber
          ? [`spool/${basename(r.file)}`] : []),
      clockRate: this.#steer?.rate ?? 1,
      // Only the runtime arms timers on the kiosk's clock: the next one due is the current screen's idle timeout.
      timeoutAt: due === null ? null : toJapanIso(due),
      clockControl: !!this.#steer,
      recovery: runtime.recoveryNotice,
      outOfOrder: runtime.outOfOrder,
    };
  }

  /** A tap or choice of the person (a ui.* event), as the touch screen sends it. */
  tap(event: UiInput): void {
    if (!event || typeof event !== 'object' || typeof event.type !== 'string' || !event.type.startsWith('ui.')) throw new ControlInputError('an event is a ui.* event');
    this.terminal.runtime.send(event);
  }

  /** The PIN pad's Enter: the digits go to the card once and are wiped; they are never echoed or logged. */
  pin(digits: unknown): void {
    if (typeof digits !== 'string') throw new ControlInputError('digits is a string of 4 digits');
    this.terminal.runtime.submitPin(digits);
  }

  /**
   * The persona's card (from the card store) on the reader; the card there before is taken off. With `card`, a new
   * card made so (fewer tries left, certificates issued days ago or expired) replaces the persona's, as QA needs it;
   * `first` makes only the persona's first card so.
   */
  insertCard(persona: unknown, card?: unknown, o: { first?: boolean } = {}): Promise<void> {
    if (!isPersonaId(persona)) throw new ControlInputError('persona is a persona id (kiosk personas lists them)');
    const variant = card === undefined || card === null ? undefined : cardVariant(card);
    return this.terminal.insertCard(persona, variant ? { variant, newCard: !o.first } : {});
  }

  /**
   * Places the card a card profile describes (reader/PROFILE.md): for journeys, in process only (the HTTP control API
   * takes persona ids, never a file to read).
   */
  insertProfileCard(file: string): Promise<void> {
    return this.terminal.insertProfileCard(file);
  }

  removeCard(): Promise<void> {
    return this.terminal.removeCard();
  }

  /** A new card for the persona in the store (made as `card` says): the next insertCard puts it on the reader. */
  newCard(persona: unknown, card?: unknown): void {
    if (!isPersonaId(persona)) throw new ControlInputError('persona is a persona id');
    const variant = card === undefined || card === null ? undefined : cardVariant(card);
    this.terminal.data.persona(persona);
    this.terminal.cards.make(persona, variant, 'operator panel');
  }

  /** The persona's card's PIN tries given back (staff's stand-in for the ward office's reset; in its history). */
  restoreTries(persona: unknown): void {
    if (!isPersonaId(persona)) throw new ControlInputError('persona is a persona id');
    this.terminal.data.persona(persona);
    this.terminal.restoreCardTries(persona);
  }

  /**
   * A ward-office counter's or the call center's action on a card of this kiosk's store, recorded at its in-process
   * center (kiosk/counter/counter.ts): `status` or a verb with its fields. A precondition not met (the counter closed,
   * the card suspended) is not possible now; a bad PIN name or new PIN is the caller's mistake.
   */
  counter(verb: unknown, body: Record<string, unknown>): CounterResult | CounterStatus | ApplicationResult | CollectionNotice {
    const counter = this.terminal.counter;
    if (!counter) throw new OperatorError('this kiosk uses a center in another process: its counter acts on that center (not yet served over its API)');
    if (typeof verb !== 'string' || !(COUNTER_VERBS as readonly string[]).includes(verb)) throw new ControlInputError(`the counter's verbs are ${COUNTER_VERBS.join(', ')}`);
    const text = (name: string, max = 64): string | undefined => {
      const v = body[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !v || v.length > max) throw new ControlInputError(`${name} is a text of 1-${max} characters`);
      return v;
    };
    const need = (name: string): string => text(name) ?? (() => { throw new ControlInputError(`${verb} needs ${name}`); })();
    const card = need('card');
    const who = text('who');
    if (who !== undefined && !(VISITORS as readonly string[]).includes(who)) throw new ControlInputError(`who is one of ${VISITORS.join(', ')}`);
    try {
      switch (verb as CounterVerb) {
        case 'status': return counter.status(card);
        case 'reset-pin': return counter.resetPin({ card, pin: need('pin'), newPin: need('new'), who: who as Visitor | undefined, answered: body.answered === true });
        case 'change-pin': return counter.changePin({ card, pin: need('pin'), newPin: need('new') });
        case 'report-lost': return counter.reportLost({ card, police: text('police') });
        case 'cancel-suspension': return counter.cancelSuspension({ card });
        case 'reissue': return counter.reissue({ card, express: body.express === true });
        case 'renew': return counter.renew({ card });
        case 'issue-certificates': return counter.issueCertificates({ card, newPin: need('new') });
        case 'change-address': return counter.changeAddress({ card, to: text('to'), address: text('address', 200) });
        case 'change-name': return counter.changeName({ card, name: need('name') });
        case 'register-domicile': return counter.registerDomicile({ card });
        case 'return-card': return counter.returnCard({ card });
        case 'move-out': return counter.moveOut({ card });
        case 'move-in': return counter.moveIn({ card, to: need('to'), address: text('address', 200) });
        case 'continue-card': return counter.continueCard({ card, pin: need('pin') });
        case 'death': return counter.death({ card });
        case 'reserve-pin-reset': return counter.reservePinReset({ card, pin: need('pin'), other: need('other') });
        case 'notice': return counter.notice(card);
        case 'apply': return counter.apply({ persona: card, certificates: body.declined !== true, braille: body.braille === true, form: text('form') });
        case 'collect': {
          const back = body.handedBack;
          if (back !== undefined && (!Array.isArray(back) || back.length > 2 || back.some((x) => typeof x !== 'string'))) throw new ControlInputError('handedBack is a list: juki-card, notification-card');
          return counter.collect({ card, newPin: need('new'), password: text('password'), who: who as Visitor | undefined, answered: body.answered === true, handedBack: back as string[] | undefined });
        }
      }
    } catch (e) {
      if (e instanceof CounterRefusal) throw INPUT_REFUSALS.includes(e.reason) ? new ControlInputError(e.message) : new OperatorError(`refused (${e.reason}): ${e.message}`);
      if (e instanceof CardStoreError) throw new OperatorError(e.message);
      throw e;
    }
  }

  /** A coin or bill into the acceptor: whether it was taken, and why not. */
  insertCash(yen: unknown): { accepted: boolean; reason?: string } {
    // Any coin or bill the slot could physically take (a foreign coin, a 1-yen coin: the acceptor hands it back and the
    // journal says so), never an amount no coin has: the money journal holds only what could be put in.
    if (!Number.isInteger(yen) || (yen as number) < 1 || (yen as number) > 10_000) {
      throw new ControlInputError('yen is a coin or bill, a whole number 1-10000 (10, 50, 100, 500, 1000, 2000, 5000 and 10000 are taken)');
    }
    return this.terminal.runtime.insertCash(yen as number);
  }

  /** The sheets in the printer's tray (0 empties it). */
  setPaper(sheets: unknown): void {
    if (!Number.isInteger(sheets) || (sheets as number) < 0 || (sheets as number) > 10_000) throw new ControlInputError('sheets is a whole number, 0-10000');
    this.terminal.printer.setPaper(sheets as number);
  }

  /** The printer jams after this many more sheets (0: now). */
  jamAfter(sheets: unknown): void {
    if (!Number.isInteger(sheets) || (sheets as number) < 0 || (sheets as number) > 10_000) throw new ControlInputError('sheets is a whole number, 0-10000');
    this.terminal.printer.jamAfter(sheets as number);
  }

  fault(fault: unknown): Promise<void> | void {
    if (!FAULTS.includes(fault as Fault)) throw new ControlInputError(`fault is one of ${FAULTS.join(', ')}`);
    return this.terminal.fault(fault as Fault);
  }

  /** Sets the kiosk's clock to a Japan time (strictly parsed, 2000–2099). */
  setClock(time: unknown): void {
    const clock = this.#steerOrRefuse();
    try {
      parseTime(time as string);
    } catch (e) {
      throw new ControlInputError(`time: ${(e as Error).message}`);
    }
    if (clock.jump) clock.jump(time as string);
    else clock.set(time as string);
  }

  /** Moves the clock on (timers due meanwhile fire in order). */
  advanceClock(seconds: unknown): void {
    const clock = this.#steerOrRefuse();
    if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= 7 * 24 * 3600)) throw new ControlInputError('seconds is above 0 and at most a week (604800)');
    try {
      clock.advance(seconds * 1000);
    } catch (e) {
      throw new ControlInputError(`advance: ${(e as Error).message}`);
    }
  }

  /** How many times faster than real time the clock runs. */
  setClockRate(rate: unknown): void {
    const clock = this.#steerOrRefuse();
    if (!clock.setRate) throw new ControlInputError('this clock cannot change its rate');
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 3600)) throw new ControlInputError('rate is above 0 and at most 3600');
    clock.setRate(rate);
  }

  /** The center's answer to the next request: normal, or a chosen failure (once). */
  centerNext(answer: unknown): void {
    if (!CENTER_ANSWERS.includes(answer as CenterAnswer)) throw new ControlInputError(`answer is one of ${CENTER_ANSWERS.join(', ')}`);
    this.terminal.scriptedCenter.answerNext(answer as CenterAnswer);
  }

  /** The printed PDFs in the spool folder, by name (each served at /spool/NAME). */
  spool(): string[] {
    return existsSync(this.spoolDir) ? readdirSync(this.spoolDir).filter((f) => f.endsWith('.pdf')).sort() : [];
  }

  /** The journal's recent records (money and print facts; never a PIN), oldest first. */
  journal(): readonly JournalRecord[] {
    return this.terminal.runtime.journal.records;
  }

  /** Resolves when the device work a request started is done (a wait for a card that is not there does not count). */
  settled(): Promise<void> {
    return this.terminal.runtime.settled();
  }

  /** An operator message of the WebSocket, as the HTTP API's routes do it. */
  operator(m: Extract<ClientMessage, { type: 'operator' }>): Promise<unknown> | unknown {
    switch (m.action) {
      case 'insert-card': return this.insertCard(m.persona);
      case 'remove-card': return this.removeCard();
      case 'new-card': return this.newCard(m.persona);
      case 'restore-tries': return this.restoreTries(m.persona);
      case 'insert-cash': return this.insertCash(m.yen);
      case 'fault': return this.fault(m.fault);
      case 'clock-set': return this.setClock(m.time);
      case 'clock-advance': return this.advanceClock(m.seconds);
      case 'clock-rate': return this.setClockRate(m.rate);
      case 'center-next': return this.centerNext(m.answer);
    }
    throw new ControlInputError('unknown operator action');
  }

  #steerOrRefuse(): SteerableClock {
    if (!this.#steer) throw new ControlInputError('this kiosk runs on a clock that cannot be steered');
    return this.#steer;
  }
}
