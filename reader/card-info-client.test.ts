import { beforeEach, describe, expect, it } from 'vitest';
import { ResponseApdu } from './apdu.ts';
import { BerTlvError, CardDataFormatError, CardInfoClient, parseBerTlvHeader, parseBerTlvs } from './card-info-client.ts';
import { CardStatusError, InvalidPinFormatError, PinRequiredError } from './ap-channel.ts';
import type { CardSession } from './session.ts';
import { SimReader } from './sim-reader.ts';
import { VirtualMyNumberCard, type CardInfoOptions } from './virtual-card.ts';
import { RecordingSession, hexOf } from './testing/recording-session.ts';

const INFO_PIN = '2486';
const MY_NUMBER = '123456789018';
/** 150 bytes of UTF-8: its DF 23 length needs the long form 81 96. */
const ADDRESS_150 = '北海道札幌市中央区北一条西2丁目1番地1 サッポロファクトリーレジデンス東棟10号室（株式会社コンビニ気付）';
const RARE_NAME = '髙﨑 𠮷子';

const SELECT_INFO_AP = '00A4040C0AD3921000310001010408';


/** A card that answers SELECT and VERIFY with 9000 and READ BINARY from `ef`, clamped like the real card. */
function scriptedEf(ef: Buffer): CardSession {
  return {
    atr: Buffer.alloc(0),
    transmit: async (command) => {
      const bytes = command.toBytes();
      if (bytes[1] !== 0xb0) return ResponseApdu.status(0x9000);
      const offset = (command.p1 << 8) | command.p2;
      if (offset >= ef.length) return ResponseApdu.status(0x6b00);
      return ResponseApdu.status(0x9000, ef.subarray(offset, offset + (command.le ?? 0)));
    },
  };
}

const CARD_INFO: CardInfoOptions = {
  pin: INFO_PIN,
  myNumber: MY_NUMBER,
  name: RARE_NAME,
  address: ADDRESS_150,
  birthDate: '1979-11-23',
  sex: 'female',
};

let reader: SimReader;
let card: VirtualMyNumberCard;
let session: RecordingSession;
let client: CardInfoClient;

function setUp(cardInfo: Partial<CardInfoOptions> | null = {}, blockedStatus: '63C0' | '6983' = '63C0'): void {
  reader = new SimReader();
  card = new VirtualMyNumberCard({ kind: 'my-number-card', pin: '4629', blockedStatus, ...(cardInfo ? { cardInfo: { ...CARD_INFO, ...cardInfo } } : {}) });
  reader.insert(card);
  session = new RecordingSession(reader.connect());
  client = new CardInfoClient(session);
}

beforeEach(() => setUp());

describe('PIN of EF 0011', () => {
  it('reads the tries left with 00 20 00 80 after selecting the AP and EF 0011', async () => {
    expect(await client.triesLeft()).toBe(3);
    expect(session.sent).toEqual([SELECT_INFO_AP, '00A4020C020011', '00200080']);
  });

  it('verifies with 00 20 00 80 04 <ASCII>, counts wrong tries, and reports locked', async () => {
    expect(await client.verify('0000')).toEqual({ result: 'wrong', triesLeft: 2 });
    expect(await client.triesLeft()).toBe(2);
    expect(await client.verify(INFO_PIN)).toEqual({ result: 'ok' });
    expect(session.sent.at(-1)).toBe('0020008004' + Buffer.from(INFO_PIN).toString('hex').toUpperCase());
    expect(card.cardInfoPinVerified).toBe(true);
    await client.verify('0000');
    await client.verify('1111');
    expect(await client.verify('2222')).toEqual({ result: 'locked' });
    expect(await client.triesLeft()).toBe(0);
  });

  it('maps a 6983 card to locked', async () => {
    setUp({ triesLeft: 0 }, '6983');
    expect(await client.triesLeft()).toBe(0);
    expect(await client.verify(INFO_PIN)).toEqual({ result: 'locked' });
  });

  it.each([['123'], ['12345'], ['abcd'], ['１２３４'], ['']])('refuses %j before sending any APDU', async (bad) => {
    const error = await client.verify(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPinFormatError);
    expect((error as InvalidPinFormatError).pin).toBe('card-info');
    expect((error as Error).message).toMatch(/card-info PIN .* must be exactly 4 digits \(0–9\); nothing was sent/);
    expect(session.sent).toEqual([]);
  });

  it('raises CardStatusError when the card has no 券面事項入力補助AP', async () => {
    setUp(null);
    const error = await client.triesLeft().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardStatusError);
    expect(error).toMatchObject({ command: 'SELECT card-info AP (券面事項入力補助AP)', sw: 0x6a82 });
  });
});

