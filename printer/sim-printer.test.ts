import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimPrinter } from './sim-printer.ts';
import { NullSink, SpoolSink, readIndex } from './sinks.ts';
import { MissingGlyphError, PrinterFaultError, SpoolError } from './errors.ts';
import { sampleJuminhyo, sampleReceipt } from './sample.ts';
import { sampleRefundSlipFor } from '../samples/registry-samples.ts';
import { createHash } from 'node:crypto';
import type { IssuedCertificate } from './document.ts';
import { pdfinfo } from './testing/poppler.ts';

const copies = (n: number): IssuedCertificate[] =>
  Array.from({ length: n }, (_, i) => sampleJuminhyo({ copyIndex: i + 1, copies: n }));

/** Print copies in order until one fails; returns how many came out and the fault, as the kiosk would see it. */
async function printAll(printer: SimPrinter, certs: IssuedCertificate[]) {
  let printed = 0;
  for (const cert of certs) {
    try {
      await printer.printCertificate(cert);
      printed++;
    } catch (e) {
      return { printed, error: e as Error };
    }
  }
  return { printed, error: null };
}

const faultOf = (e: Error | null) => (e instanceof PrinterFaultError ? e.fault : e);

describe('SimPrinter with a spool directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-'));
  });

  it('prints each copy as a two-page PDF named by issuance number, kind and copy, one sheet each', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 10 });
    const docs = [];
    for (const cert of copies(2)) docs.push(await printer.printCertificate(cert));
    docs.push(await printer.printReceipt(sampleReceipt()));

    expect(docs.map((d) => d.path)).toEqual([
      join(dir, 'K2025-000123-juminhyo-1of2.pdf'),
      join(dir, 'K2025-000123-juminhyo-2of2.pdf'),
      join(dir, 'K2025-000123-receipt.pdf'),
    ]);
    expect(docs.map((d) => d.pages)).toEqual([2, 2, 1]);
    for (const doc of docs) {
      const file = readFileSync(doc.path!);
      expect(file.subarray(0, 5).toString()).toBe('%PDF-');
      expect(file.subarray(-6).toString()).toMatch(/%%EOF/);
      expect(statSync(doc.path!).size).toBe(doc.bytes);
      expect(pdfinfo(file)).toMatch(new RegExp(`^Pages:\\s+${doc.pages}$`, 'm'));
    }
    expect(printer.status()).toEqual({ paper: 7, jammed: false, online: true, sheetsPrinted: 3 });
    // Written atomically: no temp files are left beside the PDFs and their index.
    expect(readdirSync(dir).sort()).toEqual([
      'K2025-000123-juminhyo-1of2.pdf',
      'K2025-000123-juminhyo-2of2.pdf',
      'K2025-000123-receipt.pdf',
      'index.jsonl',
    ]);
  });

  it('keeps index.jsonl: a line appended per document with kind, issuance number, copy, pages, size, SHA-256 and time', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 10 });
    const printed = [];
    for (const cert of copies(2)) printed.push(await printer.printCertificate(cert));
    printed.push(await printer.printReceipt(sampleReceipt()));
    const index = readFileSync(join(dir, 'index.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(index.map((e: { file: string }) => e.file)).toEqual(['K2025-000123-juminhyo-1of2.pdf', 'K2025-000123-juminhyo-2of2.pdf', 'K2025-000123-receipt.pdf']);
    expect(index[1]).toMatchObject({ kind: 'juminhyo', issuanceNumber: 'K2025-000123', copy: 2, pages: 2, bytes: printed[1].bytes, sha256: printed[1].sha256 });
    expect(index[2]).toMatchObject({ kind: 'receipt', copy: null, pages: 1 });
    for (const e of index) {
      expect(e.sha256).toBe(createHash('sha256').update(readFileSync(join(dir, e.file))).digest('hex'));
      expect(Number.isNaN(Date.parse(e.printedAt))).toBe(false);
    }
    // A new sink on the same folder (a restarted kiosk) adds to the index; a bare write(name, pdf) still works.
    const again = new SpoolSink(dir);
    await again.write('extra', Buffer.from('%PDF-1.3\n'));
    const after = await readIndex(dir);
    expect(after).toHaveLength(4);
    expect(after[3]).toMatchObject({ file: 'extra.pdf', kind: 'document', bytes: 9 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Appended, never rewritten: the lines already there are byte for byte what they were.
    const before = readFileSync(join(dir, 'index.jsonl'), 'utf8');
    await again.write('extra', Buffer.from('%PDF-1.3\n%again\n'));
    const text = readFileSync(join(dir, 'index.jsonl'), 'utf8');
    expect(text.startsWith(before)).toBe(true);
    // A document printed again under the same name: the index answers its latest entry, once.
    expect((await readIndex(dir)).filter((e) => e.file === 'extra.pdf')).toEqual([expect.objectContaining({ bytes: 16 })]);
  });

  it('a damaged or torn index line does not stop printing: the line is skipped, the next appended', async () => {
    writeFileSync(join(dir, 'index.jsonl'), 'GARBAGE\n{"file":"torn.pdf","ki');
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 10 });
    await printer.printReceipt(sampleReceipt());
    expect((await readIndex(dir)).map((e) => e.file)).toEqual(['K2025-000123-receipt.pdf']);
  });

  it('prints a refund slip on one sheet, named by the issuance number', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 3 });
    const doc = await printer.printRefundSlip(sampleRefundSlipFor('kawasaki-taro', { issuedAt: '2026-11-24T10:00:00+09:00', issuanceNumber: 'K01-20261124-000003' }));
    expect(doc.path).toBe(join(dir, 'K01-20261124-000003-refund-slip.pdf'));
    expect(doc.pages).toBe(1);
    expect(printer.status()).toMatchObject({ paper: 2, sheetsPrinted: 1 });
    expect((await readIndex(dir))[0]).toMatchObject({ kind: 'refund-slip', issuanceNumber: 'K01-20261124-000003', pages: 1 });
  });

  it('a copy longer than one front takes a sheet per front, and needs them all in the tray', async () => {
    const base = sampleJuminhyo();
    const long = { ...base, people: [...base.people, ...base.people] };
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 1 });
    await expect(printer.printCertificate(long)).rejects.toMatchObject({ fault: 'paper-out' });
    expect(printer.status()).toMatchObject({ paper: 1, sheetsPrinted: 0 });
    printer.loadPaper(2);
    const doc = await printer.printCertificate(long);
    expect(doc.pages).toBe(4);
    expect(printer.status()).toMatchObject({ paper: 1, sheetsPrinted: 2 });
    // A jam after the first of its two sheets stops the copy: the sheet is spent, no file is delivered.
    printer.loadPaper(5);
    printer.jamAfter(1);
    await expect(printer.printCertificate({ ...long, copyIndex: 2 })).rejects.toMatchObject({ fault: 'paper-jam' });
    expect(printer.status()).toMatchObject({ paper: 5, jammed: true, sheetsPrinted: 3 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf'))).toEqual(['K2025-000123-juminhyo-1of2.pdf']);
  });

  it('checks glyphs before any paper moves: a bad name uses no sheet and writes no file', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 5 });
    const cert = sampleJuminhyo();
    cert.people[0][0] = { label: '氏名', value: '髙𠮷 \uE000郎' };
    await expect(printer.printCertificate(cert)).rejects.toThrow(MissingGlyphError);
    expect(printer.status()).toMatchObject({ paper: 5, sheetsPrinted: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a bad name before a printer fault: the data is wrong whatever the printer state', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 0 });
    printer.jamAfter(0);
    const cert = sampleJuminhyo({ municipality: { name: '川崎市', mayor: '多摩 \u{1F600}' } });
    await expect(printer.printCertificate(cert)).rejects.toThrow(MissingGlyphError);
  });

  it('refuses a spool name that could leave the directory', async () => {
    const printer = new SimPrinter({ sink: new SpoolSink(dir), paper: 5 });
    await expect(printer.printCertificate(sampleJuminhyo({ issuanceNumber: '../escape' }))).rejects.toThrow(SpoolError);
    expect(printer.status()).toMatchObject({ paper: 5, sheetsPrinted: 0 });
  });
});

