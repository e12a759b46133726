import { describe, expect, it } from 'vitest';
import { CardInfoEncodingError, berLength, decodeRsaPublicKey, encodeBasicFourEf, encodeMyNumberEf } from './card-info-ap.ts';

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const clean = (hex: string): string => hex.replace(/\s/g, '').toUpperCase();

/** 150 bytes of UTF-8: long enough that its DF 23 length needs the long form 81 96. */
const ADDRESS_150 = '北海道札幌市中央区北一条西2丁目1番地1 サッポロファクトリーレジデンス東棟10号室（株式会社コンビニ気付）';

describe('berLength', () => {
  it.each([
    [0, '00'],
    [0x7f, '7F'],
    [0x80, '8180'],
    [150, '8196'],
    [0xff, '81FF'],
    [0x100, '820100'],
    [0xffff, '82FFFF'],
  ])('%i → %s', (length, expected) => {
    expect(hexOf(berLength(length))).toBe(expected);
  });

  it('refuses lengths that do not fit two bytes', () => {
    expect(() => berLength(0x10000)).toThrow(CardInfoEncodingError);
    expect(() => berLength(-1)).toThrow(CardInfoEncodingError);
  });
});

describe('encodeMyNumberEf', () => {
  it('writes FF 10 0C, the 12 digits and FF FF: the 17 bytes of the spec trace', () => {
    expect(hexOf(encodeMyNumberEf('012345678901'))).toBe('FF100C303132333435363738393031FFFF');
  });

  it('refuses anything but 12 ASCII digits without quoting it', () => {
    for (const bad of ['01234567890', '0123456789012', '01234567890a', '０１２３４５６７８９０１']) {
      expect(() => encodeMyNumberEf(bad)).toThrow(CardInfoEncodingError);
    }
    expect(() => encodeMyNumberEf('98765432101')).toThrow(/^(?!.*98765432101).*12 ASCII digits/);
  });
});

describe('encodeBasicFourEf', () => {
  it('writes FF 20 82 HH LL, the DF 21 offsets header, then DF 22–DF 25 (rare kanji as 4-byte UTF-8)', () => {
    const ef = encodeBasicFourEf({ name: '髙﨑 𠮷子', address: '東京都', birthDate: '1985-04-01', sex: 'female' });
    expect(hexOf(ef)).toBe(
      clean(`
        FF 20 82 00 37
        DF 21 08 000B 001C 0028 0033
        DF 22 0E E9AB99 EFA891 20 F0A0AEB7 E5AD90
        DF 23 09 E69DB1 E4BAAC E983BD
        DF 24 08 3139383530343031
        DF 25 01 32`),
    );
  });

  it('writes an inner length of 150 as 81 96 and moves the later offsets along', () => {
    expect(Buffer.byteLength(ADDRESS_150)).toBe(150);
    const ef = encodeBasicFourEf({ name: 'A', address: ADDRESS_150, birthDate: '2000-12-31', sex: 'male' });
    // value: DF21 (11) + DF22 01 'A' (4) + DF23 81 96 <150> (154) + DF24 (11) + DF25 (4) = 184 = 0xB8
    expect(hexOf(ef.subarray(0, 24))).toBe(clean('FF 20 82 00 B8  DF 21 08 000B 000F 00A9 00B4  DF 22 01 41  DF 23 81 96'));
    expect(ef.subarray(24, 174).toString('utf8')).toBe(ADDRESS_150);
    expect(hexOf(ef.subarray(174))).toBe(clean('DF 24 08 3230303031323331  DF 25 01 31'));
    expect(ef.length).toBe(5 + 0xb8);
  });

  it('writes an inner length of 300 as 82 01 2C', () => {
    const ef = encodeBasicFourEf({ name: 'B', address: 'あ'.repeat(100), birthDate: '1970-01-01', sex: 'not-applicable' });
    expect(hexOf(ef.subarray(16, 25))).toBe('DF220142DF2382012C');
    expect(hexOf(ef.subarray(-4))).toBe('DF250139');
  });

  it('refuses a birth date not written YYYY-MM-DD and an unknown sex', () => {
    expect(() => encodeBasicFourEf({ name: 'A', address: 'B', birthDate: '1985/04/01', sex: 'male' })).toThrow(/YYYY-MM-DD/);
    expect(() => encodeBasicFourEf({ name: 'A', address: 'B', birthDate: '1985-04-01', sex: 'other' as 'male' })).toThrow(/male, female or not-applicable/);
  });
});

