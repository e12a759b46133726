// The kiosk runtime: runs the pure machine (the actor), hands its commands to the router (router.ts: device work, and
// its outcome back as events), arms each screen's timer from its `meta`, journals every money and print fact before
// the machine hears of it, persists the snapshot (snapshot-store.ts), and keeps the PIN out of the machine. The UI,
// the operator panel and headless journeys all drive a terminal through this one class.
import { randomUUID } from 'node:crypto';
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import { kioskMachine, screenOf, type KioskContext } from '../machine/kiosk-machine.ts';
import type { KioskCommand, KioskEvent, UiEvent } from '../machine/events.ts';
import { RESETTABLE_PINS, type ResettablePin, type Screen } from '../machine/types.ts';
import { KioskInputError, checkUiInput, type UiInput } from '../machine/ui-input.ts';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import type { Printer } from '../printer/printer.ts';
import { CardTerminal } from './card-terminal.ts';
import type { CardReader } from '../reader/reader.ts';
import type { Clock } from './clock.ts';
import type { CashBox } from './devices/cash-box.ts';
import { PinPad } from './devices/pin-pad.ts';
import { Journal, crashPoint, type JournalFact } from './journal.ts';
import { recover, recoveryNotice, type RecoveredSession, type RecoveryNotice } from './recovery.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { viewOf, type KioskView } from './view.ts';
import { DeviceRouter, DeviceTimeoutError, describeError, type RouterHost } from './router.ts';

/** The terminal is out of order and staff's check found it still cannot work. */
export class TerminalOutOfOrderError extends Error {
  constructor(detail: string) {
    super(`The terminal stays out of order: ${detail}.`);
    this.name = 'TerminalOutOfOrderError';
  }
}


export interface RuntimeOptions {
  clock: Clock;
  reader: CardReader;
  center: IssuanceCenter;
  printer: Printer;
  cashBox: CashBox;
  journal?: Journal;
  /** Where the machine snapshot is persisted after every step (for crash recovery); none when omitted. */
  stateDir?: string;
  storeName?: string;
  terminalId?: string;
  inspect?: (e: InspectionEvent) => void;
  /** Every event, command and device outcome, for debugging (never a PIN). */
  log?: (line: string) => void;
  /** What staff must see at once: the terminal went out of order, or back in service (also in `log`). */
  alert?: (line: string) => void;
  /**
   * Model-based tests step the devices one result at a time: device work that answers with an event waits in a
   * queue until `releaseDeviceWork()` runs it, so that every intermediate screen can be observed.
   */
  holdDeviceWork?: boolean;
  /**
   * Where the printer put out the document of this name (the spool's file), or null when it did not or cannot
   * say: crash recovery charges a copy whose record the kill cut off only when the printer shows it.
   */
  printedDocument?: (name: string) => string | null;
  /** The PINs this terminal resets at 暗証番号リセット (default both: Seven-Eleven's; Lawson's and FamilyMart's: sign). */
  resettablePins?: readonly ResettablePin[];
  /** How a JPKI reset's new PIN reaches the card on the reader (CardTerminal's issuerWrite); none: it cannot. */
  issuerWrite?: (pin: ResettablePin, value: string) => void;
  /**
   * The watchdog: how long (real time) the center's issuance or one printed document may take before the printing
   * is given up as a printer error and the money settled (default 120 s: a real multi-copy machine takes about a
   * minute a copy). Device work that never answers must not hold a person's money.
   */
  deviceTimeoutMs?: number;
}

export { DeviceTimeoutError };

export class KioskStateError extends Error {
  constructor(what: string, screen: string) {
    super(`${what} is not possible on the ${screen} screen.`);
    this.name = 'KioskStateError';
  }
}

/** Seconds the timeout warning stays before the screen's timeout acts. */
export const WARNING_SECONDS = 30;