describe('SimPrinter faults', () => {
  it('runs out of paper mid-job after the sheets it had, and resumes when paper is loaded', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 2 });
    const job = copies(3);
    const { printed, error } = await printAll(printer, job);
    expect(printed).toBe(2);
    expect(faultOf(error)).toBe('paper-out');
    expect(error!.message).toMatch(/^用紙切れ: load A4 paper/);
    expect(error!.message).toContain('K2025-000123-juminhyo-3of3');
    expect(printer.status()).toEqual({ paper: 0, jammed: false, online: true, sheetsPrinted: 2 });

    printer.loadPaper(1);
    await expect(printer.printCertificate(job[2])).resolves.toMatchObject({ pages: 2 });
    expect(printer.status()).toMatchObject({ paper: 0, sheetsPrinted: 3 });
  });

  it('jams after the scripted number of sheets, mid-job, and prints again once cleared', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 10 });
    printer.jamAfter(2);
    const { printed, error } = await printAll(printer, copies(4));
    expect(printed).toBe(2);
    expect(faultOf(error)).toBe('paper-jam');
    expect(error!.message).toMatch(/^紙詰まり/);
    expect(printer.status()).toEqual({ paper: 8, jammed: true, online: true, sheetsPrinted: 2 });
    // Still jammed until staff clear it.
    await expect(printer.printReceipt(sampleReceipt())).rejects.toMatchObject({ fault: 'paper-jam' });
    printer.clearJam();
    await expect(printer.printReceipt(sampleReceipt())).resolves.toMatchObject({ pages: 1 });
    // The scripted jam happens once.
    expect((await printAll(printer, copies(3))).printed).toBe(3);
  });

  it('jamAfter(0) jams at once', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }) });
    printer.jamAfter(0);
    expect(printer.status().jammed).toBe(true);
    await expect(printer.printCertificate(sampleJuminhyo())).rejects.toMatchObject({ fault: 'paper-jam' });
  });

  it('refuses to print while offline, using no paper, and reports offline before a jam', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 3 });
    printer.setOnline(false);
    printer.jamAfter(0);
    const err = await printer.printCertificate(sampleJuminhyo()).catch((e) => e);
    expect(err).toBeInstanceOf(PrinterFaultError);
    expect(err.fault).toBe('offline');
    expect(err.message).toMatch(/オフライン/);
    printer.setOnline(true);
    printer.clearJam();
    await printer.printCertificate(sampleJuminhyo());
    expect(printer.status()).toEqual({ paper: 2, jammed: false, online: true, sheetsPrinted: 1 });
  });

  it('records what it printed, only while recorded, never what failed', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 2 });
    await printer.printReceipt(sampleReceipt());
    const printed = printer.record();
    await printer.printCertificate(sampleJuminhyo({ issuanceNumber: 'A-1' }));
    await expect(printer.printCertificate(sampleJuminhyo({ issuanceNumber: 'B-2' }))).rejects.toMatchObject({ fault: 'paper-out' });
    printed.stop();
    printer.loadPaper(1);
    await printer.printReceipt(sampleReceipt());
    expect(printed.certificates.map((c) => c.issuanceNumber)).toEqual(['A-1']);
    expect(printed.receipts).toEqual([]);
  });

  it('serializes overlapping requests: with one sheet left, exactly one of two copies prints', async () => {
    const printer = new SimPrinter({ sink: new NullSink(), paper: 1 });
    const printed = printer.record();
    const results = await Promise.allSettled([
      printer.printCertificate(sampleJuminhyo({ issuanceNumber: 'A-1' })),
      printer.printCertificate(sampleJuminhyo({ issuanceNumber: 'B-2' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ fault: 'paper-out' });
    expect(printed.certificates.map((c) => c.issuanceNumber)).toEqual(['A-1']);
    expect(printer.status()).toMatchObject({ paper: 0, sheetsPrinted: 1 });
  });

  it('rejects nonsense counts when scripted', () => {
    expect(() => new SimPrinter({ sink: new NullSink(), paper: -1 })).toThrow(RangeError);
    const printer = new SimPrinter({ sink: new NullSink() });
    expect(printer.status().paper).toBe(500);
    expect(() => printer.loadPaper(1.5)).toThrow(/whole number/);
    expect(() => printer.jamAfter(-2)).toThrow(RangeError);
  });
});

describe('NullSink', () => {
  it('renders by default, so the PDF exists and layout errors surface, but keeps nothing', async () => {
    const sink = new NullSink();
    const printer = new SimPrinter({ sink });
    const doc = await printer.printCertificate(sampleJuminhyo());
    expect(doc.path).toBeNull();
    expect(doc.pages).toBe(2);
    expect(doc.bytes).toBeGreaterThan(10_000);
    const base = sampleJuminhyo();
    const tooLong = { ...base, people: Array.from({ length: 60 }, () => base.people).flat() };
    await expect(printer.printCertificate(tooLong)).rejects.toThrow(/more than 10 for one copy/);
    expect(printer.status().sheetsPrinted).toBe(1);
  });

  it('with { render: false } skips rendering but still counts sheets and checks glyphs', async () => {
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 3 });
    const printed = printer.record();
    expect(await printer.printCertificate(sampleJuminhyo())).toEqual({ path: null, pages: 2, bytes: 0, sha256: null });
    expect(await printer.printReceipt(sampleReceipt())).toEqual({ path: null, pages: 1, bytes: 0, sha256: null });
    await expect(printer.printReceipt(sampleReceipt({ storeName: '店😀' }))).rejects.toThrow(MissingGlyphError);
    await expect(printer.printCertificate(sampleJuminhyo({ title: '住民票の写し\uE000' }))).rejects.toThrow(
      MissingGlyphError,
    );
    expect([...printed.certificates.map((c) => c.issuanceNumber), ...printed.receipts.map((r) => `${r.issuanceNumber} receipt`)]).toEqual(['K2025-000123', 'K2025-000123 receipt']);
    expect(printer.status()).toMatchObject({ paper: 1, sheetsPrinted: 2 });
  });
});
