// The one interface of the kiosk's printer: the three documents it puts out (certificate copies, the receipt, the
// refund slip), its status and a check that its output takes a document. SimPrinter implements it over a PrintSink
// (the spool of PDFs, or nothing); a real printer's backend would implement the same. The runtime knows nothing else.
import type { IssuedCertificate, Receipt, RefundSlip } from './document.ts';

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
  /** Present (true) while a scripted hang holds its documents. */
  hung?: boolean;
}

export interface Printer {
  /** One copy of a certificate; PrinterFaultError (paper-out, paper-jam, offline) when it cannot. */
  printCertificate(cert: IssuedCertificate): Promise<PrintedDocument>;
  printReceipt(receipt: Receipt): Promise<PrintedDocument>;
  /** The slip the store pays at the counter when the machine could not pay the person back. */
  printRefundSlip(slip: RefundSlip): Promise<PrintedDocument>;
  status(): PrinterStatus;
  /** Whether the printer's output can take a document now (its spool is writable); throws what stops it. */
  check(): Promise<void>;
}

/** What a printer put out while it was recorded, document by document (SimPrinter.record). */
export interface PrinterRecording {
  readonly certificates: IssuedCertificate[];
  readonly receipts: Receipt[];
  readonly refundSlips: RefundSlip[];
  /** Stops recording (the arrays keep what they hold). */
  stop(): void;
}
