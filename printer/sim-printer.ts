// The simulated multi-copy machine's printer: a strict device with a paper tray, jams and an online switch that
// tests and staff scripts drive. One certificate copy is one duplex sheet; a receipt is one sheet.
// Jobs are serialized: two overlapping requests can never interleave their sheets (see the 2023–24 misissuance).
import { createHash } from 'node:crypto';
import type { IssuedCertificate, Receipt } from './document.ts';
import { PrinterFaultError, type PrinterFault } from './errors.ts';
import { CERTIFICATE_PAGES, checkCertificate, renderCertificatePdf } from './layout/certificate.ts';
import { RECEIPT_PAGES, checkReceipt, renderReceiptPdf } from './layout/receipt.ts';
import { countPages } from './layout/pdf.ts';
import { certificateFileName, receiptFileName, type PrintSink } from './sinks.ts';

export { PrinterFaultError, type PrinterFault };

export interface PrintedDocument {
  /** Where the sink stored the PDF, or null. */
  path: string | null;
  pages: number;
  /** Size of the PDF; 0 when the sink asked for no rendering. */
  bytes: number;
  /** SHA-256 (hex) of the PDF, which the issuance log keeps so that a changed file fails `kiosk verify`; null unrendered. */
  sha256: string | null;
}

export interface PrinterStatus {
  paper: number;
  jammed: boolean;
  online: boolean;
  sheetsPrinted: number;
}

export class SimPrinter {
  private readonly sink: PrintSink;
  private paper: number;
  private jammed = false;
  private online = true;
  private sheetsPrinted = 0;
  /** Sheets still to print before the scripted jam; null when none is scripted. */
  private jamCountdown: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: { sink: PrintSink; paper?: number }) {
    this.sink = options.sink;
    this.paper = checkedCount(options.paper ?? 500, 'paper');
  }

  /** Print one copy on one duplex sheet. Glyphs and layout are checked before any paper moves. */
  printCertificate(cert: IssuedCertificate): Promise<PrintedDocument> {
    return this.exclusive(async () => {
      checkCertificate(cert);
      const name = certificateFileName(cert);
      this.assertReady(name);
      const pdf = this.sink.render === false ? null : await renderCertificatePdf(cert);
      return this.feed(name, pdf, CERTIFICATE_PAGES);
    });
  }

  /** Print the usage statement on one sheet. */
  printReceipt(receipt: Receipt): Promise<PrintedDocument> {
    return this.exclusive(async () => {
      checkReceipt(receipt);
      const name = receiptFileName(receipt);
      this.assertReady(name);
      const pdf = this.sink.render === false ? null : await renderReceiptPdf(receipt);
      return this.feed(name, pdf, RECEIPT_PAGES);
    });
  }

  status(): PrinterStatus {
    return { paper: this.paper, jammed: this.jammed, online: this.online, sheetsPrinted: this.sheetsPrinted };
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
  }

  private assertReady(document: string): void {
    const fault: PrinterFault | null = !this.online
      ? 'offline'
      : this.jammed
        ? 'paper-jam'
        : this.paper < 1
          ? 'paper-out'
          : null;
    if (fault) throw new PrinterFaultError(fault, document);
  }

  private async feed(name: string, pdf: Buffer | null, pages: number): Promise<PrintedDocument> {
    // Rendering took time: the state may have been changed by a script meanwhile, so check again before the sheet moves.
    this.assertReady(name);
    const path = await this.sink.write(name, pdf ?? Buffer.alloc(0));
    this.paper--;
    this.sheetsPrinted++;
    if (this.jamCountdown !== null && --this.jamCountdown === 0) {
      this.jammed = true;
      this.jamCountdown = null;
    }
    return {
      path, pages: pdf ? countPages(pdf) : pages, bytes: pdf?.length ?? 0,
      sha256: pdf ? createHash('sha256').update(pdf).digest('hex') : null,
    };
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
