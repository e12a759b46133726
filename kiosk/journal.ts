// The journal: every money and print fact, appended and flushed to disk BEFORE the machine hears of it, so that
// after a crash the kiosk knows what was paid, printed and owed. Append-only JSON lines; never a PIN.
// Where a device acts on money or paper, the journal says "about to" before (an intent: `print.copy.start`,
// `cash.payout.start`) and what happened after, so that recovery can tell every kill point apart (see
// kiosk/README.md, "Crash recovery").
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
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
  /** Summary of a crash recovery for one session (the money itself is in the records before it). */
  | {
    type: 'recovered'; inserted: number; charged: number; change: number; refunded: number; owed: number; printed: number;
    copies: number; receipt: boolean;
  };

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

  constructor(readonly path: string | null = null) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      if (existsSync(path)) this.#previous = readBack(path);
      this.#seq = this.#previous.at(-1)?.seq ?? 0;
      this.records = this.#previous.slice(-KEEP_IN_MEMORY);
      this.#fd = openSync(path, 'a');
    } else {
      this.#fd = null;
    }
  }

  /** Every record the file held when it was opened, once (for crash recovery); then they are let go. */
  takePrevious(): JournalRecord[] {
    const all = this.#previous;
    this.#previous = [];
    return all;
  }

  append(session: string, at: string, fact: JournalFact): JournalRecord {
    const record = { seq: ++this.#seq, at, session, ...fact } as JournalRecord;
    crashPoint(`journal ${fact.type} (before)`);
    if (this.#fd !== null) {
      appendFileSync(this.#fd, JSON.stringify(record) + '\n');
      fsyncSync(this.#fd);
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

/**
 * Reads a journal back. A kill can only cut the very last line short (each record is one write); that torn tail is
 * cut off the file, so that the next record starts on a line of its own. Damage anywhere else is an error.
 */
function readBack(path: string): JournalRecord[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  let good = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const complete = i < lines.length - 1;
    if (!line) {
      if (complete) good += 1;
      continue;
    }
    let record: JournalRecord | null = null;
    try {
      record = complete ? JSON.parse(line) as JournalRecord : null;
    } catch {
      record = null;
    }
    if (!record || typeof record.type !== 'string' || typeof record.session !== 'string') {
      if (i >= lines.length - 2) break;
      throw new JournalDamagedError(path, i + 1);
    }
    records.push(record);
    good += Buffer.byteLength(line) + 1;
  }
  if (good < Buffer.byteLength(text)) truncateSync(path, good);
  return records;
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
