// The kiosk runtime: runs the pure machine, routes its commands to the devices, turns device results and time
// into events, journals every money and print fact before the machine hears of it, and keeps the PIN out of
// the machine. The UI, the operator panel and headless journeys all drive a terminal through this one class.
import { readStateFile, writeStateFile } from '../storage/state-file.ts';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import { kioskMachine, screenOf, type KioskContext } from '../machine/kiosk-machine.ts';
import type { KioskCommand, KioskEvent, UiEvent } from '../machine/events.ts';
import { CERTIFICATES, LANGUAGES, type PrintFailure, type Screen } from '../machine/types.ts';
import { settlement } from '../machine/rules/money.ts';
import { CenterUnreachableError, IssuanceRefusedError, type Issuance, type IssuanceCenter } from '../center/issuance-center.ts';
import type { IssuedCertificate, Receipt } from '../printer/document.ts';
import type { Printer } from '../printer/printer.ts';
import { PrinterFaultError } from '../printer/errors.ts';
import { certificateFileName } from '../printer/sinks.ts';
import { CardRemovedError } from '../reader/session.ts';
import { CardTerminal, ReadCancelledError } from './card-terminal.ts';
import type { CardReader } from '../reader/reader.ts';
import type { Clock } from './clock.ts';
import type { CashBox } from './devices/cash-box.ts';
import { PinPad } from './devices/pin-pad.ts';
import { Journal, crashPoint, type JournalFact } from './journal.ts';
import { cashOp, recover, recoveryNotice, type RecoveredSession, type RecoveryNotice } from './recovery.ts';
import { viewOf, type KioskView } from './view.ts';

/** The terminal is out of order and staff's check found it still cannot work. */
export class TerminalOutOfOrderError extends Error {
  constructor(detail: string) {
    super(`The terminal stays out of order: ${detail}.`);
    this.name = 'TerminalOutOfOrderError';
  }
}

/** An error in a line for staff: its kind and message, never a stack. */
const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);

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
  /**
   * The watchdog: how long (real time) the center's issuance or one printed document may take before the printing
   * is given up as a printer error and the money settled (default 120 s: a real multi-copy machine takes about a
   * minute a copy). Device work that never answers must not hold a person's money.
   */
  deviceTimeoutMs?: number;
}

/** Device work that did not answer within the watchdog's time. */
export class DeviceTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'DeviceTimeoutError';
  }
}

/** Issuance refusals that time explains (the service closed, or a maintenance window began, since authentication). */
const TIMELY_REFUSALS: ReadonlySet<string> = new Set(['service-closed', 'maintenance', 'session-unknown']);

/** Commands whose device work answers with an event (the others act at once and answer nothing). */
const ANSWERED: ReadonlySet<KioskCommand['type']> = new Set(['reader.readCard', 'reader.verifyPin', 'center.authenticate', 'cash.refund', 'print.start', 'cash.payout']);

/** UI events as a screen sends them: the runtime stamps the time on those whose rules need it. */
type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never;
export type UiInput = WithoutTime<UiEvent>;

/** A message from a screen that is no kiosk event (unknown type, a field of the wrong kind or out of range). */
export class KioskInputError extends Error {
  constructor(detail: string) {
    super(`Not a kiosk event: ${detail}.`);
    this.name = 'KioskInputError';
  }
}

export class KioskStateError extends Error {
  constructor(what: string, screen: string) {
    super(`${what} is not possible on the ${screen} screen.`);
    this.name = 'KioskStateError';
  }
}

/** Seconds the timeout warning stays before the screen's timeout acts. */
export const WARNING_SECONDS = 30;

/**
 * Screens a restarted kiosk may resume on: nothing on them depends on a card session, a center session or cash,
 * which a crash loses (or settles). Any other screen starts again at the top.
 */
const RESUMABLE: ReadonlySet<Screen> = new Set(['top', 'government-menu', 'advanced-menu']);
/** A persisted snapshot older than this (kiosk time) is a person long gone: start at the top. */
const RESUME_WITHIN_MS = 5 * 60_000;

