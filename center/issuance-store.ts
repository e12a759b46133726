// What the center keeps of every copy it issued, as SimCenter and `kiosk verify` use it: the issuance sequence, the
// issued copies by verification code, and each copy's printed file's digest. Small on purpose, so that a PostgreSQL
// backend (several centers sharing one database) can follow the two that exist: the JSON lines of issuance-log.ts
// (in memory for journeys and tests, and the reader of a log kept before the center's database held it) and the
// center's SQLite database (records/sqlite-issuance-log.ts). Every call answers synchronously inside the center's.
import type { IssuanceRecord } from './issuance-center.ts';

export interface IssuanceStore {
  /** Where it is kept (a file, or ':memory:'), for messages. */
  readonly location: string;
  /**
   * The next issuance sequence number, reserved: it is never given again, even if the issuance then fails (and, in
   * the database, even after a restart).
   */
  nextSequence(): number;
  /** Records the copies of one issuance, all or none; throws (nothing recorded) when it cannot be kept. */
  record(sequence: number, records: IssuanceRecord[]): void;
  /**
   * Records the printed file's digest of a copy, once: 'unknown-code' or 'already-recorded' when it refuses.
   * `terminal` is the terminal that reported it (the caller checks it is the copy's own; default the copy's).
   */
  printed(verificationCode: string, pdfSha256: string, terminal?: string): 'recorded' | 'unknown-code' | 'already-recorded';
  find(code: string): IssuanceRecord | null;
  has(code: string): boolean;
}
