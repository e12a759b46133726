// One kiosk terminal, assembled: a reader (sim, or PC/SC through pcscd), the sim center, sim cash box, sim printer
// with a spool or null sink, and the runtime. The operator panel and journeys script the devices through it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SimCenter } from '../center/sim-center.ts';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import { SimPrinter } from '../printer/sim-printer.ts';
import { SpoolSink, type PrintSink } from '../printer/sinks.ts';
import { SimReader } from '../reader/sim-reader.ts';
import { PcscReader } from '../reader/pcsc-reader.ts';
import { VpcdBridge } from '../reader/vpcd-bridge.ts';
import type { VirtualMyNumberCard } from '../reader/virtual-card.ts';
import type { Clock } from './clock.ts';
import { SimCashBox } from './devices/cash-box.ts';
import { Journal, crashPoint } from './journal.ts';
import { KioskRuntime } from './runtime.ts';
import { loadSampleData, type SampleData } from './sample-data.ts';
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
}

/** Faults an operator or a journey can script. */
export const FAULTS = [
  'paper-out', 'paper-jam', 'printer-offline', 'printer-online', 'paper-refill', 'center-down', 'center-up',
  'change-empty', 'card-garbled',
] as const;
export type Fault = (typeof FAULTS)[number];

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
  readonly data: SampleData;
  readonly reader: SimReader | PcscReader;
  readonly cashBox: SimCashBox;
  readonly center: IssuanceCenter;
  readonly printer: SimPrinter;
  readonly runtime: KioskRuntime;
  readonly #slot: CardSlot | null;
  readonly #bridge: VpcdBridge | null = null;
  /** A card fault scripted while no card was on the reader: it strikes the next card placed there. */
  #nextCardFails: 'garbled' | null = null;
  #stopped = false;

  constructor(readonly options: TerminalOptions) {
    this.data = loadSampleData();
    this.center = options.center ?? new SimCenter({
      municipalities: this.data.municipalities, registry: this.data.registry, personas: this.data.personas, ca: this.data.ca,
      logFile: options.varDir ? join(options.varDir, 'center', 'issuance-log.jsonl') : undefined,
    });
    // The cash box keeps its state beside the journal: coins in escrow are still there after a crash.
    this.cashBox = new SimCashBox({}, { stateFile: options.varDir ? join(options.varDir, 'devices', 'cash-box.json') : undefined });
    const spoolDir = options.spoolDir ?? 'spool';
    this.printer = new SimPrinter({ sink: crashPointsAround(options.printer === 'spool' ? new SpoolSink(spoolDir) : NOWHERE) });
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
      journal: new Journal(options.varDir ? join(options.varDir, 'journal.jsonl') : null),
      stateDir: options.varDir, terminalId: options.terminalId, inspect: options.inspect, log: options.log, holdDeviceWork: options.holdDeviceWork,
      // The spool is the printer's own record of what came out (each PDF is written whole, then renamed into place).
      printedDocument: options.printer === 'spool' ? (name) => {
        const file = join(spoolDir, `${name}.pdf`);
        return existsSync(file) ? file : null;
      } : undefined,
    }).start();
  }

  /** Opens the PC/SC reader (nothing to do for the sim reader). */
  async open(): Promise<this> {
    if (this.reader instanceof PcscReader) {
      await this.reader.start();
      // A vpcd slot can still show the card an earlier process left until pcscd's next poll (400 ms); a card some
      // other program (kiosk card serve) keeps there stays, and is read like any card.
      if (this.#bridge && this.reader.cardPresent) await this.#until('removed', () => undefined, 1000).catch(() => undefined);
    }
    return this;
  }

  /** The virtual card in the reader, for scripting faults. */
  get card(): VirtualMyNumberCard | null {
    return this.#slot?.card ?? null;
  }

  /** Places a persona's card (or phone) on the reader, a card already there taken off first; resolves when the reader has seen it. */
  async insertCard(personaId: string): Promise<void> {
    const card = this.data.makeCard(personaId, this.options.clock.nowMs());
    if (!this.#slot) throw new OperatorError(`${this.reader.name} is a physical reader: place a real card on it.`);
    if (this.#nextCardFails) card.failNext(this.#nextCardFails);
    this.#nextCardFails = null;
    await this.#slot.insert(card);
  }

  async removeCard(): Promise<void> {
    if (!this.#slot) throw new OperatorError(`${this.reader.name} is a physical reader: take the card off it.`);
    await this.#slot.remove();
  }

  fault(f: Fault): void {
    switch (f) {
      case 'paper-out': return this.printer.setPaper(0);
      case 'paper-refill': return this.printer.loadPaper(500);
      case 'paper-jam': return this.printer.jamAfter(0);
      case 'printer-offline': return this.printer.setOnline(false);
      case 'printer-online': this.printer.clearJam(); return this.printer.setOnline(true);
      case 'center-down': this.center.online = false; return;
      case 'center-up': this.center.online = true; return;
      case 'change-empty': return this.cashBox.setTubes({ 1000: 0, 500: 0, 100: 0, 50: 0, 10: 0 });
      case 'card-garbled':
        // With no card on the reader, the next card placed there answers garbage.
        if (this.card) return this.card.failNext('garbled');
        this.#nextCardFails = 'garbled';
        return;
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.runtime.stop();
    this.runtime.journal.close();
    this.#bridge?.remove();
    if (this.reader instanceof PcscReader) this.reader.close();
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

/** The null printer's output: nothing rendered, nothing kept (not even names: a soak prints for days). */
const NOWHERE: PrintSink = { render: false, write: async () => null };

/** Crash points (tests only) before and after each document the printer puts out. */
function crashPointsAround(sink: PrintSink): PrintSink {
  return {
    render: sink.render,
    async write(name, pdf, meta) {
      crashPoint(`printer ${meta?.kind ?? 'document'} ${meta?.copy ?? ''} (before)`);
      const path = await sink.write(name, pdf, meta);
      crashPoint(`printer ${meta?.kind ?? 'document'} ${meta?.copy ?? ''} (out)`);
      return path;
    },
  };
}
