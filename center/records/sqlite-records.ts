// The center's records in SQLite (better-sqlite3): one file, `<center dir>/center.sqlite`, embedded, nothing to set
// up. The schema is built by numbered migrations (PRAGMA user_version is the last applied), each in a transaction,
// so a center upgraded in place brings its file up to date at start and a file from a newer program is refused
// rather than misread. SQLite's rollback journal, not WAL: opening the file writes nothing (WAL makes a 32 KB index
// file at every open), so a center whose disk is full still starts and serves what needs no new record; a reader
// (kiosk counter status) waits at most 5 s for a writer's transaction.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CenterRecordsError, type Application, type ApplicationForm, type CardRow, type CenterRecords, type CertificateRow, type CounterAction, type DomicileRegistration, type ResidentChange,
} from './center-records.ts';

/** The schema, one step at a time; never edit a step that has shipped, add the next. */
export const MIGRATIONS: readonly string[] = [
  // 1: cards, certificates, residents' changes, the counters' actions.
  `CREATE TABLE cards (
     card TEXT PRIMARY KEY,
     persona TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'abolished')),
     reason TEXT,
     changed_at TEXT NOT NULL,
     usable_from TEXT
   ) STRICT;
   CREATE TABLE certificates (
     serial TEXT PRIMARY KEY,
     card TEXT NOT NULL,
     persona TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('auth', 'sign')),
     not_before TEXT NOT NULL,
     not_after TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('good', 'hold', 'revoked')),
     reason TEXT,
     changed_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX certificates_by_card ON certificates (card);
   CREATE TABLE residents (
     resident TEXT PRIMARY KEY,
     city TEXT,
     address TEXT,
     moving_out INTEGER NOT NULL DEFAULT 0,
     deceased INTEGER NOT NULL DEFAULT 0,
     changed_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE counter_actions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     card TEXT NOT NULL,
     action TEXT NOT NULL,
     by TEXT NOT NULL,
     detail TEXT NOT NULL
   ) STRICT;
   CREATE INDEX counter_actions_by_card ON counter_actions (card, id);`,
  // 2: a resident's name after a change, and the 本籍地 registrations for 戸籍 at the kiosk.
  `ALTER TABLE residents ADD COLUMN name TEXT;
   CREATE TABLE domicile_registrations (
     resident TEXT NOT NULL,
     city TEXT NOT NULL,
     applied_at TEXT NOT NULL,
     usable_from TEXT NOT NULL,
     certificate TEXT NOT NULL,
     PRIMARY KEY (resident, city)
   ) STRICT;`,
  // 3: a move to another city: when the 転出届 and the 転入届 were taken, and a card's last day for its 継続利用.
  `ALTER TABLE residents ADD COLUMN moved_out_at TEXT;
   ALTER TABLE residents ADD COLUMN moved_in_at TEXT;
   ALTER TABLE cards ADD COLUMN continue_by TEXT;`,
  // 4: the issuance log (before: issuance-log.jsonl beside this file, imported once and renamed .imported): one row
  // per issued copy, its printed file's digest set once; the issuance sequence, whose reserved numbers are never
  // given again; the imports of a JSON-lines log. Rows are never deleted, nor changed but for that digest.
  `CREATE TABLE issuance_sequence (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     last INTEGER NOT NULL CHECK (last >= 0)
   ) STRICT;
   INSERT INTO issuance_sequence (id, last) VALUES (1, 0);
   CREATE TRIGGER issuance_sequence_forward BEFORE UPDATE ON issuance_sequence WHEN NEW.last < OLD.last
   BEGIN SELECT RAISE(ABORT, 'the issuance sequence never goes back'); END;
   CREATE TRIGGER issuance_sequence_kept BEFORE DELETE ON issuance_sequence
   BEGIN SELECT RAISE(ABORT, 'the issuance sequence is never deleted'); END;
   CREATE TABLE issued (
     verification_code TEXT PRIMARY KEY
       CHECK (length(verification_code) = 19 AND verification_code GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
     sequence INTEGER NOT NULL CHECK (sequence >= 1),
     terminal TEXT NOT NULL CHECK (length(terminal) BETWEEN 1 AND 16 AND terminal NOT GLOB '*[^A-Za-z0-9]*'),
     issuance_number TEXT NOT NULL
       CHECK (issuance_number GLOB terminal || '-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]*'
         AND substr(issuance_number, length(terminal) + 11) NOT GLOB '*[^0-9]*'),
     holder TEXT NOT NULL CHECK (length(holder) BETWEEN 1 AND 128),
     city TEXT NOT NULL CHECK (length(city) BETWEEN 1 AND 16),
     title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 256),
     copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 1000),
     copy INTEGER NOT NULL CHECK (copy BETWEEN 1 AND copies),
     issued_at TEXT NOT NULL CHECK (julianday(issued_at) IS NOT NULL OR issued_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'),
     content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64 AND content_sha256 NOT GLOB '*[^0-9a-f]*'),
     pdf_sha256 TEXT CHECK (pdf_sha256 IS NULL OR (length(pdf_sha256) = 64 AND pdf_sha256 NOT GLOB '*[^0-9a-f]*'))
   ) STRICT;
   CREATE INDEX issued_by_sequence ON issued (sequence);
   CREATE TRIGGER issued_reserved BEFORE INSERT ON issued WHEN NEW.sequence > (SELECT last FROM issuance_sequence)
   BEGIN SELECT RAISE(ABORT, 'an issuance sequence that was not reserved'); END;
   CREATE TRIGGER issued_printed_once BEFORE UPDATE OF pdf_sha256 ON issued WHEN OLD.pdf_sha256 IS NOT NULL
   BEGIN SELECT RAISE(ABORT, 'the printed file of a copy is recorded once'); END;
   CREATE TRIGGER issued_fixed BEFORE UPDATE OF verification_code, sequence, terminal, issuance_number, holder, city, title, copies, copy, issued_at, content_sha256 ON issued
   BEGIN SELECT RAISE(ABORT, 'an issued copy is never changed'); END;
   CREATE TRIGGER issued_kept BEFORE DELETE ON issued
   BEGIN SELECT RAISE(ABORT, 'an issued copy is never deleted'); END;
   CREATE TABLE issuance_imports (
     sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
     file TEXT NOT NULL,
     issued INTEGER NOT NULL,
     printed INTEGER NOT NULL,
     imported_at TEXT NOT NULL
   ) STRICT;`,
  // 5: the terminal register (before: terminals.json beside this file, imported once and then deleted): each
  // terminal's key, the SHA-256 of its token (never the token), one key per terminal.
  `CREATE TABLE terminals (
     id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 16 AND id NOT GLOB '*[^A-Za-z0-9]*'),
     token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64 AND token_sha256 NOT GLOB '*[^0-9a-f]*'),
     added_at TEXT NOT NULL
   ) STRICT;`,
  // 6: the card's application (photo-booth.md): the forms J-LIS printed, each 申請書ID bound to the name and address
  // on it, and the applications on them, one per form (a second booth sending the same form is refused by the
  // key), with the card made of each once it reached the office. Never deleted.
  `CREATE TABLE application_forms (
     id TEXT PRIMARY KEY CHECK (length(id) = 23 AND id NOT GLOB '*[^0-9]*'),
     resident TEXT NOT NULL,
     name TEXT NOT NULL,
     address TEXT NOT NULL,
     printed_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE applications (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     form TEXT NOT NULL UNIQUE REFERENCES application_forms (id),
     resident TEXT NOT NULL,
     route TEXT NOT NULL CHECK (route IN ('booth', 'smartphone', 'pc', 'mail', 'counter')),
     by TEXT NOT NULL CHECK (length(by) BETWEEN 1 AND 64),
     applied_at TEXT NOT NULL,
     certificates INTEGER NOT NULL CHECK (certificates IN (0, 1)),
     braille INTEGER NOT NULL CHECK (braille IN (0, 1)),
     photo_sha256 TEXT NOT NULL CHECK (length(photo_sha256) = 64 AND photo_sha256 NOT GLOB '*[^0-9a-f]*'),
     card TEXT
   ) STRICT;
   CREATE INDEX applications_by_resident ON applications (resident, id);
   CREATE TRIGGER applications_kept BEFORE DELETE ON applications
   BEGIN SELECT RAISE(ABORT, 'an application is never deleted'); END;`,
  // 7: the municipality an application was made in (a move to another before its card arrives voids it).
  `ALTER TABLE applications ADD COLUMN city TEXT;`,
];

