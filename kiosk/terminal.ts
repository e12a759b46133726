// One kiosk terminal on simulated devices, assembled: sim reader, sim center, sim cash box, sim printer with a
// spool or null sink, and the runtime. The operator panel and journeys script the devices through it.
import { join } from 'node:path';
import { SimCenter } from '../center/sim-center.ts';
import { SimPrinter } from '../printer/sim-printer.ts';
import { NullSink, SpoolSink } from '../printer/sinks.ts';
import { SimReader } from '../reader/sim-reader.ts';
import type { Clock } from './clock.ts';
import { SimCashBox } from './devices/cash-box.ts';
import { Journal } from './journal.ts';
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
}

/** Faults an operator or a journey can script. */
export const FAULTS = [
  'paper-out', 'paper-jam', 'printer-offline', 'printer-online', 'paper-refill', 'center-down', 'center-up',
  'change-empty', 'card-garbled',
] as const;
export type Fault = (typeof FAULTS)[number];

export class SimTerminal {
  readonly data: SampleData;
  readonly reader = new SimReader();
  readonly cashBox = new SimCashBox();
  readonly center: SimCenter;
  readonly printer: SimPrinter;
  readonly runtime: KioskRuntime;

  constructor(readonly options: TerminalOptions) {
    this.data = loadSampleData();
    this.center = new SimCenter({
      municipalities: this.data.municipalities, personas: this.data.personas, ca: this.data.ca,
      sequenceFile: options.varDir ? join(options.varDir, 'issuance-sequence') : undefined,
    });
    const sink = options.printer === 'spool' ? new SpoolSink(options.spoolDir ?? 'spool') : new NullSink({ render: false });
    this.printer = new SimPrinter({ sink });
    this.runtime = new KioskRuntime({
      clock: options.clock, reader: this.reader, center: this.center, printer: this.printer, cashBox: this.cashBox,
      journal: new Journal(options.varDir ? join(options.varDir, 'journal.jsonl') : null),
      stateDir: options.varDir, inspect: options.inspect, log: options.log, holdDeviceWork: options.holdDeviceWork,
    }).start();
  }

  /** Places a persona's card (or phone) on the reader; a card already there is taken off first. */
  insertCard(personaId: string): void {
    const card = this.data.makeCard(personaId, this.options.clock.nowMs());
    if (this.reader.cardPresent) this.reader.remove();
    this.reader.insert(card);
  }

  removeCard(): void {
    this.reader.remove();
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
      case 'card-garbled': return this.reader.card?.failNext('garbled');
    }
  }

  stop(): void {
    this.runtime.stop();
    this.runtime.journal.close();
  }
}