/** snapshot.json in the state folder: the machine's persisted snapshot and the runtime's session. */
interface PersistedState {
  version: 1;
  session: string;
  savedAt: number;
  machine: unknown;
}

export class KioskRuntime {
  readonly actor: Actor<typeof kioskMachine>;
  readonly journal: Journal;
  readonly terminal: CardTerminal;
  readonly pinPad = new PinPad();
  session: string = randomUUID();
  readonly #o: RuntimeOptions;
  readonly #pending = new Set<Promise<void>>();
  readonly #listeners = new Set<(s: SnapshotFrom<typeof kioskMachine>) => void>();
  readonly #errors: Error[] = [];
  #timerKey = '';
  #cancelTimer: (() => void) | null = null;
  /** Yen inserted in this session, as the cash box counted it (for the settlement after printing). */
  #inserted = 0;
  /** The issuance being printed, for a refund slip. */
  #issuance: string | null = null;
  /** The center's one-time session for the authenticated person (never in the machine or its snapshot). */
  #centerSession: string | null = null;
  /** Device work held back for a model-based test (holdDeviceWork). */
  #held: KioskCommand[] = [];
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
    this.journal = options.journal ?? new Journal();
    this.terminal = new CardTerminal(options.reader);
    const saved = this.#readPersisted();
    // Money first: whatever a crash left unfinished is settled from the journal and the cash box before anything else.
    this.recovered = recover({
      journal: this.journal, cashBox: options.cashBox, records: this.journal.takePrevious(), lastSession: saved?.session ?? null,
      now: () => options.clock.now(), printed: options.printedDocument, log: options.log,
    });
    this.#recoveryNotice = recoveryNotice(this.recovered);
    const resume = this.recovered.length === 0 && saved ? this.#resumable(saved) : null;
    let actor: Actor<typeof kioskMachine> | null = null;
    if (resume) {
      try {
        actor = createActor(kioskMachine, { input: {}, inspect: options.inspect, snapshot: resume as never });
        this.session = saved!.session;
        this.resumed = screenOf(actor.getSnapshot().value);
      } catch (e) {
        options.log?.(`persisted snapshot not resumed: ${(e as Error).name}`);
        actor = null;
      }
    }
    this.actor = actor ?? createActor(kioskMachine, { input: {}, inspect: options.inspect });
    this.actor.on('*', (command) => this.#route(command as KioskCommand));
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

  start(): this {
    this.actor.start();
    // A restart is a new start of the devices: a resumed snapshot's out-of-order flag is for a process that is gone.
    if (this.context.outOfOrder) this.#send({ type: 'terminal.inService' });
    // Should starting a resumed snapshot not notify its observers, its screen's timer is armed here all the same.
    if (!this.#timerKey) this.#changed(this.snapshot);
    return this;
  }

  #readPersisted(): PersistedState | null {
    if (!this.#o.stateDir) return null;
    try {
      // Only a regular file of a snapshot's size: the snapshot only helps resume a menu, so anything else is ignored.
      const text = readStateFile(join(this.#o.stateDir, 'snapshot.json'), 1 << 20);
      const p = text === null ? null : JSON.parse(text) as PersistedState;
      return p && p.version === 1 && typeof p.session === 'string' && typeof p.savedAt === 'number' ? p : null;
    } catch {
      return null;
    }
  }

  /** The machine snapshot to resume on, when it is safe and recent; null to start at the top. */
  #resumable(saved: PersistedState): unknown {
    const m = saved.machine as { status?: string; value?: unknown } | null;
    if (!m || m.status !== 'active' || m.value === undefined) return null;
    if (!RESUMABLE.has(screenOf(m.value))) return null;
    if (Math.abs(this.#o.clock.nowMs() - saved.savedAt) > RESUME_WITHIN_MS) return null;
    return m;
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

  /** The PIN pad's Enter: the digits go to the pad, the machine only hears that a PIN was submitted. */
  submitPin(digits: string): void {
    if (!this.snapshot.matches({ 'pin-entry': 'entering' })) throw new KioskStateError('Entering a PIN', this.screen);
    this.pinPad.enter(digits);
    this.#timerKey = '';
    this.#send({ type: 'pin.submitted' });
  }

  /** A coin or bill put into the acceptor. Returns whether it was taken. */
  insertCash(yen: number): { accepted: boolean; reason?: string } {
    if (typeof yen !== 'number' || !Number.isFinite(yen)) throw new KioskInputError('a coin or bill is a number of yen');
    const result = this.#o.cashBox.insert(yen);
    if (result.accepted) {
      this.#inserted = result.total;
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

  /** `work`, or a DeviceTimeoutError once the watchdog's time has passed (the work is left to end on its own). */
  async #watched<T>(what: string, work: Promise<T>): Promise<T> {
    const ms = this.#o.deviceTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeviceTimeoutError(what, ms)), ms);
      timer.unref?.();
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
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
  }

  #persist(): void {
    if (!this.#o.stateDir) return;
    const file = join(this.#o.stateDir, 'snapshot.json');
    const state: PersistedState = { version: 1, session: this.session, savedAt: this.#o.clock.nowMs(), machine: this.actor.getPersistedSnapshot() };
    // Written whole and renamed: a crash leaves the previous snapshot or this one, never half of one.
    crashPoint('snapshot (before)');
    try {
      // Not synced: the snapshot only lets a restart resume a menu; a torn one is ignored (money is in the journal).
      writeStateFile(file, JSON.stringify(state), { sync: false });
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
    return this.#held.map((c) => c.type);
  }

  /** Runs the oldest held device work; resolves when it has answered. */
  async releaseDeviceWork(expected?: KioskCommand['type']): Promise<void> {
    const command = this.#held.shift();
    if (!command) throw new KioskStateError(`Releasing device work (${expected ?? 'any'}) when none is waiting`, this.screen);
    if (expected && command.type !== expected) throw new KioskStateError(`Releasing ${expected} when ${command.type} is waiting`, this.screen);
    this.#execute(command);
    await this.settled();
  }

  #route(command: KioskCommand): void {
    this.#o.log?.(`command ${command.type}`);
    if (command.type === 'session.end') this.#held = [];
    if (this.#o.holdDeviceWork && ANSWERED.has(command.type)) {
      this.#held.push(command);
      return;
    }
    this.#execute(command);
  }

  #execute(command: KioskCommand): void {
    const { center, cashBox, clock } = this.#o;
    switch (command.type) {
      case 'reader.readCard':
        this.terminal.waitForCard().then(
          () => this.#track(async () => {
            const outcome = await this.terminal.read();
            this.#send(outcome.ok ? { type: 'card.read.done', card: outcome.card, at: clock.now() } : { type: 'card.read.failed', reason: outcome.reason });
          }),
          (e) => {
            if (!(e instanceof ReadCancelledError)) this.#errors.push(e);
          },
        );
        return;
      case 'reader.cancelRead':
        this.terminal.cancelWait();
        return;
      case 'reader.verifyPin':
        return this.#track(async () => {
          if (!this.pinPad.holding) throw new KioskStateError('A PIN check with no PIN entered', this.screen);
          try {
            // The pad wipes its buffer as soon as the VERIFY has the digits.
            const r = (await this.pinPad.use((pin) => this.terminal.verifyPin(pin)))!;
            this.#send(r.result === 'ok' ? { type: 'card.pin.ok' } : r.result === 'locked' ? { type: 'card.pin.locked' } : { type: 'card.pin.wrong', triesLeft: r.triesLeft });
          } catch (e) {
            // A removed card is reported by the reader itself; anything else is a broken card.
            if (!(e instanceof CardRemovedError)) this.#send({ type: 'card.read.failed', reason: 'card-read-error' });
          }
        });
      case 'center.authenticate':
        return this.#track(async () => {
          try {
            const challenge = await center.challenge();
            const { certificate, signature } = await this.terminal.sign(challenge);
            const r = await center.authenticate({ certificate, challenge, signature, scope: command.scope, city: command.city, at: clock.now() });
            if (r.ok) {
              // The session token stays here, out of the machine: only this session can ask for this person's documents.
              this.#centerSession = r.session;
              this.#send({ type: 'center.auth.done', holder: r.holder, city: r.city, at: clock.now() });
            } else {
              this.#o.log?.(`center refused authentication: ${r.cause}`);
              this.#send({ type: 'center.auth.refused', reason: r.reason, cause: r.cause });
            }
          } catch (e) {
            if (e instanceof CenterUnreachableError) this.#send({ type: 'center.unreachable' });
            else if (!(e instanceof CardRemovedError)) this.#send({ type: 'center.auth.refused', reason: 'card-read-error' });
          } finally {
            this.terminal.forget();
          }
        });
      case 'cash.accept':
        this.#inserted = cashBox.escrowTotal;
        cashBox.accept(command.due);
        return;
      case 'cash.stop':
        cashBox.stop();
        return;
      case 'cash.refund':
        return this.#track(async () => {
          const amount = cashBox.refundEscrow(cashOp(this.session, 'refund'));
          this.#inserted = 0;
          this.#journalOrLog({ type: 'cash.refunded', amount });
          this.#send({ type: 'cash.refunded', amount });
        });
      case 'print.start':
        return this.#track(() => this.#print(command));
      case 'cash.payout':
        return this.#track(async () => this.#payOut(command));
      case 'session.end':
        this.terminal.cancelWait();
        this.terminal.forget();
        this.pinPad.wipe();
        cashBox.stop();
        this.#inserted = 0;
        this.#issuance = null;
        this.#centerSession = null;
        this.session = randomUUID();
        return;
    }
  }

