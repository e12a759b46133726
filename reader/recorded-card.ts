// A card that answers as a recorded one did (`kiosk card serve --from-trace TRACE`): each command is looked up in the
// trace, from where the last answer was found onwards (then from the start), and the recorded answer given. A command
// whose PIN data the trace masked matches any data of the same length; a recorded "no answer" makes the card mute; a
// command the trace never saw gets 6F 00 (no precise diagnosis) and is counted, so a vendor sees what their program
// asked that the recorded session did not.
import { atrChecksumOk, CardMuteError, MY_NUMBER_CARD_ATR } from './virtual-card.ts';
import type { TraceEntry } from './trace.ts';

export class RecordedCard {
  readonly atr: Buffer;
  #powered = false;
  #next = 0;
  /** Commands the trace had no answer for, as hex (masked as the trace would write them). */
  readonly unknown: string[] = [];

  constructor(readonly entries: readonly TraceEntry[], atr: Buffer = MY_NUMBER_CARD_ATR) {
    if (!atrChecksumOk(atr)) throw new RangeError(`the ATR ${atr.toString('hex').toUpperCase()} is not well formed (ISO 7816-3)`);
    this.atr = atr;
  }

  get powered(): boolean {
    return this.#powered;
  }

  powerOn(): void {
    this.#powered = true;
  }

  powerOff(): void {
    this.#powered = false;
  }

  /** A reset starts the recorded session over. */
  reset(): void {
    this.#powered = true;
    this.#next = 0;
  }

  transmit(command: Uint8Array): Uint8Array {
    const hex = Buffer.from(command).toString('hex').toUpperCase();
    const matches = (e: TraceEntry) => e.command === hex || (e.command.includes('*') && e.command.length === hex.length
      && [...e.command].every((c, i) => c === '*' || c === hex[i]));
    let i = this.entries.findIndex((e, k) => k >= this.#next && matches(e));
    if (i < 0) i = this.entries.findIndex(matches);
    if (i < 0) {
      this.unknown.push(hex);
      return Buffer.from('6F00', 'hex');
    }
    this.#next = i + 1;
    const e = this.entries[i]!;
    if (e.sw === null) throw new CardMuteError();
    return Buffer.from(`${e.response ?? ''}${e.sw}`, 'hex');
  }
}