describe('readMyNumber', () => {
  it('needs the PIN: PinRequiredError on 6982', async () => {
    const error = (await client.readMyNumber().catch((e: unknown) => e)) as PinRequiredError;
    expect(error).toBeInstanceOf(PinRequiredError);
    expect([error.command, error.pin, error.sw]).toEqual(['READ BINARY EF 0001', 'card-info', 0x6982]);
    expect(error.message).toContain('READ BINARY EF 0001 needs the card-info PIN (券面事項入力補助用暗証番号) verified first: the card answered 6982');
  });

  it('returns the 12 digits after verify, reading 17 bytes as the public clients do', async () => {
    await client.verify(INFO_PIN);
    expect(await client.readMyNumber()).toBe(MY_NUMBER);
    expect(session.sent.slice(-2)).toEqual(['00A4020C020001', '00B0000011']);
    // The AP was selected once, before the VERIFY: a re-select would have dropped the PIN.
    expect(session.sent.filter((c) => c === SELECT_INFO_AP)).toHaveLength(1);
  });

  it('reads the spec trace bytes FF 10 0C 30…31 FF FF as 012345678901', async () => {
    const scripted = new CardInfoClient(scriptedEf(Buffer.from('FF100C303132333435363738393031FFFF', 'hex')));
    expect(await scripted.readMyNumber()).toBe('012345678901');
  });

  it.each([
    ['another length', 'FF100B3031323334353637383930FFFF', 'the card answered FF 10 0B where FF 10 0C (the My Number tag and a length of 12) was expected'],
    ['another tag', 'FF200C303132333435363738393031FFFF', 'the card answered FF 20 0C where FF 10 0C'],
    ['a short EF', 'FF100C3031323334', 'the card answered 8 bytes where at least 15 bytes (FF 10 0C and 12 digits) was expected'],
    ['letters', 'FF100C30313233343536373839304AFFFF', 'the card answered 12 bytes that are not all ASCII digits where 12 ASCII digits was expected'],
    ['FF where the digits are', 'FF100CFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 'not all ASCII digits'],
  ])('raises CardDataFormatError for %s, without quoting the digits', async (_, ef, message) => {
    const error = (await new CardInfoClient(scriptedEf(Buffer.from(ef, 'hex'))).readMyNumber().catch((e: unknown) => e)) as CardDataFormatError;
    expect(error).toBeInstanceOf(CardDataFormatError);
    expect(error.command).toBe('READ BINARY EF 0001');
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/30 31 32|3031|0123/);
  });
});

