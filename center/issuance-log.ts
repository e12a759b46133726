// The center's issuance log: one JSON line per issued copy (and one when its PDF's digest is reported), fsynced
// before the kiosk is told, so that a certificate in someone's hands can always be checked against it. In memory
// only when no file is given. The issuance sequence is recovered from the log, so a restarted center never gives
// an issuance number twice.
//
// Every line is checked field by field when the log is read: an issued record's fields and their types (its number
// must carry its terminal and sequence), a `printed` line's code (issued earlier in the log), its 64-hex digest and
// the terminal that issued the copy; a copy is issued once and its file reported once. Anything else is damage
// (IssuanceLogError, which says what to do). The one exception is the last line when it is not JSON at all: a crash
// or a full disk cut it short, and it is cut off the file before anything is appended. Every append starts on a line
// of its own, and a write that fails part-way is taken back (the file truncated to its size before the write), so a
// record is never glued onto a fragment.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateFileError, readStateBytes } from '../storage/state-file.ts';
import type { IssuanceRecord } from './issuance-center.ts';
import type { IssuanceStore } from './issuance-store.ts';
import { TERMINAL_ID } from './terminals.ts';

type IssuedLine = { type: 'issued'; sequence: number } & IssuanceRecord;
type PrintedLine = { type: 'printed'; verificationCode: string; pdfSha256: string; terminal: string };
type LogLine = IssuedLine | PrintedLine;

/** The log is read whole at start; a log larger than this is not one the center wrote (about two million copies). */
export const MAX_LOG_BYTES = 1 << 30;

const ADVICE = 'The issuance log is damaged; keep a copy of it and restore it from a backup before issuing again.';

