// The center's issuance log: one JSON line per issued copy (and one when its PDF's digest is reported), fsynced
// before the kiosk is told, so that a certificate in someone's hands can always be checked against it. In memory
// only when no file is given. The issuance sequence is recovered from the log, so a restarted center never gives
// an issuance number twice. A copy's digest is recorded once: a second report is refused, and when the log is read
// again the first `printed` line of a code wins (a later one, or one from another terminal, is ignored).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IssuanceRecord } from './issuance-center.ts';

type LogLine =
  | ({ type: 'issued'; sequence: number } & IssuanceRecord)
  /** `terminal`: who reported it (absent in logs written before terminals were authenticated). */
  | { type: 'printed'; verificationCode: string; pdfSha256: string; terminal?: string };

export class IssuanceLogError extends Error {
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}. The issuance log is damaged; keep a copy of it and restore it from a backup before issuing again.`);
    this.name = 'IssuanceLogError';
  }
}

export class IssuanceLog {
  readonly #records = new Map<string, IssuanceRecord>();
  #sequence = 0;

  constructor(readonly file: string | null) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!text.trim()) return;
      let line: LogLine;
      try {
        line = JSON.parse(text);
      } catch {
        // A crash can cut the very last line short; anything else is damage.
        if (i >= lines.length - 2) return;
        throw new IssuanceLogError(file, i + 1, 'not JSON');
      }
      this.#apply(line);
    });
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
   * `terminal` is the terminal that reported it (the caller checks it is the copy's own).
   */
  printed(verificationCode: string, pdfSha256: string, terminal?: string): 'recorded' | 'unknown-code' | 'already-recorded' {
    const r = this.#records.get(verificationCode);
    if (!r) return 'unknown-code';
    if (r.pdfSha256 !== undefined) return 'already-recorded';
    this.#write([{ type: 'printed', verificationCode, pdfSha256, ...(terminal ? { terminal } : {}) }]);
    return 'recorded';
  }

  find(code: string): IssuanceRecord | null {
    const r = this.#records.get(code);
    return r ? { ...r } : null;
  }

  has(code: string): boolean {
    return this.#records.has(code);
  }

  #apply(line: LogLine): void {
    if (line.type === 'issued') {
      const { type: _t, sequence, ...record } = line;
      this.#sequence = Math.max(this.#sequence, sequence);
      this.#records.set(record.verificationCode, record);
    } else {
      // The first report of a copy's file is the one: a later line cannot replace it, nor can another terminal's.
      const r = this.#records.get(line.verificationCode);
      if (r && r.pdfSha256 === undefined && (line.terminal === undefined || line.terminal === r.terminal)) r.pdfSha256 = line.pdfSha256;
    }
  }

  #write(lines: LogLine[]): void {
    if (this.file) {
      const fd = openSync(this.file, 'a');
      try {
        writeSync(fd, lines.map((l) => JSON.stringify(l) + '\n').join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    for (const l of lines) this.#apply(l);
  }
}
