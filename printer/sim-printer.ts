// The simulated multi-copy machine's printer: a strict device with a paper tray, jams and an online switch that
// tests and staff scripts drive. A certificate copy is one duplex sheet (more when its record is longer than one
// front); a receipt and a refund slip are one sheet each.
// Jobs are serialized: two overlapping requests can never interleave their sheets (see the 2023–24 misissuance).
// Like serialport's MockBinding it is scripted and read through its own methods, never patched: paper, jams, the
// online switch and a hang; record() keeps what it printed.
import { createHash } from 'node:crypto';
import type { IssuedCertificate, Receipt, RefundSlip } from './document.ts';
import { PrinterFaultError, type PrinterFault } from './errors.ts';
import { checkCertificate, planCertificate, renderCertificatePdf } from './layout/certificate.ts';
import { RECEIPT_PAGES, checkReceipt, renderReceiptPdf } from './layout/receipt.ts';
import { REFUND_SLIP_PAGES, checkRefundSlip, renderRefundSlipPdf } from './layout/refund-slip.ts';
import { countPages } from './layout/pdf.ts';
import { documentTimeMs, PRINT_SPEEDS, type PrintClock, type PrintSpeed } from './speed.ts';
import type { PrintedDocument, Printer, PrinterRecording, PrinterStatus } from './printer.ts';
import { certificateFileName, receiptFileName, refundSlipFileName, type DocumentMeta, type PrintSink } from './sinks.ts';

export { PrinterFaultError, type PrinterFault, type PrintedDocument, type PrinterStatus };

export class SimPrinter implements Printer {
  private readonly sink: PrintSink;
  private paper: number;
  private jammed = false;
  private online = true;
  private sheetsPrinted = 0;
  /** Sheets still to print before the scripted jam; null when none is scripted. */
  private jamCountdown: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** A hung printer: its documents neither come out nor fail until it is switched off and on (setOnline). */
  private hung = false;
  private hungJobs: Array<() => void> = [];
  private readonly recordings = new Set<PrinterRecording>();

  private speed: PrintSpeed;
  private readonly clock: PrintClock | null;
  private readonly wait: (ms: number) => Promise<void>;
  /** When (clock ms) the last sheet came out, for the warm-up after standing idle. */
  private lastSheetAt: number | null = null;

