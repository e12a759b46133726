// The issuance log in the center's database: what it keeps survives a restart, a reserved number is never given
// again, an issuance is kept whole or not at all (a full database included), the schema refuses what the JSON lines'
// reader calls damage, a log kept as JSON lines before is imported once (its damage stopping the center as before),
// and a reader reads it while the center writes.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuanceRecord } from '../issuance-center.ts';
import { IssuanceLog, IssuanceLogError } from '../issuance-log.ts';
import { CenterRecordsError } from './center-records.ts';
import { IMPORTED_SUFFIX, SqliteIssuanceLog } from './sqlite-issuance-log.ts';
import { MIGRATIONS, SqliteCenterRecords, openCenterDatabase } from './sqlite-records.ts';

const folder = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'center-sqlite-log-')), 'center');
  mkdirSync(dir);
  return { db: join(dir, 'center.sqlite'), jsonl: join(dir, 'issuance-log.jsonl') };
};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const record = (sequence: number, code: string, over: Partial<IssuanceRecord> = {}): IssuanceRecord => ({
  issuanceNumber: `K01-20261124-${String(sequence).padStart(6, '0')}`, verificationCode: code, terminal: 'K01', holder: 'kawasaki-taro', city: '141305',
  title: '住民票の写し', copy: 1, copies: 1, issuedAt: '2026-11-24T10:00:00.000+09:00', contentSha256: sha(code), ...over,
});
const code = (n: number) => String(n).padStart(16, '0').replace(/(\d{4})(?=\d)/g, '$1-');

function issueOne(log: SqliteIssuanceLog, c: string, over: Partial<IssuanceRecord> = {}): number {
  const sequence = log.nextSequence();
  log.record(sequence, [record(sequence, c, over)]);
  return sequence;
}

