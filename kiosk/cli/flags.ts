// What every `kiosk` command shares: its two errors (a wrong command line, exit 2; a start that cannot be done,
// exit 2), the checks of flag values, and the helpers to read files named on the command line. Commands declare
// their flags with commander (main.ts); a value is checked here when it is parsed, so a bad one stops the command
// before it does anything.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { parseTime } from '../clock.ts';
import { parseReaderChoice } from '../terminal.ts';
import { terminalIdProblem } from '../../center/terminals.ts';
import { TraceWriter } from '../../reader/trace.ts';

/** The kiosk could not start or do what it was asked with what it was given; the message says what to do (exit 2). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** A wrong command, flag or value: main prints the message and the command's help (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A flag's parsed values, by the flag's name as typed (`center-token`, not `centerToken`). */
export type Flags = Record<string, string | undefined>;

/** A check of a flag's value: null when good, or what is wrong with it. */
export type Check = (value: string) => string | null;

/**
 * A flag with a value, checked as it is parsed: a missing value (the next word is another flag) or a wrong one is a
 * UsageError that names the flag and the value.
 */
export function valueFlag(flags: string, description: string, check: Check = () => null): Option {
  const option = new Option(flags, description);
  const name = option.long!;
  return option.argParser((value: string) => {
    if (value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    const problem = check(value);
    if (problem) throw new UsageError(`${name} ${value.length > 60 ? `${value.slice(0, 60)}…` : value}: ${problem}`);
    return value;
  });
}

/** Checks that need what the command loads (the personas, the sample types), run before the command does anything. */
export function checkFlags(flags: Flags, checks: Record<string, Check>): void {
  for (const [name, check] of Object.entries(checks)) {
    const value = flags[name];
    const problem = value === undefined ? null : check(value);
    if (problem) throw new UsageError(`--${name} ${value!.length > 60 ? `${value!.slice(0, 60)}…` : value}: ${problem}`);
  }
}

export const oneOf = (...values: string[]): Check => (v) => (values.includes(v) ? null : `expected one of ${values.join(', ')}`);
export const port: Check = (v) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? null : 'expected a port number 1-65535');
export const readerFlag: Check = (v) => (parseReaderChoice(v) ? null : 'expected sim, pcsc or pcsc:NAME (a part of the reader name)');
/** A terminal id goes into issuance numbers and spool file names: keep it short and plain. */
export const terminalFlag: Check = terminalIdProblem;
export const slotFlag: Check = (v) => (v === '0' || v === '1' ? null : 'expected 0 or 1 (vpcd has two slots: Virtual PCD 00 00 and 00 01)');
export const waitFlag: Check = (v) => (/^\d+$/.test(v) && Number(v) <= 600_000 ? null : 'expected milliseconds, 0-600000');
export const readerNameFlag: Check = (v) => (v.trim() ? null : 'expected a part of the reader name, e.g. "Virtual PCD 00 01"');
export const toleranceFlag: Check = (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 86_400 ? null : 'expected a number of seconds, 1-86400 (default 300)');
export const seedFlag: Check = (v) => (/^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff ? null : 'expected a whole number, 0-4294967295');
export const stepsFlag: Check = (v) => (/^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= 1_000_000 ? null : 'expected a number of steps, 1-1000000');
/** A whole number from `min` to `max`, naming what it counts when it is not one. */
export const rangeFlag = (min: number, max: number, what: string): Check => (v) => (/^\d{1,7}$/.test(v) && Number(v) >= min && Number(v) <= max ? null : `expected a number of ${what}, ${min}-${max}`);
export const workersFlag: Check = (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 64 ? null : 'expected a number of workers, 1-64');

/** A center started with `kiosk center serve`: http on loopback with its port, nothing else. */
export const centerUrl: Check = (v) => {
  let u: URL | null = null;
  try {
    u = new URL(v);
  } catch {
    u = null;
  }
  const loopback = u && u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname) && u.port && !u.username && !u.password && !u.search && !u.hash && u.pathname === '/';
  return loopback ? null : 'expected http://127.0.0.1:PORT or http://localhost:PORT (the center runs on this machine: kiosk center serve)';
};

export const clockFlag: Check = (v) => {
  if (v === 'real') return null;
  try {
    parseTime(v);
    return /[+-]\d\d:?\d\d$|Z$/.test(v) ? null : 'give the offset too, e.g. 2026-11-24T10:00:00+09:00';
  } catch (e) {
    return (e as Error).message;
  }
};

/** Errors of a terminal's or center's state at start: each says what to do (exit 2, never a stack trace). */
export const STATE_ERRORS = ['FolderLockedError', 'FolderUnusableError', 'JournalDamagedError', 'CashBoxStateError', 'IssuanceLogError', 'TerminalRegistryError', 'CenterRecordsError', 'StateFileError', 'CardStoreError', 'DiskFullError'];
/** File-system failures at start that a person fixes by giving another folder. */
export const FILE_ERRORS = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EIO'];

/** Text for a terminal: C0 and C1 control characters (but tab) shown as \x.. escapes. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Files named on the command line; a folder stands for its *.yaml and *.yml files, sorted. */
export function journeyFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (!st.isDirectory()) return [p];
    const files = readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f));
    if (!files.length) throw new UsageError(`no journeys (*.yaml) in ${p}`);
    return files;
  });
}

/** `--trace FILE`: APDUs as text, or JSON lines for FILE.jsonl (reader/trace.ts). */
export const traceFlag = () => valueFlag('--trace <FILE>', 'write every APDU to FILE: time, reader, command (PIN data masked), response, status word, duration; JSON lines for FILE.jsonl');

/** Opens the trace a command was given, or says why it cannot (exit 2) before anything is done. */
export function openTrace(path: string): TraceWriter {
  try {
    return new TraceWriter(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StartError(`--trace ${path.length > 120 ? `${path.slice(0, 120)}…` : path}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EROFS' ? 'it cannot be written here' : code === 'ENAMETOOLONG' ? 'the name is too long' : (e as Error).message.slice(0, 200)}; give a file in a writable folder`);
  }
}
