// A real PC/SC reader through pcscd, with the `pcsclite` package: the same adapter shape as SimReader, so the
// kiosk and the JPKI client do not know which one they drive. Readers may appear and disappear, cards come and
// go, pcscd may restart; a card pulled mid-exchange is a CardRemovedError, as with the sim reader.
import { createRequire } from 'node:module';
import { CommandApdu, ResponseApdu } from './apdu.ts';
import { ReaderClosedError, ReaderListeners, type ApduObserver, type CardReader, type ExchangeListener, type ReaderEvent } from './reader.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from './session.ts';

/** The part of the pcsclite binding used here. */
interface PcscliteReader {
  name: string;
  state: number;
  connected: boolean;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_EMPTY: number;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', cb: (status: { state: number; atr?: Buffer }) => void): void;
  on(event: 'end' | 'error', cb: (err?: Error) => void): void;
  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null, data: Buffer) => void): void;
  close(): void;
}
interface PcscliteContext {
  on(event: 'reader', cb: (reader: PcscliteReader) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  close(): void;
}

export class PcscUnavailableError extends Error {
  constructor(detail: string) {
    super(`The PC/SC reader is not available: ${detail}. Install pcscd and its headers, then rebuild the binding: ` +
      'apt-get install pcscd libpcsclite-dev && npm rebuild pcsclite');
    this.name = 'PcscUnavailableError';
  }
}

/** pcscd does not answer (SCardEstablishContext failed): the binding is there, the daemon is not. */
export class PcscdNotRunningError extends Error {
  override readonly name = 'PcscdNotRunningError';
  constructor(detail: string) {
    super(`pcscd is not running or not reachable (${detail}); start it with \`pcscd --foreground &\` or \`systemctl start pcscd\`, then try again`);
  }
}

export class NoPcscReaderError extends Error {
  constructor(wanted: string | undefined, seen: string[]) {
    super(`No PC/SC reader${wanted ? ` named like "${wanted}"` : ''} appeared (readers seen: ${seen.join(', ') || 'none'}). ` +
      'Plug the reader in, check `pcsc_scan`, or name one with --reader pcsc:NAME.');
    this.name = 'NoPcscReaderError';
  }
}

const require = createRequire(import.meta.url);

function loadBinding(): () => PcscliteContext {
  try {
    return require('pcsclite') as () => PcscliteContext;
  } catch (e) {
    throw new PcscUnavailableError(`the pcsclite module did not load (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Errors pcsc-lite gives when the card left or was reset under us (SCARD_W_REMOVED_CARD, SCARD_W_RESET_CARD…). */
const REMOVED = /0x80100069|0x80100068|0x8010000C|removed|no smart card/i;

/** Size of the receive buffer: a 65536-byte extended answer plus its status word. */
const RECEIVE_BUFFER = 65538;

/** GET RESPONSE commands after one command at most: 256 pieces of 256 bytes are the largest answer (65536 bytes). */
const MAX_GET_RESPONSES = 256;

export interface PcscReaderOptions {
  /** A substring of the reader name; the first reader when omitted. */
  name?: string;
  /** How long start() waits for a matching reader. */
  waitMs?: number;
  log?: (line: string) => void;
}

export class PcscReader implements CardReader {
  #context: PcscliteContext | null = null;
  #reader: PcscliteReader | null = null;
  #protocol: number | null = null;
  #present = false;
  #atr: Buffer | null = null;
  #generation = 0;
  #busy = false;
  #closed = false;
  readonly #seen = new Set<string>();
  /** Readers that did not match the name: closed with the context, or their status threads keep node alive. */
  readonly #ignored: PcscliteReader[] = [];
  readonly #listeners = new ReaderListeners();
  readonly #options: PcscReaderOptions;

  constructor(options: PcscReaderOptions = {}) {
    this.#options = options;
  }

  get name(): string {
    return this.#reader?.name ?? this.#options.name ?? 'PC/SC';
  }

  get cardPresent(): boolean {
    return this.#present;
  }

  /** The transmission protocol pcscd chose for the card ('T=0', 'T=1', 'raw'), once a session has exchanged; else null. */
  get protocol(): string | null {
    const reader = this.#reader;
    if (this.#protocol === null || !reader) return null;
    return this.#protocol === reader.SCARD_PROTOCOL_T0 ? 'T=0' : this.#protocol === reader.SCARD_PROTOCOL_T1 ? 'T=1' : 'raw';
  }

  get atr(): Buffer | null {
    return this.#atr;
  }

  /** Opens pcscd and waits until a matching reader is there. */
  async open(): Promise<this> {
    this.#closed = false;
    const create = loadBinding();
    const found = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new NoPcscReaderError(this.#options.name, [...this.#seen])), this.#options.waitMs ?? 5000);
      try {
        this.#open(create, () => {
          clearTimeout(timer);
          resolve();
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
    await found;
    return this;
  }

  close(): void {
    this.#closed = true;
    const reader = this.#reader;
    this.#reader = null;
    if (reader?.connected) reader.disconnect(reader.SCARD_LEAVE_CARD, () => reader.close());
    else reader?.close();
    for (const r of this.#ignored.splice(0)) r.close();
    this.#context?.close();
    this.#context = null;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.#listeners.on(event, listener);
  }

  onApdu(observer: ApduObserver): () => void {
    return this.#listeners.onApdu(observer);
  }

  onExchange(listener: ExchangeListener): () => void {
    return this.#listeners.onExchange(listener);
  }

  /** A session on the card now in the reader; it dies when that card leaves. */
  connect(): CardSession {
    if (this.#closed) throw new ReaderClosedError(this.name);
    const generation = this.#generation;
    const atr = Buffer.from(this.#atr ?? []);
    return {
      atr,
      transmit: async (command) => {
        await this.#listeners.sending(command);
        return this.#listeners.exchange(command, () => this.#transmit(generation, command));
      },
    };
  }

  /** pcscd went away: try again each second until it is back (or the reader is closed), never crashing meanwhile. */
  #reopenLater(create: () => PcscliteContext): void {
    setTimeout(() => {
      if (this.#closed) return;
      try {
        this.#open(create, () => undefined);
      } catch (e) {
        this.#options.log?.(`pcscd: ${(e as Error).message}`);
        this.#reopenLater(create);
      }
    }, 1000).unref();
  }

  /** Opens a context on pcscd; PcscdNotRunningError when pcscd does not answer (the binding throws at once then). */
  #open(create: () => PcscliteContext, onReader: () => void): void {
    let context: PcscliteContext;
    try {
      context = create();
    } catch (e) {
      throw new PcscdNotRunningError((e as Error).message ?? String(e));
    }
    this.#context = context;
    context.on('error', (err) => {
      // pcscd stopped or restarted: forget the reader and open a new context shortly.
      this.#options.log?.(`pcscd: ${err.message}`);
      if (this.#present) this.#cardGone();
      this.#reader = null;
      try {
        context.close();
      } catch { /* already closed */ }
      if (!this.#closed) this.#reopenLater(create);
    });
    context.on('reader', (reader) => {
      this.#seen.add(reader.name);
      // An EventEmitter without an 'error' listener throws; pcscd going away errors every reader.
      reader.on('error', (err) => this.#options.log?.(`reader error (${reader.name}): ${err?.message}`));
      if (this.#reader || (this.#options.name && !reader.name.includes(this.#options.name))) {
        this.#ignored.push(reader);
        return;
      }
      this.#reader = reader;
      this.#options.log?.(`reader: ${reader.name}`);
      reader.on('end', () => {
        if (this.#reader !== reader) return;
        this.#options.log?.(`reader gone: ${reader.name}`);
        if (this.#present) this.#cardGone();
        this.#reader = null;
      });
      let first = true;
      reader.on('status', (status) => {
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        if (first) {
          // start() resolves once the reader's first state is known, so cardPresent is true from the outset.
          first = false;
          this.#present = present;
          this.#atr = present ? status.atr ?? null : null;
          this.#generation += 1;
          onReader();
          // After pcscd restarted, a card already in the reader is news to anyone waiting for one.
          if (present) this.#emit('inserted');
          return;
        }
        if (present && !this.#present) {
          this.#present = true;
          this.#atr = status.atr ?? null;
          this.#generation += 1;
          this.#emit('inserted');
        } else if (!present && this.#present) {
          this.#cardGone();
        }
      });
    });
  }

  #cardGone(): void {
    this.#present = false;
    this.#atr = null;
    this.#protocol = null;
    this.#generation += 1;
    const reader = this.#reader;
    if (reader?.connected) reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
    this.#emit('removed');
  }

  #goneWithin(generation: number, ms: number): Promise<boolean> {
    if (generation !== this.#generation) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, ms);
      const off = this.on('removed', () => {
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  #emit(event: ReaderEvent): void {
    this.#listeners.emit(event);
  }

  async #ensureConnected(reader: PcscliteReader): Promise<number> {
    if (reader.connected && this.#protocol !== null) return this.#protocol;
    // Shared mode: OpenSC, pcsc_scan and a vendor's own tools may use the reader beside the kiosk.
    this.#protocol = await new Promise<number>((resolve, reject) => {
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 }, (err, protocol) =>
        err ? reject(REMOVED.test(err.message) ? new CardRemovedError() : err) : resolve(protocol));
    });
    return this.#protocol;
  }

  #raw(reader: PcscliteReader, protocol: number, bytes: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      reader.transmit(bytes, RECEIVE_BUFFER, protocol, (err, data) => (err ? reject(err) : resolve(data)));
    });
  }

  async #transmit(generation: number, command: CommandApdu): Promise<ResponseApdu> {
    const reader = this.#reader;
    if (!reader || !this.#present || generation !== this.#generation) throw new CardRemovedError();
    if (this.#busy) throw new CardCommunicationError(command.name, null, 'the reader is busy with another command');
    this.#busy = true;
    try {
      const protocol = await this.#ensureConnected(reader);
      let response = ResponseApdu.from(await this.#raw(reader, protocol, command.toBytes()));
      // 6Cxx: wrong Le, the card says how many bytes it has; send the same command again with that Le.
      if (response.sw1 === 0x6c) {
        const again = new CommandApdu({ cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2, data: command.data, le: response.sw2 || 256 });
        response = ResponseApdu.from(await this.#raw(reader, protocol, again.toBytes()));
      }
      // 61xx: more data waits; GET RESPONSE until the card is done (T=0 readers do this), but not forever: a card
      // that still says 61xx after the largest answer there is (65536 bytes in 256-byte pieces) is stuck.
      let data = Buffer.from(response.data);
      for (let rounds = 0; response.sw1 === 0x61; rounds += 1) {
        if (rounds === MAX_GET_RESPONSES) {
          throw new CardCommunicationError(command.name, response.toBytes(), `the card still answered 61xx (more data) after ${MAX_GET_RESPONSES} GET RESPONSE commands`);
        }
        const get = new CommandApdu({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: response.sw2 || 256 });
        response = ResponseApdu.from(await this.#raw(reader, protocol, get.toBytes()));
        data = Buffer.concat([data, response.data]);
      }
      return new ResponseApdu(data, response.sw1, response.sw2);
    } catch (e) {
      if (e instanceof CardRemovedError || e instanceof CardCommunicationError) throw e;
      const message = (e as Error).message ?? String(e);
      // A card pulled mid-exchange can fail the transmit before pcscd's next poll (400 ms) reports it gone.
      if (REMOVED.test(message) || generation !== this.#generation || (await this.#goneWithin(generation, 1000))) throw new CardRemovedError();
      throw new CardCommunicationError(command.name, null, message, { cause: e });
    } finally {
      this.#busy = false;
    }
  }
}
