// The journal: every money and print fact, appended and flushed to disk BEFORE the machine hears of it, so that
// after a crash the kiosk knows what was paid, printed and owed. Append-only JSON lines; never a PIN.
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type JournalFact =
  | { type: 'cash.in'; amount: number; total: number }
  | { type: 'cash.rejected'; amount: number; reason: string }
  | { type: 'cash.refunded'; amount: number }
  | { type: 'payment.collected'; amount: number; due: number }
  | { type: 'issued'; issuanceNumber: string; certificate: string; copies: number; unitFee: number }
  | { type: 'print.copy'; issuanceNumber: string; copy: number; of: number; file: string | null }
  | { type: 'print.failed'; issuanceNumber: string | null; reason: string; printed: number }
  | { type: 'print.receipt'; issuanceNumber: string; file: string | null }
  | { type: 'cash.out'; change: number; refunded: number; charged: number }
  | { type: 'refund.slip'; amount: number; issuanceNumber: string | null };

export type JournalRecord = JournalFact & { seq: number; at: string; session: string };

export class Journal {
  readonly records: JournalRecord[] = [];
  readonly #fd: number | null;

  constructor(readonly path: string | null = null) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      this.#fd = openSync(path, 'a');
    } else {
      this.#fd = null;
    }
  }

  append(session: string, at: string, fact: JournalFact): JournalRecord {
    const record = { seq: this.records.length + 1, at, session, ...fact } as JournalRecord;
    if (this.#fd !== null) {
      appendFileSync(this.#fd, JSON.stringify(record) + '\n');
      fsyncSync(this.#fd);
    }
    this.records.push(record);
    return record;
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
  }
}
