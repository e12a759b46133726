// The in-process reader that holds a VirtualMyNumberCard. It enforces what a real PC/SC reader enforces:
// a session dies with the card it was opened on, and the reader exchanges one APDU at a time. Like serialport's
// MockBinding it is scripted and read through its own methods, never patched: insert and remove a card, pull it as
// the Nth APDU or a matching one goes out (pullWhen), and keep a trace of every exchange (record).
import { CommandApdu, MalformedResponseError, ResponseApdu } from './apdu.ts';
import { ReaderClosedError, ReaderListeners, type ApduObserver, type CardReader, type ExchangeListener, type ReaderEvent } from './reader.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from './session.ts';
import { CardMuteError, type VirtualMyNumberCard } from './virtual-card.ts';

/** connect() on an empty reader. */
export class NoCardError extends Error {
  override readonly name = 'NoCardError';
  constructor(readerName: string) {
    super(`no card is in ${readerName}; ask the person to place their card on the reader`);
  }
}

/** insert() while a card is already in the reader. */
export class ReaderOccupiedError extends Error {
  override readonly name = 'ReaderOccupiedError';
  constructor(readerName: string) {
    super(`a card is already in ${readerName}; remove it before inserting another`);
  }
}

/** A transmit while another is still in flight: a reader handles one APDU at a time. */
export class ReaderBusyError extends Error {
  override readonly name = 'ReaderBusyError';
  constructor(readerName: string) {
    super(`${readerName} is still exchanging another APDU; await each transmit before sending the next`);
  }
}

export type { ReaderEvent };

/** One exchange as the reader saw it: the command, and the card's answer (null: none came, the card left or was mute). */
export interface TracedApdu {
  command: Buffer;
  response: Buffer | null;
  /** Milliseconds since the recording started. */
  at: number;
}

/** When to pull the card: as the Nth APDU from now goes out (1 = the next), or the first one that matches. */
export type PullTrigger = number | ((command: CommandApdu) => boolean);

export class SimReader implements CardReader {
  readonly name = 'Simulated reader 0';
  #card: VirtualMyNumberCard | null = null;
  /** Bumped on every insert and remove, so sessions from an earlier insertion are recognisably dead. */
  #generation = 0;
  #busy = false;
  #closed = false;
  #trace: { entries: TracedApdu[]; started: number; limit: number } | null = null;
  readonly #listeners = new ReaderListeners();

  /** The simulated reader needs no opening; open() after close() makes it usable again. */
  async open(): Promise<this> {
    this.#closed = false;
    return this;
  }

  /** Closes the reader: sessions fail as after a removal, and no new one opens until open(). The card stays in. */
  close(): void {
    this.#closed = true;
    this.#generation += 1;
  }

  get cardPresent(): boolean {
    return this.#card !== null;
  }

  /** The card in the reader, for scripting and an operator panel. */
  get card(): VirtualMyNumberCard | null {
    return this.#card;
  }

  /** Places a card; it is powered on (cold reset) as a reader does on insertion. */
  insert(card: VirtualMyNumberCard): void {
    if (this.#card) throw new ReaderOccupiedError(this.name);
    card.powerOn();
    this.#card = card;
    this.#generation += 1;
    this.#emit('inserted');
  }

  /** Takes the card out (powering it off) and returns it; does nothing on an empty reader. */
  remove(): VirtualMyNumberCard | null {
    const card = this.#card;
    if (!card) return null;
    card.powerOff();
    this.#card = null;
    this.#generation += 1;
    this.#emit('removed');
    return card;
  }

  connect(): CardSession {
    if (this.#closed) throw new ReaderClosedError(this.name);
    const card = this.#card;
    if (!card) throw new NoCardError(this.name);
    const generation = this.#generation;
    const atr = Buffer.from(card.atr);
    return {
      atr,
      transmit: async (command) => {
        await this.#listeners.sending(command);
        return this.#listeners.exchange(command, () => this.#transmit(card, generation, command));
      },
    };
  }

  /** Listens for card insertion or removal; returns the function that stops listening. */
  on(event: ReaderEvent, listener: () => void): () => void {
    return this.#listeners.on(event, listener);
  }

  onApdu(observer: ApduObserver): () => void {
    return this.#listeners.onApdu(observer);
  }

  onExchange(listener: ExchangeListener): () => void {
    return this.#listeners.onExchange(listener);
  }

  /**
   * Pulls the card out as the trigger's APDU goes out (before the card sees it: the exchange fails as a removal does).
   * Once only; returns the function that disarms it.
   */
  pullWhen(trigger: PullTrigger): () => void {
    const off = this.onApdu((command, index) => {
      if (typeof trigger === 'number' ? index + 1 < trigger : !trigger(command)) return;
      off();
      this.remove();
    });
    return off;
  }

  /**
   * Starts keeping every exchange (the last `limit` of them); returns the trace, which grows as APDUs go, and is
   * replaced by the next record().
   */
  record(limit = 10_000): readonly TracedApdu[] {
    this.#trace = { entries: [], started: performance.now(), limit };
    return this.#trace.entries;
  }

  #emit(event: ReaderEvent): void {
    this.#listeners.emit(event);
  }

  #traced(command: CommandApdu, response: Buffer | null): void {
    const t = this.#trace;
    if (!t) return;
    if (t.entries.length === t.limit) t.entries.shift();
    t.entries.push({ command: Buffer.from(command.toBytes()), response, at: performance.now() - t.started });
  }

  async #transmit(card: VirtualMyNumberCard, generation: number, command: CommandApdu): Promise<ResponseApdu> {
    if (generation !== this.#generation) throw new CardRemovedError();
    if (this.#busy) throw new ReaderBusyError(this.name);
    this.#busy = true;
    try {
      await Promise.resolve(); // a real exchange is never synchronous
      if (generation !== this.#generation) throw new CardRemovedError(); // pulled out mid-exchange
      let raw: Uint8Array;
      try {
        raw = card.transmit(command.toBytes());
        this.#traced(command, Buffer.from(raw));
      } catch (error) {
        this.#traced(command, null);
        if (error instanceof CardMuteError) {
          throw new CardCommunicationError(command.describe(), null, 'the card did not answer', { cause: error });
        }
        // Power went with the card while it was answering: a removal, as PC/SC reports it.
        if (generation !== this.#generation) throw new CardRemovedError();
        throw error;
      }
      if (generation !== this.#generation) throw new CardRemovedError(); // the answer never left the card
      try {
        return ResponseApdu.from(raw);
      } catch (error) {
        if (error instanceof MalformedResponseError) {
          throw new CardCommunicationError(command.describe(), raw, 'the answer is too short to hold a status word', { cause: error });
        }
        throw error;
      }
    } finally {
      this.#busy = false;
    }
  }
}
