// The in-process reader that holds a VirtualMyNumberCard. It enforces what a real PC/SC reader enforces:
// a session dies with the card it was opened on, and the reader exchanges one APDU at a time.
import { CommandApdu, MalformedResponseError, ResponseApdu } from './apdu.ts';
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

export type ReaderEvent = 'inserted' | 'removed';

export class SimReader {
  readonly name = 'Simulated reader 0';
  #card: VirtualMyNumberCard | null = null;
  /** Bumped on every insert and remove, so sessions from an earlier insertion are recognisably dead. */
  #generation = 0;
  #busy = false;
  readonly #listeners: Record<ReaderEvent, Set<() => void>> = { inserted: new Set(), removed: new Set() };

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
    const card = this.#card;
    if (!card) throw new NoCardError(this.name);
    const generation = this.#generation;
    const atr = Buffer.from(card.atr);
    return {
      atr,
      transmit: (command) => this.#transmit(card, generation, command),
    };
  }

  /** Listens for card insertion or removal; returns the function that stops listening. */
  on(event: ReaderEvent, listener: () => void): () => void {
    this.#listeners[event].add(listener);
    return () => {
      this.#listeners[event].delete(listener);
    };
  }

  #emit(event: ReaderEvent): void {
    for (const listener of [...this.#listeners[event]]) listener();
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
      } catch (error) {
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