export class KioskRuntime {
  readonly actor: Actor<typeof kioskMachine>;
  readonly journal: Journal;
  readonly terminal: CardTerminal;
  readonly pinPad = new PinPad();
  /** The new PIN of a JPKI reset at the kiosk, typed twice: held until the runtime has compared them and written it. */
  readonly newPinPads = { first: new PinPad(), again: new PinPad() };
  session: string = randomUUID();
  readonly #o: RuntimeOptions;
  readonly #snapshots: SnapshotStore;
  readonly #pending = new Set<Promise<void>>();
  readonly #listeners = new Set<(s: SnapshotFrom<typeof kioskMachine>) => void>();
  readonly #errors: Error[] = [];
  #timerKey = '';
  #cancelTimer: (() => void) | null = null;
  /** Device work: each command the machine emits, to its device and back as an event. */
  readonly router: DeviceRouter;
  #offReader: Array<() => void> = [];
  /** Sessions a crash left unfinished, settled before this runtime served anyone (empty after a clean stop). */
  readonly recovered: readonly RecoveredSession[];
  /** The screen a restart resumed on from the persisted snapshot, or null when it started at the top. */
  readonly resumed: Screen | null = null;
  /** What the main menu tells the person a crash interrupted, until the next person starts a session. */
  #recoveryNotice: RecoveryNotice | null = null;
  /** Why the terminal cannot safely take money or print (for staff), or null when it is in service. */
  #outOfOrder: string | null = null;
  /** Faults seen so far (a resume's check compares before and after). */
  #faults = 0;
  #resuming: Promise<void> | null = null;
  /** Money facts a journal failure could not record: written first when the journal takes records again. */
  readonly #unjournaled: Array<{ session: string; at: string; fact: JournalFact }> = [];

