// The one interface of a card reader, as jsapdu's device layer: opened before use and closed after, a card that
// comes and goes (with events), one card session at a time, and every APDU observable on its way out. The
// in-process SimReader and the PC/SC PcscReader implement it; the kiosk, the probe and the contract tests know
// nothing else of a reader.
import type { CommandApdu } from './apdu.ts';
import type { CardSession } from './session.ts';

export type ReaderEvent = 'inserted' | 'removed';

/**
 * Told of each APDU just before it leaves the reader, with its number (0, 1, … since the observer was added); a
 * promise it returns holds the APDU until it settles (a script that pulls the card as a command goes out).
 */
export type ApduObserver = (command: CommandApdu, index: number) => void | Promise<void>;

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
}
