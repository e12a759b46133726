// Where printed documents go: a spool directory of PDFs (to look at, or to hand to a real printer), or nowhere.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssuedCertificate, Receipt } from './document.ts';
import { SpoolError } from './errors.ts';

export interface PrintSink {
  /**
   * false: the printer need not render at all (fast runs that only care about paper and money). Omitted means true:
   * the sink is given the PDF.
   */
  readonly render?: boolean;
  /** Take one printed document; `name` has no extension. Returns where it was stored, or null. */
  write(name: string, pdf: Buffer): Promise<string | null>;
}

/** <issuanceNumber>-<kind>-<copyIndex>of<copies>, e.g. K2025-000123-juminhyo-1of2. */
export function certificateFileName(cert: IssuedCertificate): string {
  return `${cert.issuanceNumber}-${cert.kind}-${cert.copyIndex}of${cert.copies}`;
}

/** <issuanceNumber>-receipt. */
export function receiptFileName(receipt: Receipt): string {
  return `${receipt.issuanceNumber}-receipt`;
}

// Names come from the issuance number: keep them to plain file-name characters so one can never escape the spool.
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Writes <dir>/<name>.pdf atomically: a reader never sees a half-written file. */
export class SpoolSink implements PrintSink {
  readonly render = true;
  private seq = 0;
  constructor(readonly dir: string) {}

  async write(name: string, pdf: Buffer): Promise<string> {
    if (!SAFE_NAME.test(name)) {
      throw new SpoolError(
        `Spool file name "${name}" has characters other than letters, digits, ".", "_" and "-"; ` +
          `issuance numbers must be plain identifiers.`,
      );
    }
    const path = join(this.dir, `${name}.pdf`);
    const temp = join(this.dir, `.${name}.pdf.${process.pid}.${++this.seq}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, pdf);
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => {});
      throw new SpoolError(`Cannot write ${path} (${(e as Error).message}); check that the spool directory is writable.`);
    }
    return path;
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
