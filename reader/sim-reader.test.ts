import { beforeEach, describe, expect, it } from 'vitest';
import { CommandApdu } from './apdu.ts';
import { CardCommunicationError, CardRemovedError } from './session.ts';
import { NoCardError, ReaderBusyError, ReaderOccupiedError, SimReader } from './sim-reader.ts';
import { CardMuteError, MY_NUMBER_CARD_ATR, VirtualMyNumberCard } from './virtual-card.ts';

const PIN = '3816';
const SELECT_AP = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: Buffer.from('D392F000260100000001', 'hex') });
const SELECT_PIN = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Buffer.from('0018', 'hex') });
const verify = (pin: string): CommandApdu => new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: Buffer.from(pin, 'ascii') });

let reader: SimReader;
let card: VirtualMyNumberCard;

beforeEach(() => {
  reader = new SimReader();
  card = new VirtualMyNumberCard({ kind: 'my-number-card', pin: PIN });
});

describe('SimReader', () => {
  it('starts empty and refuses to connect with NoCardError', () => {
    expect(reader.name).toBe('Simulated reader 0');
    expect(reader.cardPresent).toBe(false);
    expect(() => reader.connect()).toThrow(NoCardError);
    expect(() => reader.connect()).toThrow(/ask the person to place their card/);
  });

  it('powers the card on at insertion and exposes its ATR on the session', async () => {
    expect(card.powered).toBe(false);
    reader.insert(card);
    expect(card.powered).toBe(true);
    expect(reader.cardPresent).toBe(true);
    const session = reader.connect();
    expect(session.atr).toEqual(MY_NUMBER_CARD_ATR);
    expect((await session.transmit(SELECT_AP)).sw).toBe(0x9000);
  });

  it('tells listeners about insertion and removal until they unsubscribe', () => {
    const seen: string[] = [];
    const stopInserted = reader.on('inserted', () => seen.push('inserted'));
    reader.on('removed', () => seen.push('removed'));
    reader.insert(card);
    reader.remove();
    stopInserted();
    reader.insert(card);
    reader.remove();
    expect(seen).toEqual(['inserted', 'removed', 'removed']);
  });

  it('refuses a second card and ignores remove on an empty reader', () => {
    reader.insert(card);
    expect(() => reader.insert(new VirtualMyNumberCard({ kind: 'city-card' }))).toThrow(ReaderOccupiedError);
    expect(reader.remove()).toBe(card);
    expect(card.powered).toBe(false);
    expect(reader.remove()).toBeNull();
  });

  it('answers asynchronously, never within the calling tick', async () => {
    reader.insert(card);
    let settled = false;
    const pending = reader.connect().transmit(SELECT_AP).then(() => (settled = true));
    expect(settled).toBe(false);
    await pending;
    expect(settled).toBe(true);
  });

  it('rejects a transmit after removal with CardRemovedError', async () => {
    reader.insert(card);
    const session = reader.connect();
    reader.remove();
    await expect(session.transmit(SELECT_AP)).rejects.toThrow(CardRemovedError);
    await expect(session.transmit(SELECT_AP)).rejects.toThrow('the card was removed from the reader; ask the person to place it again');
  });

  it('keeps a session dead after the same card is re-inserted; a new session works', async () => {
    reader.insert(card);
    const old = reader.connect();
    await old.transmit(SELECT_AP);
    reader.remove();
    reader.insert(card);
    await expect(old.transmit(SELECT_AP)).rejects.toThrow(CardRemovedError);
    expect((await reader.connect().transmit(SELECT_AP)).sw).toBe(0x9000);
  });

  it('a card pulled out mid-exchange never receives the command', async () => {
    reader.insert(card);
    const session = reader.connect();
    await session.transmit(SELECT_AP);
    await session.transmit(SELECT_PIN);
    const pending = session.transmit(verify('0000'));
    reader.remove();
    await expect(pending).rejects.toThrow(CardRemovedError);
    expect(card.triesLeft).toBe(3);
  });

  it('the PIN state does not survive removal', async () => {
    reader.insert(card);
    let session = reader.connect();
    await session.transmit(SELECT_AP);
    await session.transmit(SELECT_PIN);
    expect((await session.transmit(verify(PIN))).sw).toBe(0x9000);
    reader.remove();
    reader.insert(card);
    expect(card.pinVerified).toBe(false);
    session = reader.connect();
    expect((await session.transmit(SELECT_PIN)).sw).toBe(0x6a82); // the AP is no longer selected either
  });

  it('exchanges one APDU at a time: a concurrent transmit rejects with ReaderBusyError', async () => {
    reader.insert(card);
    const a = reader.connect();
    const b = reader.connect();
    // All three are sent within one tick, while the first is still in flight.
    const [first, fromOther, fromSame] = await Promise.allSettled([a.transmit(SELECT_AP), b.transmit(SELECT_AP), a.transmit(SELECT_AP)]);
    expect(first.status === 'fulfilled' && first.value.sw).toBe(0x9000);
    expect(fromOther.status === 'rejected' && fromOther.reason).toBeInstanceOf(ReaderBusyError);
    expect(fromSame.status === 'rejected' && fromSame.reason).toBeInstanceOf(ReaderBusyError);
    expect((await b.transmit(SELECT_AP)).sw).toBe(0x9000); // free again
  });

  it('turns a garbled answer into CardCommunicationError naming the command and the bytes, never the PIN', async () => {
    reader.insert(card);
    const session = reader.connect();
    await session.transmit(SELECT_AP);
    await session.transmit(SELECT_PIN);
    card.failNext('garbled');
    const error = await session.transmit(verify(PIN)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardCommunicationError);
    const comm = error as CardCommunicationError;
    expect(comm.response).toEqual(Buffer.from([0x90]));
    expect(comm.command).toBe('VERIFY (00 20 00 80, 4 data bytes)');
    expect(comm.message).toContain('VERIFY (00 20 00 80, 4 data bytes) got 1 byte(s) 90');
    expect(comm.message).not.toContain(PIN);
    expect(comm.message).not.toMatch(/33 ?38 ?31 ?36/);
    expect(card.pinVerified).toBe(true); // the card did run it: the loss was on the way back
  });

  it('turns a mute card into CardCommunicationError with no response', async () => {
    reader.insert(card);
    const session = reader.connect();
    card.failNext('mute');
    const error = (await session.transmit(SELECT_AP).catch((e: unknown) => e)) as CardCommunicationError;
    expect(error).toBeInstanceOf(CardCommunicationError);
    expect(error.response).toBeNull();
    expect(error.cause).toBeInstanceOf(CardMuteError);
    expect(error.message).toMatch(/got no answer/);
    expect((await session.transmit(SELECT_AP)).sw).toBe(0x9000); // the reader is not left busy
  });
});
