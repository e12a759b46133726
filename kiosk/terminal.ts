// One kiosk terminal, assembled: a reader (sim, or PC/SC through pcscd), the sim center, sim cash box, sim printer
// with a spool or null sink, and the runtime. The operator panel and journeys script the devices through it.
import { FAULTS, type Fault } from './protocol.ts';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ScriptedCenter } from '../center/scripted-center.ts';
import { SimCenter } from '../center/sim-center.ts';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import { SimPrinter } from '../printer/sim-printer.ts';
import { PRINT_SPEEDS, type PrintSpeedName } from '../printer/speed.ts';
import { NullSink, SpoolSink, type PrintSink } from '../printer/sinks.ts';
import { SpoolError } from '../printer/errors.ts';
import { SimReader } from '../reader/sim-reader.ts';
import { PcscReader } from '../reader/pcsc-reader.ts';
import type { CardReader } from '../reader/reader.ts';
import { VpcdBridge } from '../reader/vpcd-bridge.ts';
import type { CardFault, PinName, VirtualMyNumberCard } from '../reader/virtual-card.ts';
import { CardProfileError, readCardProfile } from '../reader/card-profile.ts';
import { CardStore, CardStoreError, type HeldCard } from './card-store.ts';
import { WardCounter } from './counter/counter.ts';
import { SimClock, type Clock } from './clock.ts';
import { FULL_TUBES, SimCashBox } from './devices/cash-box.ts';
import { Journal, crashPoint } from './journal.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';
import { DiskFullError, DiskReserve } from './disk-reserve.ts';
import { KioskRuntime } from './runtime.ts';
import type { ResettablePin } from '../machine/types.ts';
import { loadSampleData, type CardVariant, type SampleData } from '../samples/sample-data.ts';
import type { InspectionEvent } from 'xstate';

export type PrinterChoice = 'spool' | 'null';

export interface TerminalOptions {
  clock: Clock;
  printer?: PrinterChoice;
  spoolDir?: string;
  /** Folder for the journal and the persisted snapshot; in memory only when omitted. */
  varDir?: string;
  inspect?: (e: InspectionEvent) => void;
  log?: (line: string) => void;
  /** Model-based tests release device work one result at a time (see RuntimeOptions.holdDeviceWork). */
  holdDeviceWork?: boolean;
  reader?: ReaderChoice;
  /**
   * The issuance center: by default a SimCenter in this process (its log in varDir/center); several terminals may
   * share one, or talk to `kiosk center serve` through a CenterClient.
   */
  center?: IssuanceCenter;
  /** This terminal's id, printed in its issuance numbers (default K01). */
  terminalId?: string;
  /** Who holds the terminal's folders, as a second process is told (e.g. "kiosk start (terminal K01, port 8080)"). */
  lockedAs?: string;
  /** Lines staff must see at once (see RuntimeOptions.alert). */
  alert?: (line: string) => void;
  /** The watchdog's time for device work while printing (RuntimeOptions.deviceTimeoutMs). */
  deviceTimeoutMs?: number;
  /** The PINs the terminal resets at 暗証番号リセット (RuntimeOptions.resettablePins). */
  resettablePins?: readonly ResettablePin[];
  /** The card store (default: varDir/cards, or in memory without varDir: fresh cards for a journey). */
  cards?: CardStore;
  /**
   * How long printing takes (printer/speed.ts; default fast): real waits the model's time on the clock; on a SimClock
   * the clock moves on by it instead, so a journey's printing costs no wall time but shows in its times.
   */
  printSpeed?: PrintSpeedName;
}

export { FAULTS, type Fault };

/** Which reader the terminal drives: the in-process sim reader, or a PC/SC reader through pcscd. */
export type ReaderChoice = { kind: 'sim' } | { kind: 'pcsc'; name?: string };

export function parseReaderChoice(flag: string): ReaderChoice | null {
  if (flag === 'sim') return { kind: 'sim' };
  if (flag === 'pcsc') return { kind: 'pcsc' };
  if (flag.startsWith('pcsc:') && flag.length > 5) return { kind: 'pcsc', name: flag.slice(5) };
  return null;
}

export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}

/**
 * Where the operator's "insert card" puts a persona's virtual card: on the sim reader, or into pcscd's vpcd
 * driver (the reader then sees it like any card). A physical reader has no slot: the person inserts a real card.
 */
