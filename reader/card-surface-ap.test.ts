// The 券面事項確認AP, the 照合番号 of both 券面 APs, the 入力補助AP's EF 0005 and the 住基AP, status word by status word,
// read the way myna, jpki-rs and jsapdu read them, from a sample persona's card.
import { Image } from '@napi-rs/canvas';
import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../samples/sample-data.ts';
import { openJpeg } from '../samples/faces-generate.ts';
import { decodeRsaPublicKey, matchingNumberB } from './card-info-ap.ts';
import { VirtualMyNumberCard, type CardMemory } from './virtual-card.ts';

const NOW = Date.parse('2026-11-24T10:00:00+09:00');
const SURFACE_AP = '00 A4 04 0C 0A D3921000310001010402';
const INFO_AP = '00 A4 04 0C 0A D3921000310001010408';
const JUKI_AP = '00 A4 04 0C 0A D3921000310001010100';
const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex');
const verifyWith = (value: string) => `00 20 00 80 ${value.length.toString(16).padStart(2, '0')} ${ascii(value)}`;

const data = loadSampleData();
const persona = data.persona('kawasaki-taro');

function send(card: VirtualMyNumberCard, hex: string): { sw: string; data: Buffer } {
  const r = Buffer.from(card.transmit(Buffer.from(hex.replace(/\s/g, ''), 'hex')));
  return { sw: r.subarray(-2).toString('hex').toUpperCase(), data: r.subarray(0, -2) };
}
const sw = (card: VirtualMyNumberCard, hex: string) => send(card, hex).sw;

/** myna's read_binary_all: 7 bytes, the BER length from them, then the rest in reads of at most 256. */
function readAll(card: VirtualMyNumberCard): Buffer {
  const head = send(card, '00 B0 00 00 07');
  expect(head.sw).toBe('9000');
  const lengthBytes = head.data[2]! === 0x82 ? 2 : head.data[2]! === 0x81 ? 1 : 0;
  const total = 3 + lengthBytes + (lengthBytes === 2 ? head.data.readUInt16BE(3) : lengthBytes === 1 ? head.data[3]! : head.data[2]!);
  const parts = [head.data];
  for (let at = 7; at < total;) {
    const le = Math.min(256, total - at);
    const r = send(card, `00 B0 ${(at >> 8).toString(16).padStart(2, '0')} ${(at & 0xff).toString(16).padStart(2, '0')} ${le === 256 ? '00' : le.toString(16).padStart(2, '0')}`);
    expect(r.sw).toBe('9000');
    parts.push(r.data);
    at += r.data.length;
  }
  return Buffer.concat(parts);
}

/** The TLVs inside an EF's outer TLV, as [tag, value]; two-byte tags, BER lengths. */
function items(ef: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  let at = 5;
  while (at < ef.length) {
    const tag = ef.subarray(at, at + 2).toString('hex').toUpperCase();
    let length = ef[at + 2]!;
    let start = at + 3;
    if (length === 0x81) [length, start] = [ef[at + 3]!, at + 4];
    else if (length === 0x82) [length, start] = [ef.readUInt16BE(at + 3), at + 5];
    out.push([tag, ef.subarray(start, start + length)]);
    at = start + length;
  }
  return out;
}

function freshCard(memory?: CardMemory): VirtualMyNumberCard {
  const contents = data.mintCard('kawasaki-taro', NOW);
  const card = data.assembleCard('kawasaki-taro', memory ? { ...contents, memory } : contents);
  card.powerOn();
  return card;
}

/** The card's 照合番号: the My Number from the 入力補助AP (as myna's visual.rs gets it), and B from the card's face. */
function matchingNumbers(card: VirtualMyNumberCard): { a: string; b: string } {
  expect(sw(card, INFO_AP)).toBe('9000');
  expect(sw(card, '00 A4 02 0C 02 0011')).toBe('9000');
  expect(sw(card, verifyWith(persona.card.pin!))).toBe('9000');
  expect(sw(card, '00 A4 02 0C 02 0001')).toBe('9000');
  const a = send(card, '00 B0 00 00 11').data.subarray(3, 15).toString('ascii');
  const options = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW));
  const surface = options.cardInfo!.surface!;
  return { a, b: matchingNumberB(options.cardInfo!.birthDate, surface.expires, surface.securityCode) };
}

