// The journal: every money and print fact, appended and flushed to disk BEFORE the machine hears of it, so that
// after a crash the kiosk knows what was paid, printed and owed. Append-only JSON lines; never a PIN.
// Where a device acts on money or paper, the journal says "about to" before (an intent: `print.copy.start`,
// `cash.payout.start`) and what happened after, so that recovery can tell every kill point apart (see
// kiosk/README.md, "Crash recovery").
import { appendFileSync, closeSync, constants, fstatSync, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';
import type { DiskReserve } from './disk-reserve.ts';
import { StateFileError } from '../storage/state-file.ts';
import { dirname } from 'node:path';

export type JournalFact =
  | { type: 'cash.in'; amount: number; total: number }
  | { type: 'cash.rejected'; amount: number; reason: string }
  /** Escrow handed back (a cancel before payment completed, or recovery after a crash). */
  | { type: 'cash.refunded'; amount: number; recovered?: true }
  /** Escrow taken into the tubes and vault: the person has paid `amount` toward `due`. */
  | { type: 'payment.collected'; amount: number; due: number | null; unitFee?: number; copies?: number; recovered?: true }
  | { type: 'issued'; issuanceNumber: string; certificate: string; copies: number; unitFee: number }
  /** Intent: copy `copy` of `of` goes to the printer as document `name` (the spool's file name without .pdf). */
  | { type: 'print.copy.start'; issuanceNumber: string; copy: number; of: number; name: string }
  | { type: 'print.copy'; issuanceNumber: string; copy: number; of: number; file: string | null; recovered?: true }
  | { type: 'print.failed'; issuanceNumber: string | null; reason: string; printed: number }
  | { type: 'print.receipt'; issuanceNumber: string; file: string | null }
  /** Intent: the cash box is about to pay `amount` under the idempotency key `op`. */
  | { type: 'cash.payout.start'; op: string; amount: number }
  /** The session's money is settled; `paid` false when the tubes could not pay (a refund slip follows). */
  | { type: 'cash.out'; change: number; refunded: number; charged: number; paid?: boolean; recovered?: true }
  | { type: 'refund.slip'; amount: number; issuanceNumber: string | null; recovered?: true }
  /** The refund slip came out of the printer (its spool file, or null for the null printer). */
  | { type: 'print.refundSlip'; issuanceNumber: string | null; amount: number; file: string | null }
  /** Summary of a crash recovery for one session (the money itself is in the records before it). */
  | {
    type: 'recovered'; inserted: number; charged: number; change: number; refunded: number; owed: number; printed: number;
    copies: number; receipt: boolean;
  }
  /** The terminal went out of order (why, for staff), and staff put it back in service (what it was). */
  /** A photo booth (kiosk/booth/): intent, the application on `form` goes to J-LIS; then its number, J-LIS has it. */
  | { type: 'booth.applying'; form: string }
  | { type: 'booth.applied'; form: string; application: number }
  | { type: 'terminal.outOfOrder'; why: string }
  | { type: 'terminal.inService'; was: string };

export type JournalRecord = JournalFact & { seq: number; at: string; session: string };

export class JournalDamagedError extends Error {
  constructor(file: string, line: number) {
    super(`${file}:${line}: not a journal record. The journal is damaged; keep a copy of it, and have staff settle the last session by hand before starting the kiosk with an empty journal.`);
    this.name = 'JournalDamagedError';
  }
}

/** How many records stay in memory (the file keeps them all): a kiosk that runs for days must not grow. */
const KEEP_IN_MEMORY = 1000;

export class Journal {
  /** The most recent records (at least the last KEEP_IN_MEMORY, all of the current session), oldest first. */
  records: JournalRecord[] = [];
  #previous: JournalRecord[] = [];
  #fd: number | null;
  #seq = 0;

  readonly #reserve: DiskReserve | null;

  /** `reserve`: room the journal may give up when the disk fills, so that the money records still go in. */
  constructor(readonly path: string | null = null, reserve: DiskReserve | null = null) {
    this.#reserve = reserve;
    if (path) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const st = lstatOrNull(path);
      // A FIFO would hang the start, a link could make the kiosk write elsewhere: the journal is a plain file or none.
      if (st && !st.isFile()) throw new StateFileError(path, `not a regular file (${st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symbolic link' : st.isFIFO() ? 'a FIFO' : 'a device or socket'}); the journal must be one: move it away`);
      if (st) {
        const back = readBack(path);
        this.#previous = back.unsettled;
        this.#seq = back.lastSeq;
        this.records = back.tail;
      }
      this.#fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    } else {
      this.#fd = null;
    }
  }

  /**
   * The records crash recovery needs, once: those of every session the file shows with money in it and not settled
   * (and of a session whose refund slip is missing). Settled sessions are not kept: years of service start as fast as
   * a day's.
   */
  takePrevious(): JournalRecord[] {
    const all = this.#previous;
    this.#previous = [];
    return all;
  }

  append(session: string, at: string, fact: JournalFact): JournalRecord {
    const record = { seq: ++this.#seq, at, session, ...fact } as JournalRecord;
    crashPoint(`journal ${fact.type} (before)`);
    if (this.#fd !== null) {
      const fd = this.#fd;
      const line = JSON.stringify(record) + '\n';
      const write = () => {
        const size = fstatSync(fd).size;
        try {
          appendFileSync(fd, line);
          fsyncSync(fd);
        } catch (e) {
          // A write the disk cut short leaves no torn line behind for the next record to follow.
          try {
            ftruncateSync(fd, size);
          } catch {
            // the next start cuts a torn last line off
          }
          throw e;
        }
      };
      try {
        if (this.#reserve) this.#reserve.write(write);
        else write();
      } catch (e) {
        // Not written: the number is given again to the next record that is.
        this.#seq -= 1;
        throw e;
      }
    }
    crashPoint(`journal ${fact.type} (written)`);
    this.records.push(record);
    if (this.records.length > 2 * KEEP_IN_MEMORY) this.records = this.records.slice(-KEEP_IN_MEMORY);
    return record;
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

/** Money facts that make a session worth settling after a crash (recovery.ts). */
export const MONEY_FACTS: ReadonlySet<JournalFact['type']> = new Set(['cash.in', 'payment.collected', 'issued', 'print.copy.start', 'print.copy', 'cash.payout.start']);
/** Records after which a session's money is settled. */
const SETTLING: ReadonlySet<JournalFact['type']> = new Set(['cash.refunded', 'cash.out', 'recovered']);
/** Sessions remembered as settled while reading (a money record of a settled session changes nothing). */
const SETTLED_REMEMBERED = 10_000;
/** A record is well under 1 KB; a line longer than this is no record, torn or whole. */
const MAX_LINE_BYTES = 64 * 1024;

interface ReadBack {
  /** Records of sessions that recovery must look at, in file order. */
  unsettled: JournalRecord[];
  /** The last KEEP_IN_MEMORY records. */
  tail: JournalRecord[];
  lastSeq: number;
}

/**
 * Reads a journal back as a stream of lines (1 MiB at a time), keeping only what recovery and the operator panel
 * need, so that start-up time is linear in the file and memory does not grow with it. A kill can only cut the very
 * last line short (each record is one write): that torn tail is cut off the file. A last record that is whole but
 * lacks its newline is kept, and the newline added, so that the next record starts on a line of its own. Damage
 * anywhere else is an error.
 */
function readBack(path: string): ReadBack {
  const fd = openSync(path, 'r+');
  try {
    const sessions = new Map<string, JournalRecord[]>();
    const awaitingSlip = new Set<string>();
    const settled = new Set<string>();
    let tail: JournalRecord[] = [];
    let lastSeq = 0;
    let lineNo = 0;
    /** Bytes of whole, good lines so far (where a torn tail is cut). */
    let good = 0;
    let pending: Buffer | null = null;
    let brokenAt = 0;
    const chunk = Buffer.alloc(1 << 20);
    let position = 0;

    const take = (r: JournalRecord) => {
      lastSeq = typeof r.seq === 'number' ? r.seq : lastSeq;
      tail.push(r);
      if (tail.length > 2 * KEEP_IN_MEMORY) tail = tail.slice(-KEEP_IN_MEMORY);
      let rs = sessions.get(r.session);
      if (!rs && MONEY_FACTS.has(r.type) && !settled.has(r.session)) sessions.set(r.session, (rs = []));
      if (!rs) return;
      rs.push(r);
      if (r.type === 'cash.out' && r.paid === false) awaitingSlip.add(r.session);
      if (r.type === 'refund.slip') awaitingSlip.delete(r.session);
      if (SETTLING.has(r.type) && !awaitingSlip.has(r.session)) {
        sessions.delete(r.session);
        settled.add(r.session);
        if (settled.size > SETTLED_REMEMBERED) settled.delete(settled.values().next().value!);
      }
      if (r.type === 'refund.slip' && rs.some((x) => SETTLING.has(x.type))) {
        sessions.delete(r.session);
        settled.add(r.session);
      }
    };
    /** A record; 'torn' for text that is not JSON (what a kill leaves); 'other' for JSON that is no record. */
    const parse = (bytes: Buffer): JournalRecord | 'torn' | 'other' => {
      let r: JournalRecord;
      try {
        r = JSON.parse(bytes.toString('utf8')) as JournalRecord;
      } catch {
        return 'torn';
      }
      return r && typeof r === 'object' && typeof r.type === 'string' && typeof r.session === 'string' && Number.isInteger(r.seq) ? r : 'other';
    };
    /** A complete line (its newline seen). */
    const line = (bytes: Buffer) => {
      lineNo += 1;
      if (brokenAt) throw new JournalDamagedError(path, brokenAt);
      if (bytes.length === 0) {
        good += 1;
        return;
      }
      const r = parse(bytes);
      // JSON that is no record is damage wherever it is; text that is not JSON is too, unless it turns out to be the
      // last line (a kill's torn write; checked when the next line comes).
      if (r === 'other') throw new JournalDamagedError(path, lineNo);
      if (r === 'torn') {
        brokenAt = lineNo;
        return;
      }
      take(r);
      good += bytes.length + 1;
    };

    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      let data = chunk.subarray(0, n);
      if (pending) {
        data = Buffer.concat([pending, data]);
        pending = null;
      }
      let from = 0;
      for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, from)) {
        if (nl - from > MAX_LINE_BYTES) throw new JournalDamagedError(path, lineNo + 1);
        line(data.subarray(from, nl));
        from = nl + 1;
      }
      // A line longer than any record, with no end in sight, is damage: never read whole, never cut off silently.
      if (data.length - from > MAX_LINE_BYTES) throw new JournalDamagedError(path, lineNo + 1);
      if (from < data.length) pending = Buffer.from(data.subarray(from));
    }
    // The last line: a record without its newline (kept, the newline added), torn text (cut off), or JSON that is no
    // record (damage, as anywhere else).
    const last = pending && !brokenAt ? parse(pending) : null;
    if (last === 'other') throw new JournalDamagedError(path, lineNo + 1);
    if (last && typeof last === 'object') {
      take(last);
      writeSync(fd, '\n', position);
      good = position + 1;
    }
    if (brokenAt && brokenAt < lineNo) throw new JournalDamagedError(path, brokenAt);
    if (good < position && !(last && typeof last === 'object')) truncateSync(path, good);
    const unsettled = [...sessions.values()].flat().sort((a, b) => a.seq - b.seq);
    return { unsettled, tail: tail.slice(-KEEP_IN_MEMORY), lastSeq };
  } finally {
    closeSync(fd);
  }
}

// Crash points (tests only): with KIOSK_CRASH_AT=N in the environment, the N-th point reached kills the process
// with SIGKILL, the way a power cut or the OOM killer would. tests/crash/ runs a purchase once per point. Points sit
// around every journal write, every cash box action and every document the printer puts out.
const CRASH_AT = Number(process.env.KIOSK_CRASH_AT ?? 0);
const CRASH_TRACE = !!process.env.KIOSK_CRASH_TRACE;
let crashPoints = 0;
let traceDetail: (() => string) | null = null;

export function crashPoint(label: string): void {
  if (!CRASH_AT && !CRASH_TRACE) return;
  crashPoints += 1;
  if (CRASH_TRACE) writeSync(2, `crash point ${crashPoints}: ${label}${traceDetail ? ` #${traceDetail()}` : ''}\n`);
  if (crashPoints === CRASH_AT) {
    writeSync(2, `KIOSK_CRASH_AT=${CRASH_AT}: killed at ${label}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/** With KIOSK_CRASH_TRACE: what to add to each traced point's line (the crash test adds a digest of the files). */
export function traceCrashPoints(detail: () => string): void {
  traceDetail = detail;
}

/** Crash points passed so far in this process (0 unless KIOSK_CRASH_AT or KIOSK_CRASH_TRACE is set). */
export function crashPointsPassed(): number {
  return crashPoints;
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
