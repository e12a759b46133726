// The center's issuance log in its SQLite database (center.sqlite, migration 4 in sqlite-records.ts), the same file
// and connection as its records: one row per issued copy, its printed file's digest set once, and the issuance
// sequence in a row of its own. A sequence number is reserved by its own small transaction before the certificates
// are made, so a number is never given twice, not even one whose issuance then failed, across restarts too. The
// copies of an issuance go in as one transaction: a full disk or an I/O error (SQLITE_FULL, SQLITE_IOERR) leaves
// nothing of them, and the error reaches the center's caller as a failed write of the JSON lines did (the kiosk
// refunds). The schema's checks and triggers refuse what reading the JSON lines back would call damage.
//
// A log kept before (issuance-log.jsonl beside the database) is imported once, when the database has issued nothing
// and reserved no number yet: read through IssuanceLog (its damage checks are the importer's: a damaged log stops
// the center with its IssuanceLogError), written in one transaction with the import's own row (the file's SHA-256),
// then renamed issuance-log.jsonl.imported. Renamed rather than kept: a log left under its name would look like the
// center's log to a person or an older program, and its presence is how `kiosk verify` tells a folder not yet
// imported. A crash between the commit and the rename is finished at the next start (the same SHA-256 is known);
// a JSON-lines log beside a database that already holds issuances is refused (which one is the log?).
import type Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuanceRecord } from '../issuance-center.ts';
import { IssuanceLog } from '../issuance-log.ts';
import type { IssuanceStore } from '../issuance-store.ts';
import { CenterRecordsError } from './center-records.ts';
import { openCenterDatabase, type CenterDatabase } from './sqlite-records.ts';

/** The JSON-lines log a center kept beside its database before, and what it becomes once imported. */
export const JSONL_LOG = 'issuance-log.jsonl';
export const IMPORTED_SUFFIX = '.imported';

interface SqlIssued {
  verification_code: string; sequence: number; terminal: string; issuance_number: string; holder: string; city: string; title: string;
  copies: number; copy: number; issued_at: string; content_sha256: string; pdf_sha256: string | null;
}

const recordOf = (r: SqlIssued): IssuanceRecord => ({
  issuanceNumber: r.issuance_number, verificationCode: r.verification_code, terminal: r.terminal, holder: r.holder, city: r.city,
  title: r.title, copy: r.copy, copies: r.copies, issuedAt: r.issued_at, contentSha256: r.content_sha256,
  ...(r.pdf_sha256 === null ? {} : { pdfSha256: r.pdf_sha256 }),
});

export class SqliteIssuanceLog implements IssuanceStore {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #q;

  /** On the center's database (openCenterDatabase), shared with its records. */
  constructor(open: CenterDatabase) {
    this.location = open.location;
    this.#db = open.db;
    const db = this.#db;
    this.#q = {
      reserve: db.prepare('UPDATE issuance_sequence SET last = last + 1 WHERE id = 1 RETURNING last'),
      last: db.prepare('SELECT last FROM issuance_sequence WHERE id = 1'),
      advance: db.prepare('UPDATE issuance_sequence SET last = max(last, ?) WHERE id = 1'),
      insert: db.prepare(`INSERT INTO issued (verification_code, sequence, terminal, issuance_number, holder, city, title, copies, copy, issued_at, content_sha256, pdf_sha256)
        VALUES (@verificationCode, @sequence, @terminal, @issuanceNumber, @holder, @city, @title, @copies, @copy, @issuedAt, @contentSha256, @pdfSha256)`),
      find: db.prepare('SELECT * FROM issued WHERE verification_code = ?'),
      has: db.prepare('SELECT 1 FROM issued WHERE verification_code = ?').pluck(),
      printed: db.prepare('UPDATE issued SET pdf_sha256 = ? WHERE verification_code = ? AND pdf_sha256 IS NULL'),
      count: db.prepare('SELECT count(*) FROM issued').pluck(),
      all: db.prepare('SELECT * FROM issued ORDER BY sequence, rowid'),
      imported: db.prepare('SELECT 1 FROM issuance_imports WHERE sha256 = ?').pluck(),
      addImport: db.prepare('INSERT INTO issuance_imports (sha256, file, issued, printed, imported_at) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /**
   * The center's database with its issuance log, `importFrom` a JSON-lines log kept before (imported once, then
   * renamed; see above). CenterRecordsError for a database it cannot use, IssuanceLogError for a damaged log.
   */
  static open(file: string | null, options: { importFrom?: string; now?: () => string } = {}): { database: CenterDatabase; log: SqliteIssuanceLog } {
    const database = openCenterDatabase(file);
    try {
      const log = new SqliteIssuanceLog(database);
      if (options.importFrom) log.importJsonl(options.importFrom, options.now?.() ?? new Date().toISOString());
      return { database, log };
    } catch (e) {
      database.db.close();
      throw e;
    }
  }

  nextSequence(): number {
    return (this.#q.reserve.get() as { last: number }).last;
  }

  record(sequence: number, records: IssuanceRecord[]): void {
    this.#db.transaction(() => {
      for (const r of records) this.#insert(sequence, r);
    })();
  }