interface CardSlot {
  readonly card: VirtualMyNumberCard | null;
  insert(card: VirtualMyNumberCard): Promise<void>;
  remove(): Promise<void>;
}

export class SimTerminal {
  data!: SampleData;
  reader!: CardReader;
  cashBox!: SimCashBox;
  center!: IssuanceCenter;
  /** The center in this process (its records are what the ward-office counter changes), or null for a remote one. */
  simCenter!: SimCenter | null;
  /** The same center, whose answer to the next request the operator or a script may choose (center/scripted-center.ts). */
  scriptedCenter!: ScriptedCenter;
  printer!: SimPrinter;
  /** The cards an operator or a journey puts on the reader (under varDir/cards, or in memory). */
  cards!: CardStore;
  /** The ward-office counter on these cards and the in-process center, or null with a remote center. */
  counter!: WardCounter | null;
  runtime!: KioskRuntime;
  #slot!: CardSlot | null;
  #bridge: VpcdBridge | null = null;
  /** The printer's storage fails (fault storage-error: a full or broken disk under the spool) until storage-ok. */
  #storageFails = false;
  /** A card fault scripted while no card was on the reader: it strikes the next card placed there. */
  #nextCardFails: CardFault[] = [];
  /** The card on the reader, taken from the card store (its lock held), or null. */
  #held: HeldCard | null = null;
  /** Card operations, one after the other. */
  #cardOps: Promise<void> = Promise.resolve();
  #reserve: DiskReserve | null = null;
  #stopped = false;
  readonly #locks: FolderLock[];

