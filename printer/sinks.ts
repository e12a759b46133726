// Where printed documents go: a spool directory of PDFs with a JSON index (to look at, or to hand to a real
// printer), or nowhere.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** One entry of <spool>/index.json. */
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
export const SPOOL_INDEX = 'index.json';
/** Temporary names are unique within the process, whichever sink writes them. */
let tempCounter = 0;

/**
 * Writes <dir>/<name>.pdf and keeps <dir>/index.json listing every document written (file, kind, issuance number,
 * copy, pages, bytes, SHA-256, time). Both are written to a temporary name and renamed, so a reader (or a crash)
 * never sees half a file. The index is read, updated and replaced in one synchronous step, so sinks of one process
 * sharing a folder never lose each other's entries; two processes sharing one spool folder could (the PDFs
 * themselves are safe).
 */
export class SpoolSink implements PrintSink {
  readonly render = true;

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
    this.addToIndex(entry);
    return path;
  }

  /** The index as it is on disk (empty when nothing was printed yet). */
  async entries(): Promise<SpoolEntry[]> {
    return readIndex(this.dir);
  }

  private addToIndex(entry: SpoolEntry): void {
    const path = join(this.dir, SPOOL_INDEX);
    const temp = join(this.dir, `.${SPOOL_INDEX}.${process.pid}.${++tempCounter}.tmp`);
    try {
      // A document printed again under the same name (a reprint after a fault) replaces its entry.
      const documents = [...parseIndex(path, readIndexText(path)).filter((e) => e.file !== entry.file), entry];
      writeFileSync(temp, JSON.stringify({ documents }, null, 2) + '\n');
      renameSync(temp, path);
    } catch (e) {
      rmSync(temp, { force: true });
      if (e instanceof SpoolError) throw e;
      throw new SpoolError(`Cannot update ${path} (${(e as Error).message}); check that the spool directory is writable.`);
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
      throw new SpoolError(`Cannot write ${path} (${(e as Error).message}); check that the spool directory is writable.`);
    }
  }
}

/** Read <dir>/index.json; a missing index is empty, a damaged one is an error that says what to do. */
export async function readIndex(dir: string): Promise<SpoolEntry[]> {
  const path = join(dir, SPOOL_INDEX);
  let text: string | null;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SpoolError(`Cannot read ${path} (${(e as Error).message}).`);
    text = null;
  }
  return parseIndex(path, text);
}

function readIndexText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SpoolError(`Cannot read ${path} (${(e as Error).message}).`);
  }
}

function parseIndex(path: string, text: string | null): SpoolEntry[] {
  if (text === null) return [];
  try {
    const documents = (JSON.parse(text) as { documents?: SpoolEntry[] }).documents;
    if (!Array.isArray(documents)) throw new Error('no "documents" list');
    return documents;
  } catch (e) {
    throw new SpoolError(`${path} is damaged (${(e as Error).message}); move it away and the spool starts a new index.`);
  }
}

/** Keeps nothing. Still renders by default, so layout and glyph errors surface; { render: false } skips rendering. */
export class NullSink implements PrintSink {
  readonly render: boolean;
  /** Names of the documents "printed", in order, for tests and logs. */
  readonly names: string[] = [];
  constructor(options: { render?: boolean } = {}) {
    this.render = options.render ?? true;
  }
  async write(name: string): Promise<null> {
    this.names.push(name);
    return null;
  }
}