  constructor(options: RuntimeOptions) {
    this.#o = options;
    this.#snapshots = new SnapshotStore(options.stateDir);
    this.journal = options.journal ?? new Journal();
    this.terminal = new CardTerminal(options.reader, options.issuerWrite);
    const saved = this.#snapshots.read();
    // Money first: whatever a crash left unfinished is settled from the journal and the cash box before anything else.
    this.recovered = recover({
      journal: this.journal, cashBox: options.cashBox, records: this.journal.takePrevious(), lastSession: saved?.session ?? null,
      now: () => options.clock.now(), printed: options.printedDocument, log: options.log,
    });
    this.#recoveryNotice = recoveryNotice(this.recovered);
    const resume = this.recovered.length === 0 && saved ? this.#snapshots.resumable(saved, options.clock.nowMs()) : null;
    let actor: Actor<typeof kioskMachine> | null = null;
    if (resume) {
      try {
        // The terminal's settings are today's, not the snapshot's (it may come from a run with other settings).
        const settled = { ...(resume as { context?: object }), context: { ...(resume as { context?: object }).context, resettablePins: options.resettablePins ?? RESETTABLE_PINS } };
        actor = createActor(kioskMachine, { input: {}, inspect: options.inspect, snapshot: settled as never });
        this.session = saved!.session;
        this.resumed = screenOf(actor.getSnapshot().value);
      } catch (e) {
        options.log?.(`persisted snapshot not resumed: ${(e as Error).name}`);
        actor = null;
      }
    }
    this.actor = actor ?? createActor(kioskMachine, { input: { resettablePins: options.resettablePins }, inspect: options.inspect });
    this.router = new DeviceRouter({ ...options, terminal: this.terminal, pinPad: this.pinPad, newPinPads: this.newPinPads }, this.#host());
    this.actor.on('*', (command) => {
      const c = command as KioskCommand;
      this.router.route(c);
      // A new person: a new key for the journal and the cash box (the router has forgotten the last one's work).
      if (c.type === 'session.end') this.session = randomUUID();
    });
    this.actor.subscribe({
      next: (s) => this.#changed(s),
      // A machine that throws has stopped: the kiosk is out of order until restarted. Never expected; recorded.
      error: (e) => {
        const err = e instanceof Error ? e : new Error(String(e));
        this.#errors.push(err);
        options.log?.(`machine error: ${err.name}: ${err.message}`);
      },
    });
    options.cashBox.onStorageError?.((e) => this.#goOutOfOrder(`the cash box cannot write its state (${describeError(e)})`));
    this.#offReader.push(options.reader.on('removed', () => {
      this.terminal.forget();
      this.#send({ type: 'card.removed' });
    }));
  }

  /** What the router may do to the runtime: send events, journal facts in order, go out of order, track work. */
  #host(): RouterHost {
    const runtime = this;
    return {
      get session() { return runtime.session; },
      get screen() { return runtime.screen; },
      send: (event) => this.#send(event),
      journal: (fact) => this.#journal(fact),
      journalOrLog: (fact) => this.#journalOrLog(fact),
      outOfOrder: (why) => this.#goOutOfOrder(why),
      track: (work) => this.#track(work),
      error: (e) => void this.#errors.push(e),
      log: (line) => this.#o.log?.(line),
      settled: () => this.settled(),
    };
  }

  start(): this {
    this.actor.start();
    // A restart is a new start of the devices: a resumed snapshot's out-of-order flag is for a process that is gone.
    if (this.context.outOfOrder) this.#send({ type: 'terminal.inService' });
    // Should starting a resumed snapshot not notify its observers, its screen's timer is armed here all the same.
    if (!this.#timerKey) this.#changed(this.snapshot);
    return this;
  }

  stop(): void {
    this.#cancelTimer?.();
    this.terminal.cancelWait();
    for (const off of this.#offReader) off();
    this.actor.stop();
    // A clean stop after a storage failure writes what the disk missed, if it can now: else a restart would settle
    // again what was already settled in memory (a payout paid twice).
    try {
      this.#flushStorage();
    } catch (e) {
      this.#staff(`stopped with state not written (${describeError(e)}): count the cash box by hand before the next start`);
    }
  }

  get snapshot(): SnapshotFrom<typeof kioskMachine> {
    return this.actor.getSnapshot();
  }

  get context(): KioskContext {
    return this.snapshot.context;
  }

  get screen(): Screen {
    return screenOf(this.snapshot.value);
  }


  /** Errors a device raised that no event could express; a journey fails on any. */
  get errors(): readonly Error[] {
    return this.#errors;
  }

  subscribe(listener: (s: SnapshotFrom<typeof kioskMachine>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A tap or choice from the person. Activity re-arms the screen's idle timer. Throws KioskInputError on a malformed one. */
  send(input: UiInput): void {
    const event = checkUiInput(input);
    // A new person: the notice was for the one before.
    if (event.type === 'ui.start') this.#recoveryNotice = null;
    this.#timerKey = '';
    this.#send(this.#stamp(event));
  }

  /** Whether a tap or choice would do anything on the current screen (never, when it is malformed). */
  can(input: UiInput): boolean {
    let event: UiInput;
    try {
      event = checkUiInput(input);
    } catch {
      return false;
    }
    return this.snapshot.can(this.#stamp(event));
  }

  /** Set after a restart that settled an interrupted purchase; gone once the next session starts. */
  get recoveryNotice(): RecoveryNotice | null {
    return this.#recoveryNotice;
  }

  /** Why the terminal is out of order (for staff: the console, the operator panel), or null when it is in service. */
  get outOfOrder(): string | null {
    return this.#outOfOrder;
  }

  #staff(line: string): void {
    this.#o.log?.(line);
    this.#o.alert?.(line);
  }

  /** Staff take the terminal out of service (the next person is turned away) until they resume it. */
  takeOutOfService(why: string): void {
    this.#goOutOfOrder(why);
  }

  /**
   * The terminal cannot safely take money or print: the next person is turned away (out-of-service, out-of-order)
   * until staff put it back in service. Said once on the console, and journaled when the journal still takes it.
   * Every fault counts, even one that comes while already out of order: a check under way must not clear it.
   */
  #goOutOfOrder(why: string): void {
    this.#faults += 1;
    if (this.#outOfOrder) return;
    this.#outOfOrder = why.replace(/\.+$/, '');
    this.#staff(`OUT OF ORDER: ${this.#outOfOrder}. Fix it, then press Back in service on the operator panel (it writes what the disk missed, then checks the devices); do not kill the kiosk while it holds money it could not record.`);
    this.#journalOrLog({ type: 'terminal.outOfOrder', why: this.#outOfOrder });
    this.#send({ type: 'terminal.outOfOrder' });
  }

  /**
   * Staff put the terminal back in service. First what the disk missed is written (the cash box's state, the journal
   * records that failed), then the devices are checked (the printer's storage takes a test file, the journal a
   * record). Concurrent calls share one check; a fault that comes during it keeps the terminal out of order. Throws
   * TerminalOutOfOrderError with what still fails.
   */
  resumeService(): Promise<void> {
    this.#resuming ??= this.#resume().finally(() => {
      this.#resuming = null;
    });
    return this.#resuming;
  }

  async #resume(): Promise<void> {
    const was = this.#outOfOrder;
    if (!was) return;
    const faults = this.#faults;
    try {
      this.#flushStorage();
      await this.#o.printer.check();
      if (this.#faults !== faults) throw new Error(`a new fault came during the check`);
      this.#journal({ type: 'terminal.inService', was });
    } catch (e) {
      throw new TerminalOutOfOrderError(`${this.#outOfOrder ?? was}; still: ${describeError(e)}`);
    }
    this.#staff(`back in service (was out of order: ${was})`);
    this.#outOfOrder = null;
    this.#send({ type: 'terminal.inService' });
  }

  /** Writes what a storage failure left in memory only: the cash box's state, then the journal's missed records. */
  #flushStorage(): void {
    this.#o.cashBox.flush();
    this.#flushJournal();
  }

  view(): KioskView {
    return viewOf(this.snapshot);
  }

  #stamp(input: UiInput): UiEvent {
    return (input.type === 'ui.start' || input.type === 'ui.selectCertificate' ? { ...input, at: this.#o.clock.now() } : input) as UiEvent;
  }

  /**
   * The PIN pad's Enter: the digits go to a pad, the machine only hears that a PIN was submitted. On a PIN reset the
   * screen's step says which pad and which form: the other PIN (checked by the card), then the new one twice.
   */
  submitPin(digits: string): void {
    if (!this.snapshot.can({ type: 'pin.submitted' })) throw new KioskStateError('Entering a PIN', this.screen);
    const { resetPin } = this.snapshot.context;
    const step = this.view().step;
    const form = (pin: 'auth' | 'sign' | null) => (pin === 'sign' ? 'password' as const : 'pin' as const);
    if (this.screen === 'pin-reset' && step === 'new') this.newPinPads.first.enter(digits, form(resetPin));
    else if (this.screen === 'pin-reset' && step === 'confirm') this.newPinPads.again.enter(digits, form(resetPin));
    else this.pinPad.enter(digits, this.screen === 'pin-reset' ? form(resetPin === 'auth' ? 'sign' : 'auth') : 'pin');
    this.#timerKey = '';
    this.#send({ type: 'pin.submitted' });
  }

  /** A coin or bill put into the acceptor. Returns whether it was taken. */
  insertCash(yen: number): { accepted: boolean; reason?: string } {
    if (typeof yen !== 'number' || !Number.isFinite(yen)) throw new KioskInputError('a coin or bill is a number of yen');
    const result = this.#o.cashBox.insert(yen);
    if (result.accepted) {
      // The coin is in escrow (the cash box is the truth for escrow, recovery included): the machine hears of it even
      // when the journal cannot take its record, and the terminal goes out of order.
      this.#journalOrLog({ type: 'cash.in', amount: yen, total: result.total });
      this.#timerKey = '';
      this.#send({ type: 'cash.inserted', amount: yen, total: result.total });
      return { accepted: true };
    }
    if (result.reason !== 'not-accepting') {
      this.#journalOrLog({ type: 'cash.rejected', amount: yen, reason: result.reason });
      this.#send({ type: 'cash.rejected', amount: yen, reason: result.reason });
    }
    return { accepted: false, reason: result.reason };
  }

  /** Resolves when no device work is under way (a wait for a card that is not there does not count). */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.#pending.size === 0) return;
      await Promise.allSettled([...this.#pending]);
    }
  }

  #send(event: KioskEvent): void {
    this.#o.log?.(`event ${event.type} on ${this.screen}`);
    this.actor.send(event);
  }

  /**
   * Journals a fact; throws when the journal cannot take it (the caller must not act on what it could not record).
   * Records a failure left unwritten go first, in their order.
   */
  #journal(fact: JournalFact): void {
    this.#flushJournal();
    this.journal.append(this.session, this.#o.clock.now(), fact);
  }

  /**
   * Journals a fact of money that has already moved (a refund, a payout, a coin in escrow): the money must still reach
   * the person when the journal fails, so the failure takes the terminal out of order instead of stopping the flow,
   * and the record waits in memory to be written first thing when the journal takes records again (or at a clean
   * stop, or when staff resume service). With it, and the cash box's state flushed the same way, a restart does not
   * settle the session again.
   */
  #journalOrLog(fact: JournalFact): void {
    const at = this.#o.clock.now();
    try {
      this.#flushJournal();
      this.journal.append(this.session, at, fact);
    } catch (e) {
      this.#o.log?.(`journal failed (${fact.type}): ${describeError(e)}`);
      if (fact.type !== 'terminal.outOfOrder') this.#unjournaled.push({ session: this.session, at, fact });
      this.#goOutOfOrder(`the journal cannot be written (${describeError(e)})`);
    }
  }

  /** Writes the records a journal failure left in memory, oldest first; throws (keeping the rest) if it still fails. */
  #flushJournal(): void {
    while (this.#unjournaled.length) {
      const { session, at, fact } = this.#unjournaled[0];
      this.journal.append(session, at, fact);
      this.#unjournaled.shift();
    }
  }

  #track(work: () => Promise<void>): void {
    const p = work().catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.#errors.push(err);
      this.#o.log?.(`device error: ${err.name}: ${err.message}`);
    });
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  #changed(s: SnapshotFrom<typeof kioskMachine>): void {
    this.#persist();
    this.#armTimer(s);
    for (const l of this.#listeners) l(s);
    // The machine asks for a card the reader does not have (taken off while the machine could not hear it): tell it
    // the card is gone, or the kiosk would wait for it forever.
    if (screenOf(s.value) === 'take-card' && !this.#o.reader.cardPresent) queueMicrotask(() => this.#send({ type: 'card.removed' }));
  }

  #persist(): void {
    if (!this.#o.stateDir) return;
    crashPoint('snapshot (before)');
    try {
      this.#snapshots.write({ version: 1, session: this.session, savedAt: this.#o.clock.nowMs(), machine: this.actor.getPersistedSnapshot() });
    } catch (e) {
      // The snapshot only helps a restart resume a menu: losing it loses no money, but the disk is failing.
      this.#o.log?.(`snapshot not written: ${describeError(e)}`);
      if (!this.#outOfOrder) queueMicrotask(() => this.#goOutOfOrder(`the snapshot cannot be written (${describeError(e)})`));
    }
    crashPoint('snapshot (written)');
  }

  /** Each screen declares its idle timeout in `meta`; the machine only ever hears `timeout`. */
  #armTimer(s: SnapshotFrom<typeof kioskMachine>): void {
    const key = JSON.stringify(s.value) + (s.context.warning ? ':warning' : '');
    if (key === this.#timerKey) return;
    this.#timerKey = key;
    this.#cancelTimer?.();
    const meta = s.getMeta() as Record<string, { timeout?: number } | undefined>;
    const seconds = s.context.warning ? WARNING_SECONDS : meta[`kiosk.${screenOf(s.value)}`]?.timeout;
    this.#cancelTimer = seconds ? this.#o.clock.setTimer(seconds * 1000, () => {
      this.#timerKey = '';
      this.#send({ type: 'timeout' });
    }) : null;
  }

  /** The device work held back (holdDeviceWork), oldest first. */
  get heldDeviceWork(): ReadonlyArray<KioskCommand['type']> {
    return this.router.heldDeviceWork;
  }

  /** Runs the oldest held device work; resolves when it has answered. */
  releaseDeviceWork(expected?: KioskCommand['type']): Promise<void> {
    return this.router.releaseDeviceWork(expected);
  }
}