  constructor(readonly options: TerminalOptions) {
    // The terminal's folders are its own before anything is read or settled: a second process on the same --var
    // (or spool, or in-process center) is refused here, and its recovery never touches a live session's money.
    this.#locks = lockFolders(options);
    try {
      this.#build();
    } catch (e) {
      for (const l of this.#locks) l.release();
      throw e;
    }
  }

  #build(): void {
    const options = this.options;
    this.data = loadSampleData();
    this.simCenter = options.center ? null : new SimCenter({
      municipalities: this.data.municipalities, registry: this.data.registry, personas: this.data.personas, ca: this.data.ca, clock: options.clock,
      // The issuance log is kept in center.sqlite; this is a JSON-lines log of an older version, imported once.
      logFile: options.varDir ? join(options.varDir, 'center', 'issuance-log.jsonl') : undefined,
      terminalsFile: options.varDir ? join(options.varDir, 'center', 'terminals.json') : undefined,
      recordsFile: options.varDir ? join(options.varDir, 'center', 'center.sqlite') : undefined,
      signCa: this.data.signCa.certificate,
    });
    this.scriptedCenter = new ScriptedCenter(options.center ?? this.simCenter!.connectLocal(options.terminalId ?? 'K01'));
    this.center = this.scriptedCenter;
    // Room for the money records when the disk fills (disk-reserve.ts): without it the terminal does not start.
    this.#reserve = options.varDir ? new DiskReserve(join(options.varDir, '.reserve')) : null;
    this.#reserve?.ensure();
    const reserve = this.#reserve ?? undefined;
    this.cards = options.cards ?? new CardStore({ dir: options.varDir ? join(options.varDir, 'cards') : null, data: this.data, clock: options.clock, reserve });
    this.#reserve?.onUsed((why) => this.runtime.takeOutOfService(why));
    // A card whose memory cannot be written answers 6581 from then on; the kiosk cannot trust its disk either.
    this.cards.onWriteError((e) => this.runtime.takeOutOfService(`the card store cannot be written (${e.message})`));
    // The ward-office counter on this kiosk's cards and its in-process center (none for a remote center: its records
    // are that process's).
    this.counter = this.simCenter ? new WardCounter({ cards: this.cards, center: this.simCenter, data: this.data, clock: options.clock, desk: 'counter (kiosk start)' }) : null;
    // The cash box keeps its state beside the journal: coins in escrow are still there after a crash.
    this.cashBox = new SimCashBox({}, { stateFile: options.varDir ? join(options.varDir, 'devices', 'cash-box.json') : undefined, reserve });
    const spoolDir = options.spoolDir ?? 'spool';
    const clock = options.clock;
    this.printer = new SimPrinter({
      sink: this.#scriptable(crashPointsAround(options.printer === 'spool' ? new SpoolSink(spoolDir) : new NullSink({ render: false }))),
      speed: PRINT_SPEEDS[options.printSpeed ?? 'fast'], clock,
      wait: clock instanceof SimClock ? async (ms) => clock.advance(ms) : undefined,
    });
    const choice = options.reader ?? { kind: 'sim' };
    if (choice.kind === 'sim') {
      const reader = new SimReader();
      this.reader = reader;
      this.#slot = {
        get card() { return reader.card; },
        insert: async (card) => {
          if (reader.cardPresent) reader.remove();
          reader.insert(card);
        },
        remove: async () => void reader.remove(),
      };
    } else {
      const reader = new PcscReader({ name: choice.name, log: options.log });
      this.reader = reader;
      // "Virtual PCD 00 01" is vpcd's slot 1: the operator's cards go in through that slot.
      const vpcd = /Virtual PCD 00 0([01])/.exec(choice.name ?? 'Virtual PCD 00 00');
      const bridge = vpcd ? new VpcdBridge({ slot: Number(vpcd[1]) as 0 | 1, log: options.log }) : null;
      this.#bridge = bridge;
      this.#slot = bridge && {
        get card() { return bridge.card; },
        insert: async (card) => {
          if (bridge.inserted) await this.#until('removed', () => bridge.remove());
          // A card left by an earlier process: pcscd reports it gone on its next poll.
          else if (this.reader.cardPresent) await this.#until('removed', () => undefined);
          await this.#until('inserted', () => bridge.insert(card));
        },
        remove: async () => {
          if (bridge.inserted) await this.#until('removed', () => bridge.remove());
        },
      };
    }
    this.runtime = new KioskRuntime({
      clock: options.clock, reader: this.reader, center: this.center, printer: this.printer, cashBox: this.cashBox,
      journal: new Journal(options.varDir ? join(options.varDir, 'journal.jsonl') : null, this.#reserve),
      stateDir: options.varDir, terminalId: options.terminalId, inspect: options.inspect, log: options.log, holdDeviceWork: options.holdDeviceWork,
      alert: options.alert, deviceTimeoutMs: options.deviceTimeoutMs, resettablePins: options.resettablePins,
      // A JPKI reset writes the card this terminal placed; a real card on a physical reader cannot be written here.
      issuerWrite: this.#slot ? (pin, value) => {
        const card = this.#slot?.card;
        if (!card) throw new OperatorError('no card of this terminal is on the reader');
        card.issuerReset(pin, value);
      } : undefined,
      // The spool is the printer's own record of what came out (each PDF is written whole, then renamed into place).
      printedDocument: options.printer === 'spool' ? (name) => {
        const file = join(spoolDir, `${name}.pdf`);
        return existsSync(file) ? file : null;
      } : undefined,
    }).start();
  }

  /** Opens the reader (pcscd and a matching reader; nothing to wait for in the simulator). */
  async open(): Promise<this> {
    await this.reader.open();
    // A vpcd slot can still show the card an earlier process left until pcscd's next poll (400 ms); a card some
    // other program (kiosk card serve) keeps there stays, and is read like any card.
    if (this.#bridge && this.reader.cardPresent) await this.#until('removed', () => undefined, 1000).catch(() => undefined);
    return this;
  }

  /** The virtual card in the reader, for scripting faults. */
  get card(): VirtualMyNumberCard | null {
    return this.#slot?.card ?? null;
  }

  /** The card store's id of the card on the reader (e.g. kawasaki-taro-1), or null. */
  get cardId(): string | null {
    return this.#held?.id ?? null;
  }

  /**
   * Places a persona's card (or phone) on the reader, a card already there taken off first; resolves when the reader
   * has seen it. It is the persona's card from the card store, in the state it was left (made when the persona has
   * none yet, with `variant`); `newCard` makes a new one first (the operator's "new card", a journey's own variant).
   * A card on another process's reader is refused (OperatorError says whose).
   */
  insertCard(personaId: string, o: { variant?: CardVariant; newCard?: boolean } = {}): Promise<void> {
    // One card operation at a time, in the order asked: a remove still letting go of its card is done before the
    // next insert takes one (else the card would seem to be on another reader: this one).
    return this.#cardOperation(() => this.#insertCard(personaId, o));
  }

  async #insertCard(personaId: string, o: { variant?: CardVariant; newCard?: boolean }): Promise<void> {
    if (!this.#slot) throw new OperatorError(`${this.reader.name} is a physical reader: place a real card on it.`);
    // An unknown persona changes nothing: the card on the reader stays where it is.
    this.data.persona(personaId);
    if (this.#slot.card) await this.#removeCard();
    let held: HeldCard;
    try {
      if (o.newCard) this.cards.make(personaId, o.variant, 'a new card (operator or journey)');
      held = this.cards.take(personaId, this.options.lockedAs ?? `kiosk terminal ${this.options.terminalId ?? 'K01'}`, o.variant);
    } catch (e) {
      if (e instanceof CardStoreError) throw new OperatorError(e.message);
      throw e;
    }
    for (const f of this.#nextCardFails.splice(0)) held.card.failNext(f);
    try {
      await this.#slot.insert(held.card);
    } catch (e) {
      held.release();
      throw e;
    }
    this.#held = held;
  }

  /**
   * Places the card a card profile describes (reader/PROFILE.md), made afresh from the file: it is nobody's card in
   * the store, and what happens to its counters stays with it until it is taken off. A profile that cannot be used
   * is an OperatorError naming the field.
   */
  insertProfileCard(file: string): Promise<void> {
    return this.#cardOperation(async () => {
      if (!this.#slot) throw new OperatorError(`${this.reader.name} is a physical reader: place a real card on it.`);
      let card: VirtualMyNumberCard;
      try {
        card = readCardProfile(file).card;
      } catch (e) {
        if (e instanceof CardProfileError) throw new OperatorError(e.message);
        throw e;
      }
      if (this.#slot.card) await this.#removeCard();
      for (const f of this.#nextCardFails.splice(0)) card.failNext(f);
      await this.#slot.insert(card);
      this.#held = { id: `profile ${basename(dirname(file))}`, card, release: () => undefined };
    });
  }

  /** Takes the card off the reader; it goes back to the card store as it is now. */
  removeCard(): Promise<void> {
    return this.#cardOperation(() => this.#removeCard());
  }

  #cardOperation(op: () => Promise<void>): Promise<void> {
    const run = this.#cardOps.then(op, op);
    this.#cardOps = run.catch(() => undefined);
    return run;
  }

  async #removeCard(): Promise<void> {
    if (!this.#slot) throw new OperatorError(`${this.reader.name} is a physical reader: take the card off it.`);
    try {
      await this.#slot.remove();
    } finally {
      this.#held?.release();
      this.#held = null;
    }
  }

  /** A card fault for the card on the reader, or the next card placed there when there is none. */
  cardFault(kind: CardFault): void {
    if (this.card) this.card.failNext(kind);
    else this.#nextCardFails.push(kind);
  }

  /**
   * Staff give a persona's current card its PIN counters back (the ward office's reset comes with the counter): on
   * this reader or in the store, recorded in the card's history as an operator action.
   */
  restoreCardTries(personaId: string, pins: PinName[] = ['auth', 'sign', 'cardInfo']): void {
    try {
      this.cards.restoreTries(personaId, pins, 'operator', this.#held);
    } catch (e) {
      if (e instanceof CardStoreError) throw new OperatorError(e.message);
      throw e;
    }
  }

  /**
   * Scripts a fault or its cure. out-of-service is staff taking the terminal out of service; resume-service puts it
   * back, once its devices pass their checks (an OperatorError says what still fails).
   */
  async fault(f: Fault): Promise<void> {
    switch (f) {
      case 'paper-out': return this.printer.setPaper(0);
      case 'paper-refill': return this.printer.loadPaper(500);
      case 'paper-jam': return this.printer.jamAfter(0);
      case 'printer-offline': return this.printer.setOnline(false);
      case 'printer-online': this.printer.clearJam(); return this.printer.setOnline(true);
      case 'center-down': this.center.online = false; return;
      case 'center-up': this.center.online = true; return;
      case 'change-empty': return this.cashBox.setTubes({ 1000: 0, 500: 0, 100: 0, 50: 0, 10: 0 });
      case 'change-refill': return this.cashBox.setTubes(FULL_TUBES);
      case 'card-garbled':
        // With no card on the reader, the next card placed there answers garbage.
        return this.cardFault('garbled');
      case 'printer-hang':
        return this.printer.hang();
      case 'storage-error':
        this.#storageFails = true;
        return;
      case 'storage-ok':
        this.#storageFails = false;
        return;
      case 'out-of-service':
        return this.runtime.takeOutOfService('staff took the terminal out of service');
      case 'resume-service':
        try {
          if (this.runtime.outOfOrder) {
            // The card store writes what its disk missed first (a card is not given out older than it is), and the
            // disk must have room for the reserve again.
            this.cards.flush();
            this.#reserve?.ensure();
          }
          return await this.runtime.resumeService();
        } catch (e) {
          throw new OperatorError(e instanceof CardStoreError || e instanceof DiskFullError ? `The terminal stays out of order: ${e.message}.` : (e as Error).message);
        }
    }
  }

  /** The printer's output, with the scripted storage failure in front of it (as a full disk would fail the spool). */
  #scriptable(sink: PrintSink): PrintSink {
    const failing = () => {
      if (this.#storageFails) throw new SpoolError('The printer\'s storage failed (EIO, scripted by the fault storage-error); fix it (storage-ok), then resume service.');
    };
    return {
      render: sink.render,
      write: async (name, pdf, meta) => {
        failing();
        return sink.write(name, pdf, meta);
      },
      check: async () => {
        failing();
        await sink.check?.();
      },
    };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.runtime.stop();
    this.runtime.journal.close();
    this.#bridge?.remove();
    this.reader.close();
    this.#held?.release();
    this.#held = null;
    try {
      this.cards.flush();
    } catch (e) {
      this.options.alert?.(`stopped with card records not written: ${(e as Error).message}`);
    }
    // The in-process center is this terminal's: its records file is let go before the folder's lock.
    this.simCenter?.close();
    for (const l of this.#locks) l.release();
  }

  /**
   * What a SIGKILL leaves, for in-process crash tests: the kernel lets go of the dead process's folders, and nothing is
   * stopped, flushed or settled (this object must not be used again).
   */
  die(): void {
    this.#stopped = true;
    for (const l of this.#locks) l.release();
  }

  /** Runs `act` and waits until the reader reports `event` (pcscd polls every 400 ms). */
  #until(event: 'inserted' | 'removed', act: () => unknown, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new OperatorError(`${this.reader.name} did not report the card ${event} within ${ms / 1000} s. Is pcscd running?`));
      }, ms);
      const off = this.reader.on(event, () => {
        clearTimeout(timer);
        off();
        resolve();
      });
      Promise.resolve(act()).catch((e) => {
        clearTimeout(timer);
        off();
        reject(e);
      });
    });
  }
}