  /**
   * `speed` (printer/speed.ts; default fast) paces the sheets on `clock`: `wait` is how the time passes, a timer on the
   * clock by default (a journey's simulated clock passes it by moving on instead).
   */
  constructor(options: { sink: PrintSink; paper?: number; speed?: PrintSpeed; clock?: PrintClock; wait?: (ms: number) => Promise<void> }) {
    this.sink = options.sink;
    this.paper = checkedCount(options.paper ?? 500, 'paper');
    this.speed = options.speed ?? PRINT_SPEEDS.fast;
    this.clock = options.clock ?? null;
    const clock = this.clock;
    this.wait = options.wait ?? (clock ? (ms) => new Promise<void>((resolve) => { clock.setTimer(ms, resolve); }) : (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Print one copy: one duplex sheet, or one per front when the record is longer. Glyphs and layout are checked, and
   * the tray must hold the whole copy, before any paper moves.
   */
  printCertificate(cert: IssuedCertificate): Promise<PrintedDocument> {
    return this.exclusive(async () => {
      checkCertificate(cert);
      const name = certificateFileName(cert);
      const pages = planCertificate(cert).pages;
      this.assertReady(name, pages / 2);
      const pdf = this.sink.render === false ? null : await renderCertificatePdf(cert);
      const out = await this.feed(name, pdf, { kind: cert.kind, issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, pages }, pages / 2);
      for (const r of this.recordings) r.certificates.push(cert);
      return out;
    });
  }

  /** Print the usage statement on one sheet. */
  printReceipt(receipt: Receipt): Promise<PrintedDocument> {
    return this.exclusive(async () => {
      checkReceipt(receipt);
      const name = receiptFileName(receipt);
      this.assertReady(name);
      const pdf = this.sink.render === false ? null : await renderReceiptPdf(receipt);
      const out = await this.feed(name, pdf, { kind: 'receipt', issuanceNumber: receipt.issuanceNumber, copy: null, pages: RECEIPT_PAGES }, 1);
      for (const r of this.recordings) r.receipts.push(receipt);
      return out;
    });
  }

  /** Print a refund slip (the store pays the amount at the counter) on one sheet. */
  printRefundSlip(slip: RefundSlip): Promise<PrintedDocument> {
    return this.exclusive(async () => {
      checkRefundSlip(slip);
      const name = refundSlipFileName(slip);
      this.assertReady(name);
      const pdf = this.sink.render === false ? null : await renderRefundSlipPdf(slip);
      const out = await this.feed(name, pdf, { kind: 'refund-slip', issuanceNumber: slip.issuanceNumber, copy: null, pages: REFUND_SLIP_PAGES }, 1);
      for (const r of this.recordings) r.refundSlips.push(slip);
      return out;
    });
  }

  /** Whether the printer's output can take a document now (its spool folder is writable); throws what stops it. */
  async check(): Promise<void> {
    await this.sink.check?.();
  }

  /**
   * Starts keeping every document that comes out (not those that fail), until the recording's stop(): opt-in, so
   * that a printer running for days keeps nothing.
   */
  record(): PrinterRecording {
    const recording: PrinterRecording = {
      certificates: [], receipts: [], refundSlips: [],
      stop: () => void this.recordings.delete(recording),
    };
    this.recordings.add(recording);
    return recording;
  }

  status(): PrinterStatus {
    return { paper: this.paper, jammed: this.jammed, online: this.online, sheetsPrinted: this.sheetsPrinted, ...(this.hung ? { hung: true } : {}) };
  }

  /** Sets how long printing takes from the next sheet on (printer/speed.ts). */
  setSpeed(speed: PrintSpeed): void {
    this.speed = speed;
  }

  /** Staff put n more sheets in the tray. */
  loadPaper(n: number): void {
    this.paper += checkedCount(n, 'loadPaper(n)');
  }

  /** Sets the sheets in the tray (0 empties it): scripts paper running out after a given number of sheets. */
  setPaper(n: number): void {
    this.paper = checkedCount(n, 'setPaper(n)');
  }

  /** Script a jam: after `sheets` more sheets have come out, the printer jams (0 jams it now). */
  jamAfter(sheets: number): void {
    const n = checkedCount(sheets, 'jamAfter(sheets)');
    if (n === 0) {
      this.jammed = true;
      this.jamCountdown = null;
    } else {
      this.jamCountdown = n;
    }
  }

  /** Staff removed the jammed sheet. */
  clearJam(): void {
    this.jammed = false;
  }

  setOnline(online: boolean): void {
    this.online = online;
    // Switched off and on: a hung job is lost (it fails as offline), and the printer answers again.
    if (this.hung) {
      this.hung = false;
      for (const lose of this.hungJobs.splice(0)) lose();
    }
  }

  /** Script a hang (a printer whose firmware stopped): the next documents never come out and never fail until setOnline(). */
  hang(): void {
    this.hung = true;
  }

  /** Throw the fault that stops a document of `sheets` sheets now (offline first, then a jam, then paper). */
  private assertReady(document: string, sheets = 1): void {
    const fault: PrinterFault | null = !this.online
      ? 'offline'
      : this.jammed
        ? 'paper-jam'
        : this.paper < sheets
          ? 'paper-out'
          : null;
    if (fault) throw new PrinterFaultError(fault, document);
  }

  private async feed(name: string, pdf: Buffer | null, meta: DocumentMeta, sheets: number): Promise<PrintedDocument> {
    if (this.hung) await new Promise<never>((_, reject) => this.hungJobs.push(() => reject(new PrinterFaultError('offline', name))));
    // Rendering took time: the state may have been changed by a script meanwhile, so check again before a sheet moves.
    this.assertReady(name, sheets);
    // A scripted jam that comes before the copy's last sheet stops it part-way: the sheets already out are spent and
    // the copy is not delivered.
    if (this.jamCountdown !== null && this.jamCountdown < sheets) {
      this.paper -= this.jamCountdown;
      this.sheetsPrinted += this.jamCountdown;
      this.jammed = true;
      this.jamCountdown = null;
      throw new PrinterFaultError('paper-jam', name);
    }
    await this.pace(meta.kind === 'receipt' || meta.kind === 'refund-slip' ? 'slip' : 'certificate', sheets);
    // The time the sheets took: a fault scripted meanwhile (staff opened the cover, the power went) stops them.
    this.assertReady(name, sheets);
    const path = await this.sink.write(name, pdf ?? Buffer.alloc(0), meta);
    this.paper -= sheets;
    this.sheetsPrinted += sheets;
    if (this.jamCountdown !== null && (this.jamCountdown -= sheets) === 0) {
      this.jammed = true;
      this.jamCountdown = null;
    }
    return {
      path, pages: pdf ? countPages(pdf) : meta.pages, bytes: pdf?.length ?? 0,
      sha256: pdf ? createHash('sha256').update(pdf).digest('hex') : null,
    };
  }

  /** The sheets take the time the speed model says (nothing at `fast`). */
  private async pace(kind: 'certificate' | 'slip', sheets: number): Promise<void> {
    const now = () => this.clock?.nowMs() ?? Date.now();
    const ms = documentTimeMs(this.speed, kind, sheets, this.lastSheetAt === null ? null : now() - this.lastSheetAt);
    if (ms > 0) await this.wait(ms);
    this.lastSheetAt = now();
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => {});
    return run;
  }
}

function checkedCount(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number of 0 or more, got ${n}.`);
  return n;
}