  printed(verificationCode: string, pdfSha256: string, terminal?: string): 'recorded' | 'unknown-code' | 'already-recorded' {
    const r = this.find(verificationCode);
    if (!r) return 'unknown-code';
    if (r.pdfSha256 !== undefined) return 'already-recorded';
    if (terminal !== undefined && terminal !== r.terminal) throw new Error(`the center would write a bad record: terminal ${terminal} did not issue ${verificationCode}`);
    if (!/^[0-9a-f]{64}$/.test(pdfSha256)) throw new Error(`the center would write a bad record: the printed record for ${verificationCode} has no SHA-256 in hex`);
    return this.#q.printed.run(pdfSha256, verificationCode).changes === 1 ? 'recorded' : 'already-recorded';
  }

  find(code: string): IssuanceRecord | null {
    const r = this.#q.find.get(code) as SqlIssued | undefined;
    return r ? recordOf(r) : null;
  }

  has(code: string): boolean {
    return this.#q.has.get(code) !== undefined;
  }

  /** Every issued copy with its sequence, in the order issued (tests, audits). */
  all(): Array<IssuanceRecord & { sequence: number }> {
    return (this.#q.all.all() as SqlIssued[]).map((r) => ({ sequence: r.sequence, ...recordOf(r) }));
  }

  /** The highest sequence number reserved so far (0: none). */
  lastSequence(): number {
    return (this.#q.last.get() as { last: number }).last;
  }

  #insert(sequence: number, r: IssuanceRecord): void {
    this.#q.insert.run({ ...r, sequence, pdfSha256: r.pdfSha256 ?? null });
  }

  /** Imports a JSON-lines log kept before (see above); nothing when there is none. */
  importJsonl(file: string, now: string): void {
    if (!existsSync(file)) {
      // A log imported into a database that is not this one (this one lost, or replaced by an empty one): numbering
      // again from where this one stands would give the imported numbers twice.
      const count = this.#db.prepare('SELECT count(*) FROM issuance_imports').pluck().get() as number;
      if (existsSync(file + IMPORTED_SUFFIX) && count === 0) {
        throw new CenterRecordsError(this.location, `does not hold the issuance log that was imported from ${file} (${file}${IMPORTED_SUFFIX} is there): it is not the center's database. Restore the database from a backup; a center started without it would give issuance numbers again`);
      }
      return;
    }
    // Read only: a torn last line is skipped, never cut, so the file is left exactly as it was.
    const old = new IssuanceLog(file, { readOnly: true });
    const sha256 = old.sha256;
    if (this.#q.imported.get(sha256) === undefined) {
      if ((this.#q.count.get() as number) > 0 || this.lastSequence() > 0) {
        throw new CenterRecordsError(file, `is an issuance log beside ${this.location}, which already holds issuances of its own: the center keeps its log in the database now and cannot tell which is right. Keep a copy of both; move ${file} away to go on with the database's`);
      }
      const entries = old.entries();
      this.#db.transaction(() => {
        this.#q.advance.run(old.lastSequence());
        for (const { sequence, record } of entries) this.#insert(sequence, record);
        this.#q.addImport.run(sha256, file, entries.length, entries.filter((e) => e.record.pdfSha256 !== undefined).length, now);
      })();
    }
    renameSync(file, file + IMPORTED_SUFFIX);
  }
}

/** The JSON-lines log beside a center's database (`dir` the center's folder). */
export const jsonlLogOf = (dir: string) => join(dir, JSONL_LOG);

/**
 * The issuance log of a center's folder in the JSON-lines form (tests, audits): every issued copy in the order issued
 * (`type: 'issued'`, its sequence and record), then each printed file's digest (`type: 'printed'`). A folder whose
 * log was not imported yet is read from its JSON lines; none at all is empty. The database is opened to write (which
 * rolls back what a crash left half-written), unless `readOnly`.
 */
export function issuanceLogLines(dir: string, options: { readOnly?: boolean } = {}): Array<Record<string, unknown>> {
  const file = join(dir, 'center.sqlite');
  let entries: Array<IssuanceRecord & { sequence: number }>;
  if (existsSync(jsonlLogOf(dir))) {
    entries = new IssuanceLog(jsonlLogOf(dir), { readOnly: true }).entries().map(({ sequence, record }) => ({ sequence, ...record }));
  } else if (existsSync(file)) {
    const database = openCenterDatabase(file, { readOnly: options.readOnly });
    try {
      entries = new SqliteIssuanceLog(database).all();
    } finally {
      database.db.close();
    }
  } else {
    return [];
  }
  return [
    ...entries.map(({ pdfSha256: _p, ...r }) => ({ type: 'issued', ...r })),
    ...entries.filter((r) => r.pdfSha256 !== undefined).map((r) => ({ type: 'printed', verificationCode: r.verificationCode, pdfSha256: r.pdfSha256, terminal: r.terminal })),
  ];
}
