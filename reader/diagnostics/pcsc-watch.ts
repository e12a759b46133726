// What pcscd sees, for reader diagnostics: the readers with their card state (`kiosk reader list`) and a stream of
// reader and card events (`kiosk reader watch`), straight over the raw `pcsclite` binding. PcscReader drives one
// reader for the kiosk; these look at all of them and never connect to a card, so they do not disturb a running kiosk.
import { createRequire } from 'node:module';
import { toHex } from '../apdu.ts';
import { PcscdNotRunningError, PcscUnavailableError } from '../pcsc-reader.ts';

export { PcscdNotRunningError };

/** The part of a pcsclite reader used here (see node_modules/pcsclite/index.d.ts). */
export interface RawPcscReader {
  name: string;
  SCARD_STATE_EMPTY: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_STATE_INUSE: number;
  SCARD_STATE_EXCLUSIVE: number;
  SCARD_STATE_UNAVAILABLE: number;
  on(event: 'status', cb: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'end', cb: () => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  close(): void;
}

/** The part of a pcsclite context used here. */
export interface RawPcscContext {
  on(event: 'reader', cb: (reader: RawPcscReader) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  close(): void;
}

/** What `require('pcsclite')` returns: a function that opens a context on pcscd. */
export type PcscBinding = () => RawPcscContext;

const require = createRequire(import.meta.url);

/** Loads the pcsclite binding as PcscReader does; PcscUnavailableError when the module or its native part is missing. */
export function loadPcscBinding(moduleName = 'pcsclite'): PcscBinding {
  try {
    return require(moduleName) as PcscBinding;
  } catch (e) {
    throw new PcscUnavailableError(`the ${moduleName} module did not load (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Opening a context throws synchronously when pcscd is down ("Service not available"). */
function openContext(binding: PcscBinding): RawPcscContext {
  try {
    return binding();
  } catch (e) {
    throw new PcscdNotRunningError((e as Error).message ?? String(e));
  }
}

export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
  /** Upper-case spaced hex, as pcsc_scan prints it; null when no card (or a card that gave no ATR). */
  atr: string | null;
  /** The reader state flags pcscd reported: present, empty, mute, in use, exclusive, unavailable. */
  state: string[];
}

function stateFlags(reader: RawPcscReader, state: number): string[] {
  const flags: Array<[number, string]> = [
    [reader.SCARD_STATE_PRESENT, 'present'],
    [reader.SCARD_STATE_EMPTY, 'empty'],
    [reader.SCARD_STATE_MUTE, 'mute'],
    [reader.SCARD_STATE_INUSE, 'in use'],
    [reader.SCARD_STATE_EXCLUSIVE, 'exclusive'],
    [reader.SCARD_STATE_UNAVAILABLE, 'unavailable'],
  ];
  return flags.filter(([bit]) => bit && (state & bit) !== 0).map(([, name]) => name);
}

const atrHex = (atr: Buffer | undefined): string | null => (atr && atr.length ? toHex(atr) : null);

/** Once every reader seen has reported, wait this much longer for a reader pcscd lists late, then answer. */
const SETTLE_MS = 50;

/**
 * The readers pcscd knows, each with its first status. Opens a context, collects for at most `waitMs` (the answer
 * comes as soon as every reader has reported; with no reader at all it takes the whole wait), then closes it.
 */
export function listReaders(options: { waitMs?: number; binding?: PcscBinding } = {}): Promise<ReaderInfo[]> {
  const binding = options.binding ?? loadPcscBinding();
  const context = openContext(binding);
  const seen = new Map<string, { reader: RawPcscReader; info: ReaderInfo | null }>();
  return new Promise((resolve, reject) => {
    let done = false;
    let settle: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(settle);
      for (const { reader } of seen.values()) reader.close();
      context.close();
      if (error) reject(error);
      // A reader whose status did not come in time is still listed, with what is known (nothing).
      else resolve([...seen.entries()].map(([name, s]) => s.info ?? { name, cardPresent: false, atr: null, state: [] }));
    };
    const overall = setTimeout(() => finish(), options.waitMs ?? 1500);
    context.on('error', (err) => finish(new PcscdNotRunningError(err.message)));
    context.on('reader', (reader) => {
      const entry: { reader: RawPcscReader; info: ReaderInfo | null } = { reader, info: null };
      seen.set(reader.name, entry);
      reader.on('error', () => undefined); // a reader that fails its status is listed without one
      reader.on('status', (status) => {
        if (entry.info) return;
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        entry.info = { name: reader.name, cardPresent: present, atr: present ? atrHex(status.atr) : null, state: stateFlags(reader, status.state) };
        if ([...seen.values()].every((s) => s.info)) {
          clearTimeout(settle);
          settle = setTimeout(() => finish(), SETTLE_MS);
        }
      });
    });
  });
}

export type ReaderEventKind = 'reader-added' | 'reader-removed' | 'card-inserted' | 'card-removed';

export interface ReaderWatchEvent {
  /** ISO 8601 UTC. */
  at: string;
  reader: string;
  event: ReaderEventKind;
  /** On card-inserted: the ATR, upper-case spaced hex (absent when the card gave none). */
  atr?: string;
  /** On card-inserted: pcscd flagged the card mute (no valid ATR; pcscd will not talk to it). */
  mute?: true;
}

export interface WatchOptions {
  signal: AbortSignal;
  binding?: PcscBinding;
  /** pcscd went away or a reader reported an error; the watch goes on (and reconnects to pcscd every second). */
  onProblem?: (message: string) => void;
  /** Current time; default the real one. */
  now?: () => Date;
}

/** How often to try pcscd again after it went away. */
const RECONNECT_MS = 1000;

/**
 * Calls onEvent for every reader and card event until `signal` aborts, then resolves. The first events describe the
 * state at the start (reader-added for each reader, card-inserted for each card already in one), as pcsc_scan does.
 * Throws PcscdNotRunningError at once when pcscd is not there at the start; if it goes away later, the watch reports
 * the readers as removed, and waits for it to come back.
 */
export async function watchReaders(onEvent: (event: ReaderWatchEvent) => void, options: WatchOptions): Promise<void> {
  const { signal } = options;
  if (signal.aborted) return;
  const binding = options.binding ?? loadPcscBinding();
  const now = options.now ?? (() => new Date());
  let context: RawPcscContext | null = openContext(binding);
  const readers = new Map<string, { reader: RawPcscReader; present: boolean | null }>();
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const emit = (reader: string, event: ReaderEventKind, extra: Pick<ReaderWatchEvent, 'atr' | 'mute'> = {}) => {
    if (!stopped) onEvent({ at: now().toISOString(), reader, event, ...extra });
  };
  const forget = (name: string) => {
    const entry = readers.get(name);
    if (!entry) return;
    readers.delete(name);
    if (entry.present) emit(name, 'card-removed');
    emit(name, 'reader-removed');
  };

  const attach = (ctx: RawPcscContext) => {
    ctx.on('reader', (reader) => {
      if (stopped || context !== ctx) return;
      const entry: { reader: RawPcscReader; present: boolean | null } = { reader, present: null };
      readers.set(reader.name, entry);
      emit(reader.name, 'reader-added');
      reader.on('error', (err) => options.onProblem?.(`${reader.name}: ${err.message}`));
      reader.on('status', (status) => {
        if (readers.get(reader.name) !== entry) return;
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        if (present === entry.present) return; // other state bits (in use, exclusive) changed: not an insert or removal
        const before = entry.present;
        entry.present = present;
        if (present) {
          const atr = atrHex(status.atr);
          emit(reader.name, 'card-inserted', { ...(atr ? { atr } : {}), ...(status.state & reader.SCARD_STATE_MUTE ? { mute: true as const } : {}) });
        } else if (before !== null) {
          emit(reader.name, 'card-removed'); // the first status of an empty reader is not a removal
        }
      });
      reader.on('end', () => {
        if (readers.get(reader.name) === entry) forget(reader.name);
      });
    });
    ctx.on('error', (err) => {
      if (stopped || context !== ctx) return;
      options.onProblem?.(`pcscd: ${err.message}; waiting for it to come back`);
      for (const name of [...readers.keys()]) forget(name);
      context = null;
      try {
        ctx.close();
      } catch {
        /* the context died with pcscd */
      }
      reconnect();
    });
  };

  const reconnect = () => {
    retry = setTimeout(() => {
      if (stopped) return;
      try {
        context = binding();
        attach(context);
        options.onProblem?.('pcscd is back');
      } catch {
        reconnect();
      }
    }, RECONNECT_MS);
  };

  attach(context);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stopped = true;
  clearTimeout(retry);
  for (const { reader } of readers.values()) reader.close();
  readers.clear();
  context?.close();
}