export class IssuanceLogError extends Error {
  /** `line` null: the file as a whole (not a regular file, too large, unreadable). */
  constructor(readonly file: string, readonly line: number | null, readonly detail: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}. ${ADVICE}`);
    this.name = 'IssuanceLogError';
  }
}

export interface IssuanceLogOptions {
  /**
   * Only reads (`kiosk verify --var DIR`, possibly while a center writes the file): creates nothing, cuts nothing
   * (a cut-short last line is skipped), and refuses to write.
   */
  readOnly?: boolean;
}

const CODE = /^\d{4}-\d{4}-\d{4}-\d{4}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ISSUANCE_NUMBER = /^([A-Za-z0-9]{1,16})-(\d{8})-(\d{6,})$/;
const ISSUED_FIELDS = ['type', 'sequence', 'issuanceNumber', 'verificationCode', 'terminal', 'holder', 'city', 'title', 'copy', 'copies', 'issuedAt', 'contentSha256'];
const PRINTED_FIELDS = ['type', 'verificationCode', 'pdfSha256', 'terminal'];

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

export class IssuanceLog implements IssuanceStore {
  readonly #records = new Map<string, IssuanceRecord>();
  #sequence = 0;
  /** Each issued copy's sequence, in the order of the log. */
  readonly #sequences = new Map<string, number>();
  readonly #readOnly: boolean;
  /** The SHA-256 (hex) of the file as it was read (of nothing: none), which names an import of it. */
  readonly sha256: string;

  readonly location: string;

  constructor(readonly file: string | null, options: IssuanceLogOptions = {}) {
    this.location = file ?? ':memory:';
    this.#readOnly = options.readOnly ?? false;
    this.sha256 = createHash('sha256').digest('hex');
    if (!file) return;
    if (!this.#readOnly) mkdirSync(dirname(file), { recursive: true });
    const bytes = readLogFile(file);
    this.sha256 = createHash('sha256').update(bytes ?? Buffer.alloc(0)).digest('hex');
    if (bytes) this.#load(file, bytes);
  }

  /** The highest sequence number given so far (0: none). */
  lastSequence(): number {
    return this.#sequence;
  }

  /** Every issued copy with its sequence, in the order of the log (what an import into the database takes). */
  entries(): Array<{ sequence: number; record: IssuanceRecord }> {
    return [...this.#records.values()].map((record) => ({ sequence: this.#sequences.get(record.verificationCode)!, record: { ...record } }));
  }

  /** The next issuance sequence number (reserved: it is not given again even if the issuance fails). */
  nextSequence(): number {
    return ++this.#sequence;
  }

  record(sequence: number, records: IssuanceRecord[]): void {
    this.#write(records.map((r) => ({ type: 'issued' as const, sequence, ...r })));
  }

  /**
   * Records the printed file's digest of a copy, once: 'unknown-code' or 'already-recorded' when it refuses.
   * `terminal` is the terminal that reported it (the caller checks it is the copy's own; default the copy's).
   */
  printed(verificationCode: string, pdfSha256: string, terminal?: string): 'recorded' | 'unknown-code' | 'already-recorded' {
    const r = this.#records.get(verificationCode);
    if (!r) return 'unknown-code';
    if (r.pdfSha256 !== undefined) return 'already-recorded';
    this.#write([{ type: 'printed', verificationCode, pdfSha256, terminal: terminal ?? r.terminal }]);
    return 'recorded';
  }

  find(code: string): IssuanceRecord | null {
    const r = this.#records.get(code);
    return r ? { ...r } : null;
  }

  has(code: string): boolean {
    return this.#records.has(code);
  }

  /** Reads every line, checked; a cut-short last line is cut off (or skipped, read-only). */
  #load(file: string, bytes: Buffer): void {
    // The lines with where each starts; `ended` says whether its newline was written.
    const lines: Array<{ start: number; text: Buffer; ended: boolean }> = [];
    for (let start = 0; start < bytes.length;) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl;
      lines.push({ start, text: bytes.subarray(start, end), ended: nl >= 0 });
      start = end + 1;
    }
    const blank = (b: Buffer) => b.toString('utf8').trim() === '';
    let last = lines.length - 1;
    while (last >= 0 && blank(lines[last].text)) last--;
    for (let i = 0; i <= last; i++) {
      const { text, start, ended } = lines[i];
      if (blank(text)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.toString('utf8'));
      } catch {
        // Only the last line may be cut short, and only as one record's first part: a record glued onto a fragment
        // (what a log written before this check could hold) is damage, never cut silently.
        if (i < last || text.indexOf(123 /* { */, text.indexOf(123) + 1) >= 0) throw new IssuanceLogError(file, i + 1, 'not JSON');
        if (!this.#readOnly) this.#cut(file, start);
        return;
      }
      const problem = this.#apply(parsed);
      if (problem) throw new IssuanceLogError(file, i + 1, problem);
      // A whole last record whose newline was not written: the newline goes in now, so the next record has a line of
      // its own.
      if (i === last && !ended && !this.#readOnly) this.#append(file, Buffer.from('\n'));
    }
  }

  /** Applies a line read from the log (`dryRun`: only checks it); what is wrong with it, or null. */
  #apply(v: unknown, dryRun = false): string | null {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a record of the issuance log';
    const line = v as Record<string, unknown>;
    if (line.type === 'issued') {
      const extra = Object.keys(line).find((k) => !ISSUED_FIELDS.includes(k));
      if (extra) return `an issued record has a field "${extra.slice(0, 32)}" the center never writes`;
      const bad = (field: string, expected: string) => `an issued record's field "${field}" ${line[field] === undefined ? 'is missing' : `must be ${expected}`}`;
      if (!isWhole(line.sequence, 1, Number.MAX_SAFE_INTEGER)) return bad('sequence', 'a whole number from 1');
      if (typeof line.terminal !== 'string' || !TERMINAL_ID.test(line.terminal)) return bad('terminal', 'a terminal id');
      const number = typeof line.issuanceNumber === 'string' ? ISSUANCE_NUMBER.exec(line.issuanceNumber) : null;
      if (!number || number[1] !== line.terminal) return bad('issuanceNumber', `TERMINAL-YYYYMMDD-NNNNNN with its terminal (${line.terminal})`);
      if (typeof line.verificationCode !== 'string' || !CODE.test(line.verificationCode)) return bad('verificationCode', 'a code of 16 digits as 1234-5678-9012-3456');
      if (this.#records.has(line.verificationCode)) return `verification code ${line.verificationCode} is issued twice`;
      if (!isText(line.holder, 128)) return bad('holder', 'a resident id');
      if (!isText(line.city, 16)) return bad('city', 'a municipality code');
      if (!isText(line.title, 256)) return bad('title', "the certificate's title");
      if (!isWhole(line.copies, 1, 1000)) return bad('copies', 'a whole number from 1 to 1000');
      if (!isWhole(line.copy, 1, line.copies)) return bad('copy', `a whole number from 1 to its copies (${line.copies})`);
      if (typeof line.issuedAt !== 'string' || !Number.isFinite(Date.parse(line.issuedAt))) return bad('issuedAt', 'an ISO time');
      if (typeof line.contentSha256 !== 'string' || !SHA256.test(line.contentSha256)) return bad('contentSha256', 'a SHA-256 in hex');
      if (dryRun) return null;
      const { type: _t, sequence, ...record } = line as unknown as IssuedLine;
      // The sequence goes on from the highest any line carries, in its field or in its number.
      this.#sequence = Math.max(this.#sequence, sequence, Number(number[3]));
      this.#records.set(record.verificationCode, record);
      this.#sequences.set(record.verificationCode, sequence);
      return null;
    }
    if (line.type === 'printed') {
      const extra = Object.keys(line).find((k) => !PRINTED_FIELDS.includes(k));
      if (extra) return `a printed record has a field "${extra.slice(0, 32)}" the center never writes`;
      const code = typeof line.verificationCode === 'string' && CODE.test(line.verificationCode) ? line.verificationCode : null;
      if (!code) return 'a printed record\'s field "verificationCode" must be a code of 16 digits as 1234-5678-9012-3456';
      const r = this.#records.get(code);
      if (!r) return `a printed record for ${code}, which no earlier line issued`;
      if (typeof line.pdfSha256 !== 'string' || !SHA256.test(line.pdfSha256)) return `the printed record for ${code} has no SHA-256 in hex ("pdfSha256")`;
      if (line.terminal !== r.terminal) {
        return `the printed record for ${code} ${typeof line.terminal === 'string' ? `names terminal ${line.terminal.slice(0, 16)}` : 'names no terminal'}, but terminal ${r.terminal} issued that copy`;
      }
      if (r.pdfSha256 !== undefined) return `the printed file of ${code} is recorded twice`;
      if (!dryRun) r.pdfSha256 = line.pdfSha256;
      return null;
    }
    return 'not a record of the issuance log (its "type" is neither issued nor printed)';
  }

  #write(lines: LogLine[]): void {
    if (this.#readOnly) throw new Error('the issuance log was opened read-only');
    // Nothing goes into the log that reading it again would call damage.
    for (const l of lines) {
      const problem = this.#apply(l, true);
      if (problem) throw new Error(`the center would write a bad record: ${problem}`);
    }
    if (this.file) this.#append(this.file, Buffer.from(lines.map((l) => JSON.stringify(l) + '\n').join(''), 'utf8'));
    for (const l of lines) this.#apply(l);
  }

  /**
   * Appends `bytes` (fsynced) on a line of their own: after a newline if the file does not end with one. A write that
   * fails part-way is taken back, so that no fragment is left for the next record to follow.
   */
  #append(file: string, bytes: Buffer): void {
    const fd = openSync(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      const size = fstatSync(fd).size;
      let data = bytes;
      if (size > 0 && bytes[0] !== 10) {
        const lastByte = Buffer.alloc(1);
        readSync(fd, lastByte, 0, 1, size - 1);
        if (lastByte[0] !== 10) data = Buffer.concat([Buffer.from('\n'), bytes]);
      }
      try {
        for (let written = 0; written < data.length;) {
          const n = writeSync(fd, data, written, data.length - written);
          if (n <= 0) throw Object.assign(new Error('the write was cut short'), { code: 'EIO' });
          written += n;
        }
        fsyncSync(fd);
      } catch (e) {
        try {
          ftruncateSync(fd, size);
          fsyncSync(fd);
        } catch {
          // Not even that: the next start cuts the torn last line off.
        }
        throw e;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Cuts the file back to `size` bytes: what a crash left of a record is not one. */
  #cut(file: string, size: number): void {
    const fd = openSync(file, constants.O_RDWR | constants.O_NOFOLLOW);
    try {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** The log's bytes (null: no log yet), read only as a regular file of bounded size (storage/state-file.ts). */
function readLogFile(file: string): Buffer | null {
  try {
    return readStateBytes(file, MAX_LOG_BYTES);
  } catch (e) {
    if (e instanceof StateFileError) throw new IssuanceLogError(file, null, `is ${e.detail}`);
    throw new IssuanceLogError(file, null, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).name})`);
  }
}
