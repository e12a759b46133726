// The documents the benchmark prints (npm run bench, samples/cold-render.ts), and the baseline they are measured
// against: plain pdfkit setting the same text in the same font (parsed once by fontkit, as pdfkit 0.20 accepts it),
// with pdfkit's own text flow and font subsetting, and none of the certificate's layout, tint, seals or images.
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';
import type { IssuedCertificate, Receipt, RefundSlip } from '../printer/document.ts';
import { fontPath } from '../printer/fonts.ts';
import { certificateTexts, renderCertificatePdf } from '../printer/layout/certificate.ts';
import { renderReceiptPdf } from '../printer/layout/receipt.ts';
import { renderRefundSlipPdf } from '../printer/layout/refund-slip.ts';
import { eraDate, isoToDate } from '../printer/layout/japan-date.ts';
import { sampleCertificates, sampleReceiptFor, sampleRefundSlipFor, type SampleType } from './registry-samples.ts';

export type BenchDocument =
  | { type: 'certificate'; name: string; doc: IssuedCertificate }
  | { type: 'receipt'; name: string; doc: Receipt }
  | { type: 'refund-slip'; name: string; doc: RefundSlip };

const AT = '2026-11-24T10:00:00+09:00';
const NUMBER = 'K01-20261124-000001';

/** The sample document of a type for kawasaki-taro (household of three), issued at a fixed time. */
export function sampleDocument(type: SampleType, persona = 'kawasaki-taro'): BenchDocument {
  const opts = { issuedAt: AT, issuanceNumber: NUMBER };
  if (type === 'receipt') return { type, name: type, doc: sampleReceiptFor(persona, opts) };
  if (type === 'refund-slip') return { type, name: type, doc: sampleRefundSlipFor(persona, opts) };
  return { type: 'certificate', name: type, doc: sampleCertificates(type, persona, opts)[0] };
}

export function renderSampleDocument(d: BenchDocument): Promise<Buffer> {
  if (d.type === 'receipt') return renderReceiptPdf(d.doc);
  if (d.type === 'refund-slip') return renderRefundSlipPdf(d.doc);
  return renderCertificatePdf(d.doc);
}

/** The texts of each page of the document, as the baseline sets them. */
export function documentTexts(d: BenchDocument): string[][] {
  if (d.type === 'certificate') {
    const c = d.doc;
    const front = certificateTexts(c).map(([, t]) => t);
    return [[...front, eraDate(c.issuedAt)], [`発行番号 ${c.issuanceNumber}`, c.verificationCode, eraDate(c.issuedAt)]];
  }
  if (d.type === 'receipt') {
    const r = d.doc;
    return [[r.storeName, r.terminalId, r.issuanceNumber, ...r.lines.map((l) => `${l.title} ${l.copies} ${l.unitFee}円 ${l.printed}`), `${r.charged}円 ${r.inserted}円 ${r.change}円 ${r.refunded}円`]];
  }
  const s = d.doc;
  return [[s.storeName, s.terminalId, s.issuanceNumber ?? '', ...s.failed.map((f) => `${f.title} ${f.failedCopies.join('・')} ${f.unitFee}円`), `${s.amount}円`, s.reason ?? '']];
}

let baseline: fontkit.Font | null = null;

/** The font as plain pdfkit code would use it: the whole file parsed by fontkit, once per process. */
export function baselineFont(): fontkit.Font {
  if (!baseline) {
    const f = fontkit.openSync(fontPath());
    if (!('layout' in f)) throw new Error(`${fontPath()} is a font collection`);
    baseline = f;
  }
  return baseline;
}

/** Plain pdfkit: the same texts in the same font, one page per page of the document, no layout. */
export function renderBaseline(d: BenchDocument): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { CreationDate: isoToDate(AT) } });
  // @types/pdfkit only knows paths and buffers; pdfkit itself takes an already-parsed fontkit font.
  doc.registerFont('Mincho', baselineFont() as unknown as Buffer);
  doc.font('Mincho').fontSize(8);
  documentTexts(d).forEach((texts, i) => {
    if (i) doc.addPage();
    doc.text(texts.join('\n'), { width: 499 });
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
