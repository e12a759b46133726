// The printer module's public face: the simulated printer, its sinks, the renderers and the typed errors.
export type { IssuedCertificate, Receipt, PrintJob, RecordField, CertificateKind } from './document.ts';
export { SimPrinter, type PrintedDocument, type PrinterStatus } from './sim-printer.ts';
export { SpoolSink, NullSink, certificateFileName, receiptFileName, type PrintSink } from './sinks.ts';
export { renderCertificatePdf, checkCertificate } from './layout/certificate.ts';
export { renderReceiptPdf, checkReceipt } from './layout/receipt.ts';
export { eraDate } from './layout/japan-date.ts';
export { loadFont, assertGlyphs, fontPath, DEFAULT_FONT_PATH } from './fonts.ts';
export {
  FontMissingError,
  MissingGlyphError,
  DocumentLayoutError,
  PrinterFaultError,
  SpoolError,
  type PrinterFault,
} from './errors.ts';
