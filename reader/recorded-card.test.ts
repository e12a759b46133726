// A card served from a trace answers as the recorded one did: an independent client (our JpkiClient) reads the same
// token, certificate and tries left from it; a masked VERIFY answers as recorded for any PIN of that length; a command
// the trace never saw gets 6F 00 and is counted; a recorded card that went mute goes mute again.
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../samples/sample-data.ts';
import { ResponseApdu, type CommandApdu } from './apdu.ts';
import { JpkiClient } from './jpki-client.ts';
import { RecordedCard } from './recorded-card.ts';
import { SimReader } from './sim-reader.ts';
import { entryOf, type TraceEntry } from './trace.ts';
import { CardMuteError } from './virtual-card.ts';

const data = loadSampleData();
const session = (card: RecordedCard) => ({ atr: card.atr, transmit: async (c: CommandApdu) => ResponseApdu.from(card.transmit(c.toBytes())) });

describe('RecordedCard', () => {
  it('answers a client as the recorded card did, PIN data masked, unknown commands counted', async () => {
    const reader = new SimReader();
    reader.insert(data.makeCard('kawasaki-taro', Date.parse('2026-11-24T10:00:00+09:00')));
    const entries: TraceEntry[] = [];
    reader.onExchange((e) => entries.push(entryOf(e, reader.name)));
    const live = new JpkiClient(reader.connect());
    const token = await live.readToken();
    const certificate = await live.readAuthCertificate();
    const wrong = await live.verifyAuthPin('0000');
    expect(entries.some((e) => e.command.includes('**'))).toBe(true);

    const card = new RecordedCard(entries);
    card.powerOn();
    const replayed = new JpkiClient(session(card));
    expect(await replayed.readToken()).toBe(token);
    expect(Buffer.compare(await replayed.readAuthCertificate(), certificate)).toBe(0);
    expect(await replayed.verifyAuthPin('9999')).toEqual(wrong);
    expect(card.unknown).toEqual([]);
    expect(Buffer.from(card.transmit(Buffer.from('80CA9F7F00', 'hex'))).toString('hex')).toBe('6f00');
    expect(card.unknown).toEqual(['80CA9F7F00']);
  });

  it('goes mute where the recorded card gave no answer, and refuses a malformed ATR', () => {
    const card = new RecordedCard([{ at: '', reader: 'r', command: '00B0000000', response: null, sw: null, ms: 1, error: 'CardMuteError' }]);
    expect(() => card.transmit(Buffer.from('00B0000000', 'hex'))).toThrow(CardMuteError);
    expect(() => new RecordedCard([], Buffer.from('3B00FF', 'hex'))).toThrow(/not well formed/);
  });
});
