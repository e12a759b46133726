// APDU traces, for reader vendors: one line per exchange (time, reader, command, response, status word, duration),
// as text a person reads the way pcsc-spy's output is read, or as JSON lines a program reads. The data of every
// command that can carry a PIN (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER) is masked before it is written:
// its length stays, its bytes never reach a trace. `kiosk card replay` reads either form back.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { CardReader, Exchange } from './reader.ts';

/** One exchange, as a trace keeps it. Hex is upper case without spaces; masked bytes are `**`. */
export interface TraceEntry {
  /** ISO time the command left. */
  at: string;
  reader: string;
  /** Which session of a longer run (a journey's file, a kiosk's session), when there is one. */
  session?: string;
  command: string;
  /** The response's data (without the status word), or null when there was no answer. */
  response: string | null;
  sw: string | null;
  ms: number;
  /** Why there was no answer (the card left, it stayed mute). */
  error?: string;
}

/** INS bytes whose data may be a PIN, a password or a new one. */
const SECRET_INS = new Set([0x20, 0x24, 0x2c]);

/** The command as hex, its data masked when it may hold a PIN (the header, Lc and Le stay readable). */
export function maskedCommand(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex').toUpperCase();
  if (bytes.length <= 5 || !SECRET_INS.has(bytes[1]!)) return hex;
  // Short APDU: CLA INS P1 P2 Lc data [Le]; extended: CLA INS P1 P2 00 Lc1 Lc2 data [Le Le].
  const extended = bytes[4] === 0 && bytes.length > 7;
  const header = extended ? 7 : 5;
  const lc = extended ? (bytes[5]! << 8) | bytes[6]! : bytes[4]!;
  if (header + lc > bytes.length) return `${hex.slice(0, 8)}${'**'.repeat(bytes.length - 4)}`;
  return `${hex.slice(0, header * 2)}${'**'.repeat(lc)}${hex.slice((header + lc) * 2)}`;
}

/** Writes a trace to a file: JSON lines for `.jsonl` or `.json`, text otherwise. Each entry is one write. */
export class TraceWriter {
  readonly format: 'text' | 'jsonl';
  #fd: number | null;

  /** A new trace replaces the file; `append` adds to it (several writers of one run). */
  constructor(readonly path: string, options: { append?: boolean } = {}) {
    this.format = /^\.jsonl?$/i.test(extname(path)) ? 'jsonl' : 'text';
    this.#fd = openSync(path, options.append ? 'a' : 'w', 0o600);
    // Several writers may share one file (a journey run's worker threads): the header goes in once.
    if (this.format === 'text' && fstatSync(this.#fd).size === 0) writeSync(this.#fd, `# APDU trace (kiosk): time, reader, > command (PIN data **), < response and status word, duration\n`);
  }

  /** Why the trace stopped being written (a full or broken disk), or null. */
  error: Error | null = null;

  /** Writes one entry. A trace that cannot be written stops (`error` says why): it never stops the session it traces. */
  write(entry: TraceEntry): void {
    if (this.#fd === null) return;
    try {
      writeSync(this.#fd, `${this.format === 'jsonl' ? JSON.stringify(entry) : textLine(entry)}\n`);
    } catch (e) {
      this.error = e as Error;
      this.close();
    }
  }

  /** Writes every exchange of the reader's sessions from now on; returns the function that stops. */
  follow(reader: Pick<CardReader, 'name' | 'onExchange'>, session?: string): () => void {
    return reader.onExchange((e) => this.write(entryOf(e, reader.name, session)));
  }

  close(): void {
    const fd = this.#fd;
    this.#fd = null;
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing: nothing more to lose
      }
    }
  }
}

/** An exchange as a trace entry: the command masked, the answer split into data and status word. */
export function entryOf(e: Exchange, reader: string, session?: string): TraceEntry {
  const r = e.response;
  return {
    at: e.at.toISOString(), reader, ...(session ? { session } : {}), command: maskedCommand(e.command),
    response: r && r.length >= 2 ? r.subarray(0, -2).toString('hex').toUpperCase() : null,
    sw: r && r.length >= 2 ? r.subarray(-2).toString('hex').toUpperCase() : null,
    ms: Math.round(e.ms * 1000) / 1000, ...(e.error ? { error: e.error } : r && r.length < 2 ? { error: 'an answer without a status word' } : {}),
  };
}

const spaced = (hex: string) => hex.replace(/(..)(?!$)/g, '$1 ');

/** `2026-12-07T01:00:00.123Z [Virtual PCD 00 00] > 00 A4 04 0C … < 90 00 (0.31 ms)`. */
export function textLine(e: TraceEntry): string {
  const answer = e.sw === null ? `< no answer${e.error ? ` (${e.error})` : ''}` : `< ${e.response ? `${spaced(e.response)} ` : ''}${spaced(e.sw)}`;
  return `${e.at} [${e.reader}]${e.session ? ` {${e.session}}` : ''} > ${spaced(e.command)} ${answer} (${e.ms.toFixed(2)} ms)`;
}

const TEXT_LINE = /^(\S+) \[([^\]]*)\](?: \{([^}]*)\})? > ([0-9A-F* ]+?) < (no answer(?: \((.*)\))?|([0-9A-F ]+)) \(([\d.]+) ms\)$/;

/** Reads a trace back, in either form; a line that is neither says where it is. */
export function parseTrace(text: string): TraceEntry[] {
  const out: TraceEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('{')) {
      let e: TraceEntry;
      try {
        e = JSON.parse(line) as TraceEntry;
      } catch {
        throw new TraceFormatError(i + 1, 'not JSON');
      }
      if (typeof e.command !== 'string' || !/^([0-9A-F]{2}|\*\*)+$/.test(e.command) || (e.sw !== null && !/^[0-9A-F]{4}$/.test(String(e.sw)))) {
        throw new TraceFormatError(i + 1, 'an entry has command (hex) and sw (4 hex digits or null)');
      }
      out.push(e);
      return;
    }
    const m = TEXT_LINE.exec(line);
    if (!m) throw new TraceFormatError(i + 1, 'not a trace line (TIME [READER] > COMMAND < RESPONSE SW (MS ms))');
    const answer = m[7]?.replaceAll(' ', '') ?? null;
    out.push({
      at: m[1]!, reader: m[2]!, ...(m[3] ? { session: m[3] } : {}), command: m[4]!.replaceAll(' ', ''),
      response: answer === null ? null : answer.slice(0, -4), sw: answer === null ? null : answer.slice(-4), ms: Number(m[8]),
      ...(m[6] ? { error: m[6] } : {}),
    });
  });
  return out;
}

export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(readonly line: number, what: string) {
    super(`line ${line} of the trace: ${what}`);
  }
}
