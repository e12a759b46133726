// Puts a VirtualMyNumberCard into pcscd through vsmartcard's vpcd driver, so that any PC/SC program (the kiosk's
// pcsc reader, OpenSC, pcsc_scan) sees it in "Virtual PCD 00 0N". Wire protocol (spec/my-number-card.md §7):
// vpcd listens on 35963 + slot; the card connects; every message both ways is a 2-byte big-endian length and that
// many bytes. One byte from vpcd is a control (00 power off, 01 power on, 02 reset: no reply; 04 get ATR: reply the
// ATR); anything longer is a C-APDU, answered with the R-APDU. Closing the socket is "card removed".
import { createRequire } from 'node:module';
import { Socket, connect } from 'node:net';
import type { VirtualMyNumberCard } from './virtual-card.ts';
import type { ExchangeListener } from './reader.ts';

/** What the bridge needs of a card: its ATR, its power, and an answer to each command (VirtualMyNumberCard, RecordedCard). */
export interface ContactCard {
  readonly atr: Buffer;
  readonly powered: boolean;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  transmit(command: Uint8Array): Uint8Array;
}

/**
 * Linux's TCP_QUICKACK through our small addon (native/tcp-quickack), or null where it was not built. Debian's vpcd
 * sends each message in two writes (the length, then the bytes), and Nagle holds the second until the first is
 * acknowledged: with Linux's delayed acknowledgement that is about 40 ms per APDU. Acknowledging at once, re-armed
 * after every read (the kernel leaves quick-ack mode on its own), makes a round trip well under a millisecond.
 */
const setQuickAck: ((fd: number) => boolean) | null = (() => {
  try {
    return (createRequire(import.meta.url)('tcp-quickack') as { setQuickAck: ((fd: number) => boolean) | null }).setQuickAck;
  } catch {
    return null;
  }
})();

/** Whether the bridge acknowledges vpcd's segments at once ('quick-ack') or as the kernel chooses ('delayed'). */
export const VPCD_ACK_MODE: 'quick-ack' | 'delayed' = setQuickAck ? 'quick-ack' : 'delayed';

/** The socket's descriptor (libuv's TCP handle has it on Unix), or -1. */
const fdOf = (socket: Socket): number => (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;

export const VPCD_BASE_PORT = 35963;

const CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const;

export class VpcdUnavailableError extends Error {
  constructor(port: number, cause: string) {
    super(`Cannot reach pcscd's vpcd driver on 127.0.0.1:${port} (${cause}). Is pcscd running with vsmartcard-vpcd installed? ` +
      'Install: apt-get install pcscd vsmartcard-vpcd; start: pcscd --foreground (or systemctl start pcscd).');
    this.name = 'VpcdUnavailableError';
  }
}

export interface VpcdBridgeOptions {
  slot?: 0 | 1;
  host?: string;
  /** Called with one line per exchange (command header and status word only: never APDU data, which may hold a PIN). */
  log?: (line: string) => void;
  /** Acknowledge vpcd's segments at once when the addon is there (default); false measures the plain path. */
  quickAck?: boolean;
  /** Hears every exchange on the card's side (`kiosk card serve --trace`). */
  onExchange?: ExchangeListener;
}

/** Frames a 2-byte length + payload as one buffer: one write per message (Debian's vpcd 3.3 uses two). */
export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Splits a byte stream into vpcd messages; keeps any partial message for the next chunk. */
export class FrameReader {
  #buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const messages: Buffer[] = [];
    while (this.#buffer.length >= 2) {
      const length = this.#buffer.readUInt16BE(0);
      if (this.#buffer.length < 2 + length) break;
      messages.push(this.#buffer.subarray(2, 2 + length));
      this.#buffer = this.#buffer.subarray(2 + length);
    }
    return messages;
  }
}

export class VpcdBridge<C extends ContactCard = VirtualMyNumberCard> {
  readonly port: number;
  readonly #host: string;
  readonly #log?: (line: string) => void;
  readonly #quickAck: ((fd: number) => boolean) | null;
  readonly #onExchange?: ExchangeListener;
  #socket: Socket | null = null;
  #card: C | null = null;
  exchanges = 0;

  constructor(options: VpcdBridgeOptions = {}) {
    this.port = VPCD_BASE_PORT + (options.slot ?? 0);
    this.#host = options.host ?? '127.0.0.1';
    this.#log = options.log;
    this.#quickAck = options.quickAck === false ? null : setQuickAck;
    this.#onExchange = options.onExchange;
  }

  /** How this bridge acknowledges vpcd's segments. */
  get ackMode(): 'quick-ack' | 'delayed' {
    return this.#quickAck ? 'quick-ack' : 'delayed';
  }

  get inserted(): boolean {
    return this.#socket !== null;
  }

  get card(): C | null {
    return this.#card;
  }

  /** Places the card in the virtual reader: connects to vpcd, which then powers it and asks for its ATR. */
  insert(card: C): Promise<void> {
    if (this.#socket) this.remove();
    this.#card = card;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.#host, port: this.port });
      socket.setNoDelay(true);
      const frames = new FrameReader();
      const quickAck = this.#quickAck;
      const rearm = quickAck ? () => quickAck(fdOf(socket)) : () => false;
      socket.once('connect', () => {
        rearm();
        this.#socket = socket;
        resolve();
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        if (this.#socket !== socket) reject(new VpcdUnavailableError(this.port, e.code ?? e.message));
        else this.#log?.(`vpcd connection error: ${e.code ?? e.message}`);
      });
      socket.on('close', () => {
        if (this.#socket === socket) {
          this.#socket = null;
          this.#log?.('vpcd closed the connection (card ejected)');
        }
      });
      socket.on('data', (chunk: Buffer) => {
        rearm();
        for (const message of frames.push(chunk)) this.#answer(socket, message);
      });
    });
  }

  /** Takes the card out: closing the connection is what vpcd reports as "card absent". */
  remove(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#card?.powerOff();
    socket?.destroy();
  }

  #answer(socket: Socket, message: Buffer): void {
    const card = this.#card;
    if (!card) return;
    if (message.length === 1) {
      switch (message[0]) {
        case CONTROL.powerOff: card.powerOff(); return;
        case CONTROL.powerOn: card.powerOn(); return;
        case CONTROL.reset: card.reset(); return;
        case CONTROL.getAtr:
          socket.write(frame(card.atr));
          return;
        default:
          this.#log?.(`unknown vpcd control byte ${message[0].toString(16)}`);
          return;
      }
    }
    let response: Uint8Array;
    const at = new Date();
    const started = performance.now();
    try {
      if (!card.powered) card.powerOn();
      response = card.transmit(message);
      this.#onExchange?.({ at, command: Buffer.from(message), response: Buffer.from(response), ms: performance.now() - started });
    } catch (e) {
      this.#onExchange?.({ at, command: Buffer.from(message), response: null, ms: performance.now() - started, error: (e as Error).name });
      // A mute card: vpcd would wait forever for an answer, so the card leaves the reader instead.
      this.#log?.(`card did not answer (${(e as Error).name}); ejecting`);
      this.remove();
      return;
    }
    this.exchanges += 1;
    const sw = Buffer.from(response.subarray(-2)).toString('hex').toUpperCase();
    this.#log?.(`APDU ${Buffer.from(message.subarray(0, 4)).toString('hex').toUpperCase()} → ${response.length - 2} bytes ${sw}`);
    socket.write(frame(response));
  }
}