describe('EF 0003 and EF 0004: the signature over the AP\'s data and its signer\'s certificate, free to read', () => {
  it('a client reads both without a PIN, checks the hashes against EF 0001/0002 and the signature with the key in EF 0004', async () => {
    const { loadSampleData } = await import('../samples/sample-data.ts');
    const { SimReader } = await import('./sim-reader.ts');
    const { CommandApdu } = await import('./apdu.ts');
    const { createHash, verify } = await import('node:crypto');
    const data = loadSampleData();
    const reader = new SimReader();
    reader.insert(data.makeCard('kawasaki-taro', Date.parse('2026-11-24T10:00:00+09:00')));
    const s = reader.connect();
    const send = async (hex: string) => s.transmit(CommandApdu.parse(Buffer.from(hex.replaceAll(' ', ''), 'hex')));
    const readEf = async (fid: string, le = '00 00 00') => {
      expect((await send(`00 A4 02 0C 02 ${fid}`)).sw).toBe(0x9000);
      const r = await send(`00 B0 00 00 ${le}`);
      return r;
    };
    expect((await send('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08')).sw).toBe(0x9000);
    const ef3 = await readEf('00 03');
    const ef4 = await readEf('00 04');
    expect([ef3.sw, ef4.sw]).toEqual([0x9000, 0x9000]);
    expect(ef3.data.subarray(0, 5).toString('hex')).toBe('ff3082014b');
    // The sizes myna read from a real card: 336 and 568 bytes.
    expect([ef3.data.length, ef4.data.length]).toEqual([336, 568]);
    expect(ef4.data.subarray(0, 5).toString('hex')).toBe('7f21820233');
    // The hashes are of EF 0001 and EF 0002 as read with the PIN.
    expect((await readEf('00 01', '11')).sw).toBe(0x6982);
    expect((await send('00 A4 02 0C 02 00 11')).sw).toBe(0x9000);
    expect((await send(`00 20 00 80 04 ${Buffer.from(data.persona('kawasaki-taro').card.pin!).toString('hex')}`)).sw).toBe(0x9000);
    const myNumber = (await readEf('00 01', '11')).data;
    const basic = (await readEf('00 02', '00 00 00')).data;
    const body = ef3.data.subarray(5);
    expect(body.subarray(0, 3).toString('hex')).toBe('df3120');
    expect(body.subarray(3, 35)).toEqual(createHash('sha256').update(myNumber).digest());
    expect(body.subarray(38, 70)).toEqual(createHash('sha256').update(basic).digest());
    expect(body.subarray(70, 75).toString('hex')).toBe('df33820100');
    // EF 0004's contents: issuer id, subject id, the signer's key as exponent then modulus (jsapdu's decodePublicKey);
    // the signature over the hash TLVs verifies with it, and so does the certificate's own.
    const contents = ef4.data.subarray(10, 10 + ef4.data.readUInt16BE(8));
    expect(contents.subarray(0, 32).toString('ascii')).toBe('JPKI-SIM-CI-CA01JPKI-SIM-CI-SG01');
    expect(contents.subarray(32, 39).toString('hex')).toBe('82030100018182'); // e = 65537, then the modulus's tag and 82 01 00
    const key = decodeRsaPublicKey(contents.subarray(32));
    expect(verify('sha256', contents, key, ef4.data.subarray(ef4.data.length - 256))).toBe(true);
    expect(verify('sha256', body.subarray(0, 70), key, body.subarray(75, 75 + 256))).toBe(true);
  });
});