describe('the 券面事項確認AP (D3921000310001010402)', () => {
  it('is selected by its AID; its front needs 照合番号A or B (6982 before), whose counters start at 10', () => {
    const card = freshCard();
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('6982');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(card, '00 20 00 80')).toBe('63CA');
    expect(sw(card, '00 20 00 92')).toBe('63CA'); // 照合番号B by its SFI
    expect(sw(card, '00 A4 02 0C 02 0011')).toBe('6A82'); // the birth-date PIN is not emulated
  });

  it('照合番号A opens EF 0002: myna\'s read gets the ten items of jsapdu\'s schema in order, signed by the key EF 0004 certifies', async () => {
    const card = freshCard();
    const { a } = matchingNumbers(card);
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(card, verifyWith(a))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    const ef = readAll(card);
    expect(ef.subarray(0, 3).toString('hex')).toBe('ff2082');
    const entries = items(ef);
    expect(entries.map(([tag]) => tag)).toEqual(['DF21', 'DF22', 'DF23', 'DF24', 'DF25', 'DF26', 'DF27', 'DF28', 'DF29', 'DF2A']);
    const item = Object.fromEntries(entries);
    const resident = data.registry.residents.get(persona.resident!)!;
    expect(item.DF22!.toString('ascii')).toBe(resident.birthDate.replaceAll('-', ''));
    expect(item.DF23!.toString('ascii')).toBe('1');
    expect(item.DF29!.toString('ascii')).toMatch(/^20[3-4][0-9][01][0-9][0-3][0-9]$/);
    // The header's offsets point at each item's tag, counted from the outer value.
    const header = item.DF21!;
    const value = ef.subarray(5);
    for (let i = 0; i < 9; i++) expect(value.subarray(header.readUInt16BE(i * 2), header.readUInt16BE(i * 2) + 2).toString('hex').toUpperCase()).toBe(entries[i + 1]![0]);
    // Pictures a client can show: PNGs of the name, address and security code, a JPEG 2000 face of 105 × 135.
    for (const png of [item.DF25!, item.DF26!, item.DF2A!]) {
      const image = new Image();
      image.src = png;
      expect(image.width).toBeGreaterThan(40);
      expect(image.height).toBeGreaterThan(20);
    }
    const { J2KDecoder } = await openJpeg();
    const decoder = new J2KDecoder();
    decoder.getEncodedBuffer(item.DF27!.length).set(item.DF27!);
    decoder.decode();
    expect(decoder.getFrameInfo()).toMatchObject({ width: 105, height: 135, componentCount: 3 });
    decoder.delete();
    // DF 28 verifies DF 21…DF 27 with DF 24's key, which is EF 0004's (read free, as myna reads it).
    const signed = value.subarray(0, header.readUInt16BE(6 * 2));
    const key = decodeRsaPublicKey(item.DF24!);
    expect(verify('sha256', signed, key, item.DF28!)).toBe(true);
    expect(sw(card, '00 A4 02 0C 02 0004')).toBe('9000');
    const certificate = readAll(card);
    expect(certificate.length).toBe(568);
    expect(certificate.subarray(42, 42 + item.DF24!.length)).toEqual(item.DF24);
    expect(sw(card, '00 A4 02 0C 02 0003')).toBe('9000');
    expect(readAll(card).subarray(0, 5).toString('hex')).toBe('ff4082009f');
  });

  it('照合番号B opens the front but not the My Number\'s picture (EF 0005), which 照合番号A opens', () => {
    const card = freshCard();
    const { a, b } = matchingNumbers(card);
    expect(b).toMatch(/^[0-9]{14}$/);
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0012')).toBe('9000');
    expect(sw(card, verifyWith(b))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0001')).toBe('9000');
    expect(items(readAll(card)).map(([tag]) => tag)).toEqual(['DF11', 'DF12', 'DF13']);
    expect(sw(card, '00 A4 02 0C 02 0005')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('6982');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(card, verifyWith(a))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0005')).toBe('9000');
    const ef5 = items(readAll(card));
    expect(ef5.map(([tag]) => tag)).toEqual(['DF41', 'DF42', 'DF43']);
    expect(ef5[0]![1].subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('counts wrong 照合番号 down from 10 to a lock its memory keeps; a card stored before they existed starts them full', () => {
    const writes: CardMemory[] = [];
    const contents = data.mintCard('kawasaki-taro', NOW);
    const card = data.assembleCard('kawasaki-taro', contents, (m) => writes.push(m));
    card.powerOn();
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    const answers = Array.from({ length: 11 }, () => sw(card, verifyWith('000000000000')));
    expect(answers).toEqual(['63C9', '63C8', '63C7', '63C6', '63C5', '63C4', '63C3', '63C2', '63C1', '63C0', '63C0']);
    const kept = writes.at(-1)!;
    expect(kept.surfaceA).toEqual({ secret: null, triesLeft: 0 }); // the counter only: the My Number is never kept
    expect(JSON.stringify(kept)).not.toContain(matchingNumbers(freshCard()).a);
    const again = data.assembleCard('kawasaki-taro', { ...contents, memory: kept });
    again.powerOn();
    expect(sw(again, SURFACE_AP)).toBe('9000');
    expect(sw(again, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(again, '00 20 00 80')).toBe('63C0');
    // A memory written before the 照合番号 and the 住基 PIN: those counters are full.
    const { auth, sign, cardInfo } = kept;
    const older = data.assembleCard('kawasaki-taro', { ...contents, memory: { auth, sign, cardInfo } });
    older.powerOn();
    expect(sw(older, SURFACE_AP)).toBe('9000');
    expect(sw(older, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(older, '00 20 00 80')).toBe('63CA');
    expect(sw(older, JUKI_AP)).toBe('9000');
    expect(sw(older, '00 A4 02 0C 02 001C')).toBe('9000');
    expect(sw(older, '00 20 00 80')).toBe('63C3');
  });

  it('refuses to change a 照合番号 (6985): it is the card\'s own data', () => {
    const card = freshCard();
    const { a } = matchingNumbers(card);
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(card, verifyWith(a))).toBe('9000');
    expect(sw(card, `00 24 01 80 0C ${ascii('111122223333')}`)).toBe('6985');
    expect(sw(card, verifyWith(a))).toBe('9000');
  });

  it('is absent from a card whose certificates were declined (nothing dates its front) and from a 住基カード', () => {
    const declined = data.makeCard('kawasaki-taro', NOW, { declined: true });
    declined.powerOn();
    expect(sw(declined, SURFACE_AP)).toBe('6A82');
    expect(sw(declined, INFO_AP)).toBe('9000');
    const juki = data.makeCard('juki-card', NOW);
    juki.powerOn();
    expect([sw(juki, SURFACE_AP), sw(juki, JUKI_AP)]).toEqual(['6A82', '6A82']);
    // A front without a signer cannot be: every EF of the AP is signed.
    const options = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW));
    expect(() => new VirtualMyNumberCard({ ...options, cardInfo: { ...options.cardInfo!, signer: undefined } })).toThrow(/cardInfo.surface needs cardInfo.signer/);
    expect(() => new VirtualMyNumberCard({ ...options, cardInfo: { ...options.cardInfo!, surface: { ...options.cardInfo!.surface!, expires: '2036-02-30' } } })).toThrow(/surface.expires must be a real date/);
    // Absurd 住基 values are refused naming the field, never quoting a PIN.
    expect(() => new VirtualMyNumberCard({ ...options, juki: { manufactureNumber: 'x'.repeat(10_000) } })).toThrow(/juki.manufactureNumber must be 13 characters/);
    let message = '';
    try {
      new VirtualMyNumberCard({ ...options, juki: { manufactureNumber: '1234567890123', pin: '98765' } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('juki.pin (the 住基AP PIN) must be exactly 4 digits');
    expect(() => new VirtualMyNumberCard({ ...options, kind: 'smartphone', cardInfo: undefined, juki: { manufactureNumber: '1234567890123' } })).toThrow(/a smartphone has no 住基AP/);
  });
});

describe('pictures that cannot be made', () => {
  it('answer 6F00 to the read that needed them; the card answers everything else and tries again on the next read', () => {
    let fail = true;
    const options = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW));
    const drawn = options.cardInfo!.surface!.pictures;
    const card = new VirtualMyNumberCard({
      ...options,
      cardInfo: { ...options.cardInfo!, surface: { ...options.cardInfo!.surface!, pictures: () => { if (fail) throw new Error('the font is missing'); return drawn(); } } },
    });
    card.powerOn();
    const { a } = matchingNumbers(card);
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(sw(card, verifyWith(a))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('6F00');
    expect(sw(card, '00 A4 02 0C 02 0004')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('9000');
    fail = false;
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('9000');
  });

  it('pictures too large for one EF (over 32 KB) answer 6F00, never an EF whose end cannot be read', () => {
    const options = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW));
    const drawn = options.cardInfo!.surface!.pictures;
    const card = new VirtualMyNumberCard({
      ...options,
      cardInfo: { ...options.cardInfo!, surface: { ...options.cardInfo!.surface!, pictures: () => ({ ...drawn(), faceJpeg2000: Buffer.alloc(40_000, 1) }) } },
    });
    card.powerOn();
    const { a } = matchingNumbers(card);
    expect(sw(card, SURFACE_AP)).toBe('9000');
    expect(sw(card, verifyWith(a).replace('00 20 00 80', '00 20 00 93'))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('6F00');
    expect(sw(card, '00 A4 02 0C 02 0005')).toBe('9000');
    expect(sw(card, '00 B0 00 00 07')).toBe('9000'); // the My Number's picture is small
  });
});

describe('the 券面事項入力補助AP\'s 照合番号 (EF 0014, 0015) and EF 0005', () => {
  it('照合番号A opens the My Number and the four items; B only the four items', () => {
    const card = freshCard();
    const { a, b } = matchingNumbers(card);
    expect(sw(card, INFO_AP)).toBe('9000'); // clears the PIN verified above
    expect(sw(card, '00 A4 02 0C 02 0015')).toBe('9000');
    expect(sw(card, '00 20 00 80')).toBe('63CA');
    expect(sw(card, verifyWith(b))).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0002')).toBe('9000');
    expect(send(card, '00 B0 00 00 05').sw).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0001')).toBe('9000');
    expect(sw(card, '00 B0 00 00 11')).toBe('6982');
    expect(sw(card, '00 20 00 94')).toBe('63CA'); // 照合番号A by its SFI, counter query
    expect(sw(card, verifyWith(a).replace('00 20 00 80', '00 20 00 94'))).toBe('9000');
    expect(send(card, '00 B0 00 00 11').data.subarray(3, 15).toString('ascii')).toBe(a);
  });

  it('EF 0005 (AP基本情報) is free to read: FF 40 82 00 9F, 164 bytes, as myna\'s test vector', () => {
    const card = freshCard();
    expect(sw(card, INFO_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 0005')).toBe('9000');
    const ef = readAll(card);
    expect(ef.length).toBe(164);
    expect(ef.subarray(0, 5).toString('hex')).toBe('ff4082009f');
    expect(items(ef).map(([tag, v]) => `${tag}:${v.length}`)).toEqual(['DF41:4', 'DF42:16', 'DF43:128']);
  });
});

describe('the 住基AP (D3921000310001010100)', () => {
  it('answers myna\'s READ RECORD 1 of SFI 1 without a PIN: the 13-character manufacture number at characters 2–14', () => {
    const card = freshCard();
    expect(sw(card, JUKI_AP)).toBe('9000');
    const record = send(card, '00 B2 01 0C 00');
    expect(record.sw).toBe('9000');
    expect(record.data[0]).toBe(0x04);
    const text = record.data.subarray(2, 2 + record.data[1]!).toString('ascii');
    expect(text.slice(2, 15)).toMatch(/^[0-9]{13}$/);
    // The same card's number every time; another persona's differs.
    expect(send(freshCard(), JUKI_AP).sw).toBe('9000');
    const other = data.makeCard('kawasaki-hanako', NOW);
    other.powerOn();
    sw(other, JUKI_AP);
    expect(send(other, '00 B2 01 0C 00').data).not.toEqual(record.data);
    expect(sw(card, '00 B2 02 0C 00')).toBe('6A83'); // no record 2
    expect(sw(card, '00 B2 00 0C 00')).toBe('6A86'); // the current record is not emulated
    expect(sw(card, '00 B2 01 14 00')).toBe('6A82'); // no SFI 2
    expect(sw(card, '00 B0 81 00 00')).toBe('6981'); // a record EF is not read as binary
    expect(sw(card, '00 B2 01 0C')).toBe('6700'); // no Le
  });

  it('has its 4-digit PIN in EF 001C (the persona\'s digits), 3 tries', () => {
    const card = freshCard();
    expect(sw(card, JUKI_AP)).toBe('9000');
    expect(sw(card, '00 A4 02 0C 02 001C')).toBe('9000');
    expect(sw(card, '00 20 00 80')).toBe('63C3');
    expect(sw(card, verifyWith('0000'))).toBe(persona.card.pin === '0000' ? '9000' : '63C2');
    expect(sw(card, verifyWith(persona.card.pin!))).toBe('9000');
    expect(card.toJSON().otherTriesLeft).toMatchObject({ juki: 3, surfaceA: 10, surfaceB: 10, cardInfoA: 10, cardInfoB: 10 });
  });
});

it('a persona\'s 照合番号B and surface numbers are the same on every card made of it', () => {
  const one = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW));
  const two = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', NOW + 86_400_000));
  expect(one.cardInfo!.surface!.securityCode).toBe(two.cardInfo!.surface!.securityCode);
  expect(createHash('sha256').update(one.cardInfo!.surface!.pictures().namePng).digest('hex'))
    .toBe(createHash('sha256').update(two.cardInfo!.surface!.pictures().namePng).digest('hex'));
});