describe('readBasicFour', () => {
  it('needs the PIN: PinRequiredError on 6982', async () => {
    await expect(client.readBasicFour()).rejects.toMatchObject({ name: 'PinRequiredError', command: 'READ BINARY EF 0002', pin: 'card-info' });
  });

  it('round-trips a rare-kanji name and a 150-byte address (long-form length 81 96)', async () => {
    await client.verify(INFO_PIN);
    expect(await client.readBasicFour()).toEqual({ name: RARE_NAME, address: ADDRESS_150, birthDate: '1979-11-23', sex: 'female' });
    // value = DF21 11 + DF22 (3+14) + DF23 (4+150) + DF24 11 + DF25 4 = 197 = 0xC5; the EF is 5 + 197 = 202 bytes.
    expect(session.sent.slice(-3)).toEqual(['00A4020C020002', '00B0000007', `00B00007${(202 - 7).toString(16).toUpperCase()}`]);
  });

  it.each([
    ['male', 'male'],
    ['not-applicable', 'not-applicable'],
  ] as const)('reads sex %s back', async (sex, expected) => {
    setUp({ sex, name: 'Smith John', address: 'Tokyo' });
    await client.verify(INFO_PIN);
    expect((await client.readBasicFour()).sex).toBe(expected);
  });

  it('reads an EF longer than 256 bytes in ≤256-byte pieces (address of 600 bytes, length 82 02 58)', async () => {
    const address = '東京都千代田区'.padEnd(200, '丁');
    expect(Buffer.byteLength(address)).toBe(600);
    setUp({ address });
    await client.verify(INFO_PIN);
    expect((await client.readBasicFour()).address).toBe(address);
    // value = 11 + 17 + (2+3+600) + 11 + 4 = 648; EF = 653 bytes: 7, then 256, 256, 134.
    expect(session.sent.slice(-4)).toEqual(['00B0000007', '00B0000700', '00B0010700', '00B0020786']);
  });

  it('accepts the short outer form FF 20 <len> of the blog sample and items in any order', async () => {
    const value = Buffer.from('DF250131' + 'DF2408' + Buffer.from('20011231').toString('hex') + 'DF2303' + Buffer.from('大').toString('hex') + 'DF2201' + '41', 'hex');
    const ef = Buffer.concat([Buffer.from([0xff, 0x20, value.length]), value, Buffer.from('FFFFFF', 'hex')]);
    const scripted = new CardInfoClient(scriptedEf(ef));
    expect(await scripted.readBasicFour()).toEqual({ name: 'A', address: '大', birthDate: '2001-12-31', sex: 'male' });
  });

  it('accepts a non-minimal outer length such as myna’s 82 00 9F and ignores padding after the outer TLV', async () => {
    const items = 'DF2201' + '42' + 'DF2301' + '43' + 'DF2408' + Buffer.from('19991231').toString('hex') + 'DF250132';
    const value = Buffer.from(items, 'hex');
    const ef = Buffer.concat([Buffer.from([0xff, 0x20, 0x83, 0x00, 0x00, value.length]), value, Buffer.alloc(40, 0xff)]);
    expect(await new CardInfoClient(scriptedEf(ef)).readBasicFour()).toEqual({ name: 'B', address: 'C', birthDate: '1999-12-31', sex: 'female' });
  });

  const item = (tag: string, value: Buffer): string => `${tag}${value.length.toString(16).padStart(2, '0')}${value.toString('hex')}`;
  const good = {
    name: item('DF22', Buffer.from('山田太郎')),
    address: item('DF23', Buffer.from('東京都港区')),
    birth: item('DF24', Buffer.from('19800101')),
    sex: item('DF25', Buffer.from('1')),
  };
  const ef = (items: string, tag = 'FF20'): Buffer => {
    const value = Buffer.from(items, 'hex');
    return Buffer.concat([Buffer.from(`${tag}82${value.length.toString(16).padStart(4, '0')}`, 'hex'), value]);
  };

  it.each([
    ['the wrong outer tag', ef(good.name + good.address + good.birth + good.sex, 'FF21'), 'the card answered the tag FF 21 where the tag FF 20 (basic 4 information) was expected'],
    ['an indefinite length', Buffer.from('FF2080DF2201410000', 'hex'), 'indefinite length form'],
    ['a missing sex item', ef(good.name + good.address + good.birth), 'the card answered items DF 22, DF 23, DF 24 where a DF 25 item (sex) was expected'],
    ['an item longer than the value', ef(good.name + good.address + good.birth + 'DF2505' + '31'), 'a value that is not BER-TLV'],
    ['a name that is not UTF-8', ef(item('DF22', Buffer.from('8ABF', 'hex')) + good.address + good.birth + good.sex), 'a DF 22 item that is not UTF-8 where the name in UTF-8 was expected'],
    ['a birth date of 6 digits', ef(good.name + good.address + item('DF24', Buffer.from('800101')) + good.sex), 'a DF 24 item of 6 bytes that are not 8 digits where YYYYMMDD was expected'],
    ['sex code 3', ef(good.name + good.address + good.birth + item('DF25', Buffer.from('3'))), 'a DF 25 item that is not 1, 2 or 9'],
    ['an EF shorter than its outer length', ef(good.name + good.address + good.birth + good.sex).subarray(0, 30), 'the card answered 23 bytes at offset 7 where 46 bytes (the FF 20 length says the EF holds 53) was expected'],
  ])('raises CardDataFormatError for %s, without quoting the personal data', async (_, bytes, message) => {
    const error = (await new CardInfoClient(scriptedEf(bytes)).readBasicFour().catch((e: unknown) => e)) as CardDataFormatError;
    expect(error).toBeInstanceOf(CardDataFormatError);
    expect(error.command).toBe('READ BINARY EF 0002');
    expect(error.message).toContain(message);
    for (const secret of ['山田', '東京', '19800101', hexOf(Buffer.from('山田'))]) expect(error.message).not.toContain(secret);
  });
});

