// Where printed documents go: a spool directory of PDFs with a JSON index (to look at, or to hand to a real
// printer), or nowhere.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssuedCertificate, Receipt, RefundSlip } from './document.ts';
import { SpoolError } from './errors.ts';

/** What a printed document is, for the spool's index. */
export interface DocumentMeta {
  /** A certificate kind (juminhyo...), 'receipt' or 'refund-slip'. */
  kind: string;
  issuanceNumber: string | null;
  /** Copy number of a certificate; null for a receipt or a slip. */
  copy: number | null;
  pages: number;
}

/** One entry of <spool>/index.jsonl. */
export interface SpoolEntry extends DocumentMeta {
  /** File name inside the spool directory. */
  file: string;
  bytes: number;
  sha256: string;
  /** ISO time the file was written (the machine's wall clock). */
  printedAt: string;
}

export interface PrintSink {
  /**
   * false: the printer need not render at all (fast runs that only care about paper and money). Omitted means true:
   * the sink is given the PDF.
   */
  readonly render?: boolean;
  /** Take one printed document; `name` has no extension. Returns where it was stored, or null. */
  write(name: string, pdf: Buffer, meta?: DocumentMeta): Promise<string | null>;
  /** Whether a document can be stored now (staff's check before the terminal goes back in service); throws why not. */
  check?(): Promise<void>;
}

/** <issuanceNumber>-<kind>-<copyIndex>of<copies>, e.g. K2025-000123-juminhyo-1of2. */
export function certificateFileName(cert: IssuedCertificate): string {
  return `${cert.issuanceNumber}-${cert.kind}-${cert.copyIndex}of${cert.copies}`;
}

/** <issuanceNumber>-receipt. */
export function receiptFileName(receipt: Receipt): string {
  return `${receipt.issuanceNumber}-receipt`;
}

/** <issuanceNumber>-refund-slip, or refund-slip-<terminal>-<time> when no issuance number was given. */
export function refundSlipFileName(slip: RefundSlip): string {
  if (slip.issuanceNumber) return `${slip.issuanceNumber}-refund-slip`;
  const stamp = slip.issuedAt.replace(/[^0-9]/g, '').slice(0, 14);
  return `refund-slip-${slip.terminalId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`;
}

// Names come from the issuance number: keep them to plain file-name characters so one can never escape the spool.
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** The spool's index: one JSON line appended per document (a document printed again gets a later line). */
export const SPOOL_INDEX = 'index.jsonl';
/** Temporary names are unique within the process, whichever sink writes them. */
let tempCounter = 0;

/**
 * Writes <dir>/<name>.pdf and appends a line to <dir>/index.jsonl for every document written (file, kind, issuance
 * number, copy, pages, bytes, SHA-256, time). The PDF is written to a temporary name and renamed, so a reader (or a
 * crash) never sees half a file; the index line is one append, fsynced, so the index never has to be read or
 * rewritten to grow (a day's spool costs the same per document as a year's). A kill can leave the index's last line
 * torn: readIndex skips it. Any failure to store is a SpoolError that says what to check.
 */
export class SpoolSink implements PrintSink {
  readonly render = true;
  #tailChecked = false;

  constructor(readonly dir: string) {}

  async write(name: string, pdf: Buffer, meta?: DocumentMeta): Promise<string> {
    if (!SAFE_NAME.test(name)) {
      throw new SpoolError(
        `Spool file name "${name}" has characters other than letters, digits, ".", "_" and "-"; ` +
          `issuance numbers must be plain identifiers.`,
      );
    }
    const file = `${name}.pdf`;
    const path = join(this.dir, file);
    await this.atomicWrite(path, pdf);
    const entry: SpoolEntry = {
      file,
      kind: meta?.kind ?? 'document',
      issuanceNumber: meta?.issuanceNumber ?? null,
      copy: meta?.copy ?? null,
      pages: meta?.pages ?? 0,
      bytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      printedAt: new Date().toISOString(),
    };
    await this.appendToIndex(entry);
    return path;
  }

  /** The spool folder takes a file now: a small test file is written, synced and removed. */
  async check(): Promise<void> {
    await this.atomicWrite(join(this.dir, `.check.${process.pid}`), Buffer.from('check\n'));
    await rm(join(this.dir, `.check.${process.pid}`), { force: true });
  }

  /** The index as it is on disk (empty when nothing was printed yet): the latest entry of each file. */
  async entries(): Promise<SpoolEntry[]> {
    return readIndex(this.dir);
  }

  private async appendToIndex(entry: SpoolEntry): Promise<void> {
    const path = join(this.dir, SPOOL_INDEX);
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    try {
      handle = await open(path, 'a+');
      // A kill may have torn the last line: the first line this sink appends starts on a line of its own (readers
      // skip the torn one). One write per line, fsynced.
      let lead = '';
      if (!this.#tailChecked) {
        const { size } = await handle.stat();
        const last = Buffer.alloc(1);
        if (size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 10) lead = '\n';
        this.#tailChecked = true;
      }
      await handle.write(lead + JSON.stringify(entry) + '\n');
      await handle.sync();
    } catch (e) {
      throw new SpoolError(`Cannot append to ${path} (${(e as Error).message}); check that the spool directory is writable and not full.`);
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  private async atomicWrite(path: string, data: Buffer): Promise<void> {
    const temp = join(this.dir, `.${path.split('/').pop()}.${process.pid}.${++tempCounter}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, data);
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => {});
      throw new SpoolError(`Cannot write ${path} (${(e as Error).message}); check that the spool directory is writable and not full.`);
    }
  }
}

/**
 * Read <dir>/index.jsonl: the latest entry of each file, in the order they were first printed. A missing index is
 * empty; a line that is not an entry (a torn last line, damage) is skipped: the PDFs themselves are the spool's truth.
 */
export async function readIndex(dir: string): Promise<SpoolEntry[]> {
  const path = join(dir, SPOOL_INDEX);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SpoolError(`Cannot read ${path} (${(e as Error).message}).`);
  }
  const byFile = new Map<string, SpoolEntry>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as SpoolEntry;
      if (e && typeof e.file === 'string') byFile.set(e.file, e);
    } catch {
      // skipped: see above
    }
  }
  return [...byFile.values()];
}

/** Keeps nothing. Still renders by default, so layout and glyph errors surface; { render: false } skips rendering. */
export class NullSink implements PrintSink {
  readonly render: boolean;
  /** render: false for the null printer of `--printer null` (nothing rendered, nothing kept: a soak prints for days). */
  constructor(options: { render?: boolean } = {}) {
    this.render = options.render ?? true;
  }
  async write(): Promise<null> {
    return null;
  }
}
