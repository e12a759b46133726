// The one interface of a card reader, as jsapdu's device layer: opened before use and closed after, a card that
// comes and goes (with events), one card session at a time, and every APDU observable on its way out. The
// in-process SimReader and the PC/SC PcscReader implement it; the kiosk, the probe and the contract tests know
// nothing else of a reader.
import type { CommandApdu, ResponseApdu } from './apdu.ts';
import type { CardSession } from './session.ts';

export type ReaderEvent = 'inserted' | 'removed';

/**
 * Told of each APDU just before it leaves the reader, with its number (0, 1, … since the observer was added); a
 * promise it returns holds the APDU until it settles (a script that pulls the card as a command goes out).
 */
export type ApduObserver = (command: CommandApdu, index: number) => void | Promise<void>;

/** One exchange as the session saw it, for traces: the command, the whole answer (or why none came), its time. */
export interface Exchange {
  at: Date;
  command: Buffer;
  /** The answer with its status word (after any 61xx/6Cxx the reader resolved), or null. */
  response: Buffer | null;
  ms: number;
  error?: string;
}
export type ExchangeListener = (exchange: Exchange) => void;

export interface CardReader {
  readonly name: string;
  readonly cardPresent: boolean;
  /** Opens the reader (pcscd's context and a matching reader; nothing to wait for in the simulator). */
  open(): Promise<this>;
  /** Lets go of the reader; a closed reader opens no session. */
  close(): void;
  /** A session with the card in the reader; it dies with that card (CardRemovedError). */
  connect(): CardSession;
  /** Listens for a card put on or taken off; returns the function that stops listening. */
  on(event: ReaderEvent, listener: () => void): () => void;
  /** Observes every APDU sent through this reader's sessions; returns the function that stops observing. */
  onApdu(observer: ApduObserver): () => void;
  /** Hears every exchange once it is over (a trace); returns the function that stops listening. */
  onExchange(listener: ExchangeListener): () => void;
}

/** A closed reader was asked for a session. */
export class ReaderClosedError extends Error {
  override readonly name = 'ReaderClosedError';
  constructor(reader: string) {
    super(`${reader} is closed; open it again (or start a new terminal) before reading a card`);
  }
}

/** The listeners of a reader: its card events and its APDU observers (one implementation for every reader). */
export class ReaderListeners {
  readonly #events: Record<ReaderEvent, Set<() => void>> = { inserted: new Set(), removed: new Set() };
  readonly #observers = new Map<ApduObserver, { count: number }>();
  readonly #exchanges = new Set<ExchangeListener>();

  on(event: ReaderEvent, listener: () => void): () => void {
    this.#events[event].add(listener);
    return () => {
      this.#events[event].delete(listener);
    };
  }

  emit(event: ReaderEvent): void {
    for (const listener of [...this.#events[event]]) listener();
  }

  onApdu(observer: ApduObserver): () => void {
    this.#observers.set(observer, { count: 0 });
    return () => {
      this.#observers.delete(observer);
    };
  }

  /** Tells every observer of the command, in order, and waits for what they hold it for. */
  async sending(command: CommandApdu): Promise<void> {
    for (const [observer, seen] of [...this.#observers]) await observer(command, seen.count++);
  }

  onExchange(listener: ExchangeListener): () => void {
    this.#exchanges.add(listener);
    return () => {
      this.#exchanges.delete(listener);
    };
  }

  /** Runs one exchange and tells the exchange listeners how it went (nothing is timed when none listens). */
  async exchange(command: CommandApdu, run: () => Promise<ResponseApdu>): Promise<ResponseApdu> {
    if (!this.#exchanges.size) return run();
    const at = new Date();
    const started = performance.now();
    const tell = (response: Buffer | null, error?: string) => {
      const e: Exchange = { at, command: command.toBytes(), response, ms: performance.now() - started, ...(error ? { error } : {}) };
      for (const listener of [...this.#exchanges]) {
        try {
          listener(e);
        } catch {
          // A listener (a trace) that fails is its own problem: the card's answer still reaches the session.
        }
      }
    };
    try {
      const response = await run();
      tell(response.toBytes());
      return response;
    } catch (e) {
      tell(null, e instanceof Error ? e.name : 'error');
      throw e;
    }
  }
}

/** Whether the reader reports `event` within `ms` (after `act`, which may cause it: a card put in, taken out). */
export function cardEvent(reader: Pick<CardReader, 'on'>, event: ReaderEvent, ms: number, act: () => void = () => undefined): Promise<boolean> {
  return new Promise<boolean>((done) => {
    const timer = setTimeout(() => {
      off();
      done(false);
    }, ms);
    const off = reader.on(event, () => {
      clearTimeout(timer);
      off();
      done(true);
    });
    act();
  });
}