describe('BER-TLV parser', () => {
  it.each([
    ['FF 20 82 00 9F (myna’s test vector)', 'FF2082009F', { tag: 0xff20, headerLength: 5, length: 0x9f }],
    ['FF 10 0C (long-form tag for 16)', 'FF100C', { tag: 0xff10, headerLength: 3, length: 12 }],
    ['DF 23 81 96', 'DF238196', { tag: 0xdf23, headerLength: 4, length: 150 }],
    ['DF 23 82 01 2C', 'DF2382012C', { tag: 0xdf23, headerLength: 5, length: 300 }],
    ['30 82 06 1F (a certificate)', '3082061F', { tag: 0x30, headerLength: 4, length: 0x61f }],
    ['a 3-byte tag 5F 81 01', '5F810103', { tag: 0x5f8101, headerLength: 4, length: 3 }],
  ])('reads the header %s', (_, hex, expected) => {
    expect(parseBerTlvHeader(Buffer.from(hex, 'hex'))).toEqual(expected);
  });

  it.each([
    ['an indefinite length', '3080', /indefinite/],
    ['a 4-byte length', '308400000001', /4-byte length/],
    ['a tag cut short', 'FF', /ends at byte 1 inside the tag/],
    ['a length cut short', 'DF2382 01', /inside the length/],
    ['a 4-byte tag', 'DF818181 01', /longer than 3 bytes/],
  ])('refuses %s', (_, hex, message) => {
    expect(() => parseBerTlvHeader(Buffer.from(hex.replace(/ /g, ''), 'hex'))).toThrow(BerTlvError);
    expect(() => parseBerTlvHeader(Buffer.from(hex.replace(/ /g, ''), 'hex'))).toThrow(message);
  });

  it('splits a value into items and refuses one that runs past the end', () => {
    const items = parseBerTlvs(Buffer.from('DF220141DF23820002 4243'.replace(/ /g, ''), 'hex'));
    expect(items.map((i) => [i.tag, i.headerLength, hexOf(i.value)])).toEqual([
      [0xdf22, 3, '41'],
      [0xdf23, 5, '4243'],
    ]);
    expect(() => parseBerTlvs(Buffer.from('DF220341', 'hex'))).toThrow(/says 3 bytes but only 1 follow/);
  });
});

describe('errors never carry the PIN', () => {
  it('keeps the card-info PIN out of every error message', async () => {
    const messages: string[] = [];
    const collect = (e: unknown): void => void messages.push(String(e), (e as Error).message, JSON.stringify(e));
    await client.triesLeft();
    card.failNext('garbled');
    await client.verify(INFO_PIN).catch(collect);
    setUp(null);
    await client.verify(INFO_PIN).catch(collect);
    await client.verify(INFO_PIN + '1').catch(collect);
    expect(messages).toHaveLength(9);
    for (const message of messages) {
      expect(message).not.toContain(INFO_PIN);
      expect(message).not.toMatch(/32 ?34 ?38 ?36/);
    }
  });
});