describe('the issuance log in the center’s database', () => {
  it('keeps what it was told across a restart, a printed file’s digest once, from the copy’s own terminal', () => {
    const { db } = folder();
    const a = SqliteIssuanceLog.open(db);
    expect(issueOne(a.log, '1111-1111-1111-1111')).toBe(1);
    const s = a.log.nextSequence();
    a.log.record(s, [record(s, '2222-2222-2222-2222', { copies: 2 }), record(s, '3333-3333-3333-3333', { copy: 2, copies: 2 })]);
    expect(a.log.printed('2222-2222-2222-2222', 'ab'.repeat(32), 'K01')).toBe('recorded');
    expect(a.log.printed('2222-2222-2222-2222', 'cd'.repeat(32), 'K01')).toBe('already-recorded');
    expect(a.log.printed('9999-9999-9999-9999', 'cd'.repeat(32))).toBe('unknown-code');
    expect(() => a.log.printed('3333-3333-3333-3333', 'cd'.repeat(32), 'K02')).toThrow(/bad record/);
    a.database.db.close();

    const b = SqliteIssuanceLog.open(db);
    expect(b.log.find('2222-2222-2222-2222')).toEqual({ ...record(2, '2222-2222-2222-2222', { copies: 2 }), pdfSha256: 'ab'.repeat(32) });
    expect(b.log.find('3333-3333-3333-3333')).toEqual(record(2, '3333-3333-3333-3333', { copy: 2, copies: 2 }));
    expect(b.log.find('3333-3333-3333-3333')).not.toHaveProperty('pdfSha256');
    expect(b.log.has('1111-1111-1111-1111')).toBe(true);
    expect(b.log.find('0000-0000-0000-0000')).toBeNull();
    expect(b.log.all().map((r) => [r.sequence, r.verificationCode])).toEqual([[1, '1111-1111-1111-1111'], [2, '2222-2222-2222-2222'], [2, '3333-3333-3333-3333']]);
    expect(b.log.nextSequence()).toBe(3);
    b.database.db.close();
  });

  it('the database is the center’s user’s alone (mode 0600), made so or made so at start', () => {
    const { db } = folder();
    SqliteIssuanceLog.open(db).database.db.close();
    expect(statSync(db).mode & 0o777).toBe(0o600);
    chmodSync(db, 0o644);
    SqliteIssuanceLog.open(db).database.db.close();
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('a number reserved for an issuance that failed is never given again, not even after a restart', () => {
    const { db } = folder();
    const a = SqliteIssuanceLog.open(db);
    expect(issueOne(a.log, '1111-1111-1111-1111')).toBe(1);
    expect(a.log.nextSequence()).toBe(2); // reserved, then the issuance failed: nothing recorded
    a.database.db.close();
    const b = SqliteIssuanceLog.open(db);
    expect(issueOne(b.log, '3333-3333-3333-3333')).toBe(3);
    // A number that was not reserved is refused by the database itself.
    expect(() => b.log.record(7, [record(7, '7777-7777-7777-7777')])).toThrow(/not reserved/);
    b.database.db.close();
  });

  it('an issuance is kept whole or not at all; the schema refuses what the JSON lines’ reader calls damage', () => {
    const { log, database } = SqliteIssuanceLog.open(null);
    issueOne(log, '1111-1111-1111-1111');
    const s = log.nextSequence();
    expect(() => log.record(s, [record(s, '2222-2222-2222-2222', { copies: 2 }), record(s, '3333-3333-3333-3333', { copy: 3, copies: 2 })])).toThrow(/CHECK/);
    expect(log.has('2222-2222-2222-2222')).toBe(false);
    const bad: Array<[string, Partial<IssuanceRecord>]> = [
      ['a code issued twice', { verificationCode: '1111-1111-1111-1111' }],
      ['a code that is not 16 digits', { verificationCode: '1111-1111-1111-111x' }],
      ['another terminal’s number', { issuanceNumber: 'K02-20261124-000009' }],
      ['a number without its date', { issuanceNumber: 'K01-2026-000009' }],
      ['a terminal id that is no id', { terminal: 'K-1', issuanceNumber: 'K-1-20261124-000009' }],
      ['no holder', { holder: '' }],
      ['no copies', { copies: 0 }],
      ['a content digest not in hex', { contentSha256: 'x'.repeat(64) }],
      ['a printed digest not in hex', { pdfSha256: 'AB'.repeat(32) }],
    ];
    for (const [what, over] of bad) {
      const n = log.nextSequence();
      expect(() => log.record(n, [record(n, '4444-4444-4444-4444', { issuanceNumber: `K01-20261124-${String(n).padStart(6, '0')}`, ...over })]), what).toThrow();
    }
    expect(log.all()).toHaveLength(1);
    // Nothing is ever deleted or changed but a copy's printed digest, set once.
    expect(() => database.db.prepare('DELETE FROM issued').run()).toThrow(/never deleted/);
    expect(() => database.db.prepare("UPDATE issued SET holder = 'someone-else'").run()).toThrow(/never changed/);
    expect(() => database.db.prepare('UPDATE issuance_sequence SET last = 0').run()).toThrow(/never goes back/);
    log.printed('1111-1111-1111-1111', 'ab'.repeat(32));
    expect(() => database.db.prepare("UPDATE issued SET pdf_sha256 = ?").run('cd'.repeat(32))).toThrow(/recorded once/);
    database.db.close();
  });

  it('a full database (SQLITE_FULL) fails the issuance with nothing of it kept, and the next number is a new one', () => {
    const { db } = folder();
    const { log, database } = SqliteIssuanceLog.open(db);
    // The file may not grow any more: what fits in its pages goes in, then the disk is "full".
    database.db.pragma(`max_page_count = ${database.db.pragma('page_count', { simple: true }) as number}`);
    let failed: (Error & { code?: string }) | null = null;
    let last = 0;
    for (let i = 1; i < 10_000 && !failed; i++) {
      const sequence = log.nextSequence();
      try {
        log.record(sequence, [record(sequence, code(2 * i), { copies: 2 }), record(sequence, code(2 * i + 1), { copy: 2, copies: 2 })]);
        last = i;
      } catch (e) {
        failed = e as Error & { code?: string };
        expect(log.has(code(2 * i))).toBe(false);
        expect(log.has(code(2 * i + 1))).toBe(false);
      }
    }
    expect(failed?.code).toBe('SQLITE_FULL');
    expect(log.all()).toHaveLength(2 * last);
    const next = log.nextSequence();
    expect(next).toBe(last + 2);
    database.db.close();
    // Room again: the center goes on after the number that failed.
    const again = SqliteIssuanceLog.open(db);
    expect(issueOne(again.log, '9999-9999-9999-9999')).toBe(next + 1);
    expect(again.log.all()).toHaveLength(2 * last + 1);
    again.database.db.close();
  });

  it('read-only, it reads what the center keeps writing, and cannot write', () => {
    const { db } = folder();
    const writer = SqliteIssuanceLog.open(db);
    const reader = new SqliteIssuanceLog(openCenterDatabase(db, { readOnly: true }));
    issueOne(writer.log, '1111-1111-1111-1111');
    expect(reader.find('1111-1111-1111-1111')?.issuanceNumber).toBe('K01-20261124-000001');
    writer.log.printed('1111-1111-1111-1111', 'ab'.repeat(32));
    expect(reader.find('1111-1111-1111-1111')?.pdfSha256).toBe('ab'.repeat(32));
    expect(() => reader.nextSequence()).toThrow(/readonly/i);
    writer.database.db.close();
  });

  it('a database of schema 3 (records only) gets the log at start, keeping its records', () => {
    const { db } = folder();
    const old = new Database(db);
    for (const m of MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO cards (card, persona, status, reason, changed_at, usable_from, continue_by) VALUES ('c-1', 'c', 'suspended', 'lost', '2026-12-01T01:00:00.000Z', NULL, NULL)").run();
    old.close();
    const { log, database } = SqliteIssuanceLog.open(db);
    expect(new SqliteCenterRecords(database).card('c-1')?.status).toBe('suspended');
    expect(issueOne(log, '1111-1111-1111-1111')).toBe(1);
    expect(database.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    database.db.close();
  });
});

describe('a log kept as JSON lines before', () => {
  /** A JSON-lines log as a center kept it: two issuances (the second of two copies), the first one's file reported. */
  function oldLog(file: string): void {
    const log = new IssuanceLog(file);
    issueOneJsonl(log, '1111-1111-1111-1111');
    const s = log.nextSequence();
    log.record(s, [record(s, '2222-2222-2222-2222', { copies: 2 }), record(s, '3333-3333-3333-3333', { copy: 2, copies: 2 })]);
    log.printed('1111-1111-1111-1111', 'ab'.repeat(32));
  }
  function issueOneJsonl(log: IssuanceLog, c: string): void {
    const s = log.nextSequence();
    log.record(s, [record(s, c)]);
  }

  it('is imported once, whole, and renamed .imported; the sequence goes on after it', () => {
    const { db, jsonl } = folder();
    oldLog(jsonl);
    const bytes = readFileSync(jsonl, 'utf8');
    const a = SqliteIssuanceLog.open(db, { importFrom: jsonl, now: () => '2026-12-07T01:00:00.000Z' });
    expect(existsSync(jsonl)).toBe(false);
    expect(readFileSync(jsonl + IMPORTED_SUFFIX, 'utf8')).toBe(bytes);
    expect(a.log.all().map((r) => [r.sequence, r.verificationCode, r.pdfSha256 ?? null])).toEqual([
      [1, '1111-1111-1111-1111', 'ab'.repeat(32)], [2, '2222-2222-2222-2222', null], [2, '3333-3333-3333-3333', null],
    ]);
    expect(a.database.db.prepare('SELECT file, issued, printed, imported_at FROM issuance_imports').all()).toEqual([{ file: jsonl, issued: 3, printed: 1, imported_at: '2026-12-07T01:00:00.000Z' }]);
    expect(issueOne(a.log, '4444-4444-4444-4444')).toBe(3);
    a.database.db.close();
    // Started again: nothing to import, nothing imported twice.
    const b = SqliteIssuanceLog.open(db, { importFrom: jsonl });
    expect(b.log.all()).toHaveLength(4);
    b.database.db.close();
  });

  it('a database that is not the one that imported the log (lost, or replaced by an empty one) is refused', () => {
    const { db, jsonl } = folder();
    oldLog(jsonl);
    SqliteIssuanceLog.open(db, { importFrom: jsonl }).database.db.close();
    rmSync(db);
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(CenterRecordsError);
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(/does not hold the issuance log that was imported.*Restore the database from a backup/);
  });

  it('a crash between the import and the rename: the next start renames it, importing nothing twice', () => {
    const { db, jsonl } = folder();
    oldLog(jsonl);
    const bytes = readFileSync(jsonl, 'utf8');
    SqliteIssuanceLog.open(db, { importFrom: jsonl }).database.db.close();
    writeFileSync(jsonl, bytes); // the file as it was before the rename
    const b = SqliteIssuanceLog.open(db, { importFrom: jsonl });
    expect(b.log.all()).toHaveLength(3);
    expect(existsSync(jsonl)).toBe(false);
    b.database.db.close();
  });

  it('a damaged log stops the center with the IssuanceLogError of today, and nothing is imported or renamed', () => {
    const { db, jsonl } = folder();
    writeFileSync(jsonl, 'GARBAGE\n{"type":"issued"}\n');
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(IssuanceLogError);
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(/issuance-log\.jsonl:1: not JSON\. The issuance log is damaged/);
    expect(readFileSync(jsonl, 'utf8')).toBe('GARBAGE\n{"type":"issued"}\n');
    const { log, database } = SqliteIssuanceLog.open(db);
    expect(log.all()).toEqual([]);
    expect(log.lastSequence()).toBe(0);
    database.db.close();
  });

  it('a log whose last line a crash cut short is imported without it, and left as it was', () => {
    const { db, jsonl } = folder();
    oldLog(jsonl);
    const torn = readFileSync(jsonl, 'utf8') + '{"type":"issued","sequence":3,"issuanceNumber":"K01-2026';
    writeFileSync(jsonl, torn);
    const { log, database } = SqliteIssuanceLog.open(db, { importFrom: jsonl });
    expect(log.all()).toHaveLength(3);
    expect(readFileSync(jsonl + IMPORTED_SUFFIX, 'utf8')).toBe(torn);
    database.db.close();
  });

  it('beside a database that holds issuances of its own, it is refused: which one is the log?', () => {
    const { db, jsonl } = folder();
    const a = SqliteIssuanceLog.open(db);
    issueOne(a.log, '9999-9999-9999-9999');
    a.database.db.close();
    oldLog(jsonl);
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(CenterRecordsError);
    expect(() => SqliteIssuanceLog.open(db, { importFrom: jsonl })).toThrow(/already holds issuances of its own.*move .*issuance-log\.jsonl away/);
    expect(existsSync(jsonl)).toBe(true);
  });
});
