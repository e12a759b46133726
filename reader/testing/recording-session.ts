// A session wrapper for client tests: records every command as hex, to assert the exact APDUs a client sends.
import type { CommandApdu, ResponseApdu } from '../apdu.ts';
import type { CardSession } from '../session.ts';

export const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

export class RecordingSession implements CardSession {
  readonly sent: string[] = [];
  constructor(private readonly inner: CardSession) {}
  get atr(): Buffer {
    return this.inner.atr;
  }
  transmit(command: CommandApdu): Promise<ResponseApdu> {
    this.sent.push(hexOf(command.toBytes()));
    return this.inner.transmit(command);
  }
}