  /**
   * Collect, issue, print each copy, print the receipt. Whatever fails on the way to paper, the machine hears
   * print.failed with the copies that came out, and the money is settled as for any failure: a fault the printer
   * names (paper, jam, offline) keeps the terminal in service; anything else (the spool, the disk, the journal, a
   * printer or center that never answers, caught by the watchdog) is a printer error and takes it out of order.
   */
  async #print(command: Extract<KioskCommand, { type: 'print.start' }>): Promise<void> {
    const { center, cashBox, printer, clock } = this.#o;
    const { request } = command;
    let printed = 0;
    let issued: Issuance | null = null;
    const fail = (reason: PrintFailure, why?: unknown) => {
      if (why !== undefined && reason === 'printer-error') this.#goOutOfOrder(`printing failed: ${describeError(why)}`);
      this.#journalOrLog({ type: 'print.failed', issuanceNumber: issued?.issuanceNumber ?? null, reason, printed });
      this.#send({ type: 'print.failed', reason, printed });
    };
    try {
      // The collect's key lets recovery ask the cash box whether it happened when the kill came before this record.
      this.#inserted = cashBox.collect(cashOp(this.session, 'collect'));
      this.#journal({ type: 'payment.collected', amount: this.#inserted, due: request.unitFee * request.copies, unitFee: request.unitFee, copies: request.copies });
    } catch (e) {
      return fail('printer-error', e);
    }
    try {
      const session = this.#centerSession ?? '';
      this.#centerSession = null;
      issued = await this.#watched('the issuance center', center.issue({ session, holder: command.holder, request, at: clock.now(), terminal: this.#o.terminalId ?? 'K01' }));
    } catch (e) {
      // Nothing printed: the whole payment goes back. A refusal that time does not explain means the kiosk and the
      // center disagree on a rule, which is a bug worth an error as well as a refund.
      if (e instanceof CenterUnreachableError) {
        this.#o.log?.(`center: ${(e as Error).message}`);
        return fail('center-unreachable');
      }
      if (e instanceof IssuanceRefusedError) {
        fail('issuance-refused');
        if (TIMELY_REFUSALS.has(e.refusal)) this.#o.log?.(`center refused the issuance: ${e.refusal}`);
        else this.#errors.push(e);
        return;
      }
      return fail('printer-error', e);
    }
    this.#issuance = issued.issuanceNumber;
    try {
      this.#journal({ type: 'issued', issuanceNumber: issued.issuanceNumber, certificate: issued.certificates[0]?.title ?? '', copies: request.copies, unitFee: request.unitFee });
      for (const cert of issued.certificates) {
        // Write-ahead: recovery finds this intent and asks the printer whether the copy came out before the kill.
        this.#journal({ type: 'print.copy.start', issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, of: cert.copies, name: certificateFileName(cert) });
        const doc = await this.#watched(`printing copy ${cert.copyIndex} of ${cert.copies}`, printer.printCertificate(cert));
        printed += 1;
        this.#journal({ type: 'print.copy', issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, of: cert.copies, file: doc.path });
        // The log learns the printed file's digest, so that `kiosk verify FILE.pdf` spots a changed copy. A lost
        // answer only weakens that check (the code still verifies), so it never stops the printing.
        if (doc.sha256) {
          await this.#watched('the issuance center', center.recordPrinted({ verificationCode: cert.verificationCode, pdfSha256: doc.sha256 }))
            .catch((e) => this.#o.log?.(`center did not take the digest: ${describeError(e)}`));
        }
        this.#send({ type: 'print.progress', printed, total: request.copies });
      }
    } catch (e) {
      if (e instanceof PrinterFaultError) return fail(e.fault === 'offline' ? 'printer-offline' : e.fault);
      return fail('printer-error', e);
    }
    const s = settlement({ inserted: this.#inserted, unitFee: request.unitFee, copies: request.copies, printed });
    const receipt: Receipt = {
      issuanceNumber: issued.issuanceNumber, issuedAt: clock.now(), storeName: this.#o.storeName ?? 'シミュレーター店（テスト）',
      terminalId: this.#o.terminalId ?? 'K01',
      lines: [{ title: issued.certificates[0].title, copies: request.copies, unitFee: request.unitFee, printed }],
      charged: s.charged, inserted: this.#inserted, change: s.change, refunded: s.refunded,
    };
    try {
      const doc = await this.#watched('printing the receipt', printer.printReceipt(receipt));
      this.#journal({ type: 'print.receipt', issuanceNumber: issued.issuanceNumber, file: doc.path });
    } catch (e) {
      // The certificates are out and paid for; a missing receipt is noted for staff, not charged to the person.
      const why = e instanceof PrinterFaultError ? e.fault : 'printer-error';
      if (!(e instanceof PrinterFaultError)) this.#goOutOfOrder(`printing the receipt failed: ${describeError(e)}`);
      this.#journalOrLog({ type: 'print.failed', issuanceNumber: issued.issuanceNumber, reason: `receipt:${why}`, printed });
    }
    this.#send({ type: 'print.done', printed });
  }

  #payOut({ amount, change, refunded, charged }: Extract<KioskCommand, { type: 'cash.payout' }>): void {
    // Write-ahead with an idempotency key: a payout the kill interrupted is asked again under the same key and the
    // cash box pays it at most once. The money goes back even when the journal cannot take the records.
    const op = cashOp(this.session, 'payout');
    this.#journalOrLog({ type: 'cash.payout.start', op, amount });
    let paid: boolean;
    try {
      paid = this.#o.cashBox.payout(amount, op).paid;
    } catch (e) {
      this.#goOutOfOrder(`the cash box failed: ${describeError(e)}`);
      paid = false;
    }
    this.#journalOrLog({ type: 'cash.out', change, refunded, charged, paid });
    if (!paid) {
      // The tubes cannot pay: a refund slip records what the store owes, so no yen is lost.
      this.#journalOrLog({ type: 'refund.slip', amount, issuanceNumber: this.#issuance });
      this.#send({ type: 'cash.payoutFailed', amount });
      return;
    }
    this.#send({ type: 'cash.paidOut', amount });
  }
}


const TAPS_WITHOUT_DATA = new Set(['ui.start', 'ui.certificateService', 'ui.acceptTerms', 'ui.confirm', 'ui.back', 'ui.cancel', 'ui.done', 'ui.continue']);
const CORRECTABLE = ['certificate-select', 'type-select', 'info-select', 'copies'] as const;
const INFO_KEYS = ['householdHead', 'domicile', 'myNumber', 'nationality', 'residenceStatus', 'residenceCardNumber'] as const;
/** Ids (residents, municipalities) are short plain strings; anything longer is no id of this kiosk. */
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
const oneOf = <T extends string>(v: unknown, values: readonly T[]): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

/**
 * The event a screen may send, rebuilt from the fields it may carry (anything else is dropped: a stray `at` must not
 * set the machine's time), or a KioskInputError. The screens are outside the kiosk's trust: a WebSocket message can
 * say anything, and a guard that meets a field of the wrong kind would stop the machine.
 */
export function checkUiInput(input: unknown): UiInput {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new KioskInputError('an event is an object with a type');
  const e = input as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new KioskInputError(`${String(e.type).slice(0, 40)}: ${what}`);
  };
  if (typeof e.type !== 'string') return bad('no type');
  if (TAPS_WITHOUT_DATA.has(e.type)) return { type: e.type } as UiInput;
  switch (e.type) {
    case 'ui.otherService':
      return oneOf(e.service, ['copy', 'print', 'photo'] as const) ? { type: e.type, service: e.service } : bad('service is copy, print or photo');
    case 'ui.chooseMedium':
      return oneOf(e.medium, ['card', 'phone'] as const) ? { type: e.type, medium: e.medium } : bad('medium is card or phone');
    case 'ui.selectCity':
      if (!oneOf(e.scope, ['residence', 'domicile'] as const)) return bad('scope is residence or domicile');
      if (e.city !== undefined && e.city !== null && !isId(e.city)) return bad('city is a municipality code');
      return isId(e.city) ? { type: e.type, scope: e.scope, city: e.city } : { type: e.type, scope: e.scope };
    case 'ui.selectCertificate':
      return oneOf(e.certificate, CERTIFICATES) ? { type: e.type, certificate: e.certificate } : bad(`certificate is one of ${CERTIFICATES.join(', ')}`);
    case 'ui.selectType': {
      const t = e.subtype as Record<string, unknown> | null;
      if (!t || typeof t !== 'object') return bad('subtype is an object');
      switch (t.kind) {
        case 'juminhyo':
          if (!oneOf(t.scope, ['household', 'self', 'members'] as const) || !Array.isArray(t.members) || t.members.length > 32 || !t.members.every(isId)) {
            return bad('a 住民票 subtype has a scope and a list of members');
          }
          return { type: e.type, subtype: { kind: 'juminhyo', scope: t.scope, members: [...t.members] } };
        case 'koseki':
          if (!oneOf(t.form, ['zenbu', 'kojin'] as const) || !(t.person === null || isId(t.person))) return bad('a 戸籍 subtype has a form and a person or null');
          return { type: e.type, subtype: { kind: 'koseki', form: t.form, person: t.person } };
        case 'kazei':
          if (!Number.isInteger(t.year) || (t.year as number) < 1900 || (t.year as number) > 9999) return bad('a tax subtype has a year');
          return { type: e.type, subtype: { kind: 'kazei', year: t.year as number } };
        case 'fuhyo':
          return isId(t.person) ? { type: e.type, subtype: { kind: 'fuhyo', person: t.person } } : bad('a 附票 subtype has a person');
        default:
          return bad('subtype kind is juminhyo, koseki, kazei or fuhyo');
      }
    }
    case 'ui.selectInfo': {
      const o = e.options as Record<string, unknown> | null;
      if (!o || typeof o !== 'object' || !INFO_KEYS.every((k) => typeof o[k] === 'boolean')) return bad(`options has the booleans ${INFO_KEYS.join(', ')}`);
      return { type: e.type, options: Object.fromEntries(INFO_KEYS.map((k) => [k, o[k]])) as Record<(typeof INFO_KEYS)[number], boolean> };
    }
    case 'ui.selectCopies':
      return Number.isInteger(e.copies) && (e.copies as number) >= 0 && (e.copies as number) <= 1000 ? { type: e.type, copies: e.copies as number } : bad('copies is a whole number');
    case 'ui.correct':
      return oneOf(e.step, CORRECTABLE) ? { type: e.type, step: e.step } : bad(`step is one of ${CORRECTABLE.join(', ')}`);
    case 'ui.setLanguage':
      return oneOf(e.language, LANGUAGES) ? { type: e.type, language: e.language } : bad(`language is one of ${LANGUAGES.join(', ')}`);
    default:
      return bad('unknown event');
  }
}