// Not "move it away": the file holds the issuance log and its sequence, and a center started without them would give
// issuance numbers again.
const ADVICE = 'keep a copy of it and restore it from a backup (it holds the issuance log: a center started without it would give issuance numbers again)';

export interface SqliteRecordsOptions {
  /** Opens an existing file for reading only (kiosk verify, status while a center runs); migrates nothing. */
  readOnly?: boolean;
}

export class SqliteCenterRecords implements CenterRecords {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #q;

  /**
   * `file` null: in memory (journeys, tests); or the center's database opened already (openCenterDatabase), shared
   * with its issuance log (sqlite-issuance-log.ts).
   */
  constructor(file: string | null | CenterDatabase, options: SqliteRecordsOptions = {}) {
    const open = file !== null && typeof file === 'object' ? file : openCenterDatabase(file, options);
    this.location = open.location;
    this.#db = open.db;
    const db = this.#db;
    this.#q = {
      certificate: db.prepare('SELECT * FROM certificates WHERE serial = ?'),
      certificatesOf: db.prepare('SELECT * FROM certificates WHERE card = ? ORDER BY not_before, serial'),
      putCertificate: db.prepare(`INSERT INTO certificates (serial, card, persona, kind, not_before, not_after, status, reason, changed_at)
        VALUES (@serial, @card, @persona, @kind, @notBefore, @notAfter, @status, @reason, @changedAt)
        ON CONFLICT (serial) DO UPDATE SET status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at`),
      card: db.prepare('SELECT * FROM cards WHERE card = ?'),
      putCard: db.prepare(`INSERT INTO cards (card, persona, status, reason, changed_at, usable_from, continue_by)
        VALUES (@card, @persona, @status, @reason, @changedAt, @usableFrom, @continueBy)
        ON CONFLICT (card) DO UPDATE SET status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at,
          usable_from = excluded.usable_from, continue_by = excluded.continue_by`),
      resident: db.prepare('SELECT * FROM residents WHERE resident = ?'),
      putResident: db.prepare(`INSERT INTO residents (resident, name, city, address, moving_out, deceased, moved_out_at, moved_in_at, changed_at)
        VALUES (@resident, @name, @city, @address, @movingOut, @deceased, @movedOutAt, @movedInAt, @changedAt)
        ON CONFLICT (resident) DO UPDATE SET name = excluded.name, city = excluded.city, address = excluded.address,
          moving_out = excluded.moving_out, deceased = excluded.deceased, moved_out_at = excluded.moved_out_at,
          moved_in_at = excluded.moved_in_at, changed_at = excluded.changed_at`),
      domiciles: db.prepare('SELECT * FROM domicile_registrations WHERE resident = ? ORDER BY city'),
      putDomicile: db.prepare(`INSERT INTO domicile_registrations (resident, city, applied_at, usable_from, certificate)
        VALUES (@resident, @city, @appliedAt, @usableFrom, @certificate)
        ON CONFLICT (resident, city) DO UPDATE SET applied_at = excluded.applied_at, usable_from = excluded.usable_from, certificate = excluded.certificate`),
      act: db.prepare('INSERT INTO counter_actions (at, card, action, by, detail) VALUES (@at, @card, @action, @by, @detail)'),
      actionsOf: db.prepare('SELECT * FROM (SELECT * FROM counter_actions WHERE card = ? ORDER BY id DESC LIMIT ?) ORDER BY id'),
      actions: db.prepare('SELECT * FROM (SELECT * FROM counter_actions ORDER BY id DESC LIMIT ?) ORDER BY id'),
      form: db.prepare('SELECT * FROM application_forms WHERE id = ?'),
      putForm: db.prepare(`INSERT INTO application_forms (id, resident, name, address, printed_at) VALUES (@id, @resident, @name, @address, @printedAt)
        ON CONFLICT (id) DO NOTHING`),
      apply: db.prepare(`INSERT INTO applications (form, resident, route, by, applied_at, certificates, braille, photo_sha256, city)
        VALUES (@form, @resident, @route, @by, @appliedAt, @certificates, @braille, @photoSha256, @city) ON CONFLICT (form) DO NOTHING`),
      applicationsOf: db.prepare('SELECT * FROM applications WHERE resident = ? ORDER BY id'),
      applications: db.prepare('SELECT * FROM applications ORDER BY id'),
      setApplicationCard: db.prepare('UPDATE applications SET card = ? WHERE id = ?'),
    };
  }

  certificate(serial: string): CertificateRow | null {
    const r = this.#q.certificate.get(serial) as SqlCertificate | undefined;
    return r ? certificateOf(r) : null;
  }

  certificatesOf(card: string): CertificateRow[] {
    return (this.#q.certificatesOf.all(card) as SqlCertificate[]).map(certificateOf);
  }

  putCertificate(row: CertificateRow): void {
    this.#q.putCertificate.run(row);
  }

  card(card: string): CardRow | null {
    const r = this.#q.card.get(card) as SqlCard | undefined;
    return r ? {
      card: r.card, persona: r.persona, status: r.status as CardRow['status'], reason: r.reason as CardRow['reason'], changedAt: r.changed_at,
      usableFrom: r.usable_from, continueBy: r.continue_by,
    } : null;
  }

  putCard(row: CardRow): void {
    this.#q.putCard.run({ ...row, continueBy: row.continueBy ?? null });
  }

  resident(resident: string): ResidentChange | null {
    const r = this.#q.resident.get(resident) as SqlResident | undefined;
    return r ? {
      resident: r.resident, name: r.name, city: r.city, address: r.address, movingOut: r.moving_out === 1, deceased: r.deceased === 1,
      movedOutAt: r.moved_out_at, movedInAt: r.moved_in_at, changedAt: r.changed_at,
    } : null;
  }

  putResident(row: ResidentChange): void {
    this.#q.putResident.run({ ...row, movingOut: row.movingOut ? 1 : 0, deceased: row.deceased ? 1 : 0, movedOutAt: row.movedOutAt ?? null, movedInAt: row.movedInAt ?? null });
  }

  domiciles(resident: string): DomicileRegistration[] {
    return (this.#q.domiciles.all(resident) as SqlDomicile[]).map((r) => ({ resident: r.resident, city: r.city, appliedAt: r.applied_at, usableFrom: r.usable_from, certificate: r.certificate }));
  }

  putDomicile(row: DomicileRegistration): void {
    this.#q.putDomicile.run(row);
  }

  act(action: Omit<CounterAction, 'id'>): number {
    return Number(this.#q.act.run({ ...action, detail: JSON.stringify(action.detail) }).lastInsertRowid);
  }

  actions(card?: string, limit = 1000): CounterAction[] {
    const rows = (card === undefined ? this.#q.actions.all(limit) : this.#q.actionsOf.all(card, limit)) as SqlAction[];
    return rows.map((r) => ({ id: r.id, at: r.at, card: r.card, action: r.action, by: r.by, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  form(id: string): ApplicationForm | null {
    const r = this.#q.form.get(id) as { id: string; resident: string; name: string; address: string; printed_at: string } | undefined;
    return r ? { id: r.id, resident: r.resident, name: r.name, address: r.address, printedAt: r.printed_at } : null;
  }

  putForm(row: ApplicationForm): boolean {
    return this.#q.putForm.run(row).changes === 1;
  }

  apply(row: Omit<Application, 'id' | 'card'>): number | null {
    const done = this.#q.apply.run({ ...row, certificates: row.certificates ? 1 : 0, braille: row.braille ? 1 : 0, city: row.city ?? null });
    return done.changes === 1 ? Number(done.lastInsertRowid) : null;
  }

  applications(resident?: string): Application[] {
    const rows = (resident === undefined ? this.#q.applications.all() : this.#q.applicationsOf.all(resident)) as SqlApplication[];
    return rows.map((r) => ({
      id: r.id, form: r.form, resident: r.resident, route: r.route as Application['route'], by: r.by, appliedAt: r.applied_at,
      certificates: r.certificates === 1, braille: r.braille === 1, photoSha256: r.photo_sha256, card: r.card, city: r.city,
    }));
  }

  setApplicationCard(id: number, card: string): void {
    this.#q.setApplicationCard.run(card, id);
  }

  atomically<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

interface SqlCertificate { serial: string; card: string; persona: string; kind: string; not_before: string; not_after: string; status: string; reason: string | null; changed_at: string }
interface SqlCard { card: string; persona: string; status: string; reason: string | null; changed_at: string; usable_from: string | null; continue_by: string | null }
interface SqlDomicile { resident: string; city: string; applied_at: string; usable_from: string; certificate: string }
interface SqlResident {
  resident: string; name: string | null; city: string | null; address: string | null; moving_out: number; deceased: number;
  moved_out_at: string | null; moved_in_at: string | null; changed_at: string;
}
interface SqlAction { id: number; at: string; card: string; action: string; by: string; detail: string }
interface SqlApplication {
  id: number; form: string; resident: string; route: string; by: string; applied_at: string; certificates: number; braille: number; photo_sha256: string;
  card: string | null; city: string | null;
}

const certificateOf = (r: SqlCertificate): CertificateRow => ({
  serial: r.serial, card: r.card, persona: r.persona, kind: r.kind as CertificateRow['kind'], notBefore: r.not_before, notAfter: r.not_after,
  status: r.status as CertificateRow['status'], reason: r.reason as CertificateRow['reason'], changedAt: r.changed_at,
});

/** The center's database, open and at this program's schema: its records and its issuance log share it. */
export interface CenterDatabase {
  readonly db: Database.Database;
  /** The file, or ':memory:'. */
  readonly location: string;
}

/** Opens (and migrates, unless read-only) the center's database; `file` null: in memory. CenterRecordsError if not. */
export function openCenterDatabase(file: string | null, options: SqliteRecordsOptions = {}): CenterDatabase {
  const location = file ?? ':memory:';
  if (file) checkFile(file, options.readOnly ?? false);
  let db: Database.Database | undefined;
  try {
    db = new Database(location, { readonly: options.readOnly ?? false, fileMustExist: options.readOnly ?? false, timeout: 5000 });
    if (!options.readOnly) db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, location, options.readOnly ?? false);
    return { db, location };
  } catch (e) {
    if (db?.open) db.close();
    if (e instanceof CenterRecordsError) throw e;
    throw new CenterRecordsError(location, `cannot be used as the center's records (${(e as Error).message}): ${ADVICE}`);
  }
}

/** The schema's version in the file (0: new), then every migration after it, each in its own transaction. */
function migrate(db: Database.Database, location: string, readOnly: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new CenterRecordsError(location, `is at schema version ${version}, newer than this program's ${MIGRATIONS.length}: run the newer program, or ${ADVICE}`);
  }
  if (readOnly) {
    if (version < MIGRATIONS.length) throw new CenterRecordsError(location, `is at schema version ${version}: start the center once to bring it up to ${MIGRATIONS.length}`);
    return;
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Only a regular file (or none yet) is opened: never a link, a FIFO or a folder in its place. */
function checkFile(file: string, readOnly: boolean): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CenterRecordsError(file, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
    if (readOnly) throw new CenterRecordsError(file, 'does not exist: no center has kept its records there');
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // Made empty (an empty file is an empty database) and for the center's user alone: it holds the issuance log,
      // whose codes only a printed document should lead to, and SQLite gives its journal the same mode.
      closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
    } catch (err) {
      throw new CenterRecordsError(file, `cannot be made (${(err as NodeJS.ErrnoException).code}): give a writable folder`);
    }
    return;
  }
  if (!stat.isFile()) {
    const what = stat.isSymbolicLink() ? 'a symbolic link' : stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a FIFO' : 'not a regular file';
    throw new CenterRecordsError(file, `is ${what}, not the center's records: move it away`);
  }
  // A file an earlier version made readable by others is made the center's user's alone (it holds the issuance log).
  if (!readOnly && (stat.mode & 0o077) !== 0) {
    try {
      chmodSync(file, stat.mode & 0o700);
    } catch {
      // Not the owner: SQLite's own open says whether it can be used.
    }
  }
}