/**
 * Takes the terminal's folders: its --var, the in-process center's folder under it, and the spool. All or none:
 * a FolderLockedError or FolderUnusableError says which folder, and who holds it.
 */
function lockFolders(o: TerminalOptions): FolderLock[] {
  const id = o.terminalId ?? 'K01';
  const what = o.lockedAs ?? `kiosk terminal ${id}`;
  const folders: Array<[string, string]> = [];
  if (o.varDir) folders.push([o.varDir, what]);
  if (o.varDir && !o.center) folders.push([join(o.varDir, 'center'), `the issuance center of ${what}`]);
  if (o.printer === 'spool' && o.varDir) folders.push([o.spoolDir ?? 'spool', `the spool of ${what}`]);
  const locks: FolderLock[] = [];
  try {
    for (const [folder, as] of folders) locks.push(lockFolder(folder, as));
  } catch (e) {
    for (const l of locks) l.release();
    throw e;
  }
  return locks;
}


/** Crash points (tests only) before and after each document the printer puts out. */
function crashPointsAround(sink: PrintSink): PrintSink {
  return {
    render: sink.render,
    check: sink.check && (() => sink.check!()),
    async write(name, pdf, meta) {
      crashPoint(`printer ${meta?.kind ?? 'document'} ${meta?.copy ?? ''} (before)`);
      const path = await sink.write(name, pdf, meta);
      crashPoint(`printer ${meta?.kind ?? 'document'} ${meta?.copy ?? ''} (out)`);
      return path;
    },
  };
}
