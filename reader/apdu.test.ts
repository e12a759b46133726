import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CommandApdu,
  MalformedApduError,
  MalformedResponseError,
  ResponseApdu,
  StatusWord,
  describeStatusWord,
  type CommandApduFields,
  verifyFailed,
} from './apdu.ts';

const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s/g, ''), 'hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('CommandApdu encoding', () => {
  it.each([
    ['case 1', { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 }, '00200080'],
    ['case 2S, Le 4', { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: 4 }, '00B0000004'],
    ['case 2S, Le 256 written 00', { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x04, le: 256 }, '00B0000400'],
    ['case 3S SELECT AP', { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: bytes('D392F000260100000001') }, '00A4040C0AD392F000260100000001'],
    ['case 4S signature', { cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: bytes('0102'), le: 256 }, '802A008002010200'],
    ['case 2E, Le 0x061F (tex2e trace)', { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x04, le: 0x061f }, '00B0000400061F'],
    ['case 2E, Le 65536 (jsapdu SFI read)', { cla: 0x00, ins: 0xb0, p1: 0x8a, p2: 0x00, le: 65536 }, '00B08A00000000'],
    ['forced extended Le 4', { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: 4, extended: true }, '00B00000000004'],
    ['case 3E', { cla: 0x00, ins: 0xd6, p1: 0x00, p2: 0x00, data: Buffer.alloc(300, 0xee) }, '00D60000' + '00012C' + 'EE'.repeat(300)],
    ['case 4E', { cla: 0x00, ins: 0xd6, p1: 0x00, p2: 0x00, data: Buffer.alloc(256, 0x11), le: 65536 }, '00D60000' + '000100' + '11'.repeat(256) + '0000'],
  ] as [string, CommandApduFields, string][])('%s', (_, fields, expected) => {
    const apdu = new CommandApdu(fields);
    expect(hex(apdu.toBytes())).toBe(expected);
    const parsed = CommandApdu.parse(bytes(expected));
    expect(hex(parsed.toBytes())).toBe(expected);
    expect(parsed.le).toBe(fields.le);
    expect(hex(parsed.data)).toBe(hex(fields.data ?? Buffer.alloc(0)));
    expect([parsed.cla, parsed.ins, parsed.p1, parsed.p2]).toEqual([fields.cla, fields.ins, fields.p1, fields.p2]);
  });

  it('parses the extended forms into their fields', () => {
    expect(CommandApdu.parse(bytes('00B08A00000000'))).toMatchObject({ p1: 0x8a, le: 65536, extended: true });
    const e4 = CommandApdu.parse(bytes('802A0080 000003 AABBCC 0100'));
    expect(e4).toMatchObject({ cla: 0x80, ins: 0x2a, le: 256, extended: true });
    expect(hex(e4.data)).toBe('AABBCC');
    expect(CommandApdu.parse(bytes('00A4040C 000002 000A'))).toMatchObject({ le: undefined, extended: true });
  });

  it.each([
    ['3 bytes', '00A404'],
    ['short Lc longer than the data', '00A4040C0A D392'],
    ['short Lc with 2 trailing bytes', '00A4020C02000A0000'],
    ['6 bytes starting an extended length', '00B000000000'],
    ['extended Lc 0 with data', '00A4040C000000AA'],
    ['extended Lc not matching', '00A4040C000005AABB'],
  ])('rejects %s with MalformedApduError', (_, input) => {
    expect(() => CommandApdu.parse(bytes(input))).toThrow(MalformedApduError);
  });

  it('rejects fields that cannot be encoded', () => {
    expect(() => new CommandApdu({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(MalformedApduError);
    expect(() => new CommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(/Le must be 1–65536/);
    expect(() => new CommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, le: 65537 })).toThrow(MalformedApduError);
    expect(() => new CommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, data: Buffer.alloc(65536) })).toThrow(MalformedApduError);
  });

  it('never shows its data in string, JSON, inspect or error forms (a VERIFY carries the PIN)', () => {
    const verify = new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: Buffer.from('8642', 'ascii') });
    const shown = [String(verify), JSON.stringify(verify), inspect(verify), verify.describe()];
    expect(verify.describe()).toBe('VERIFY (00 20 00 80, 4 data bytes)');
    for (const text of shown) {
      expect(text).not.toContain('8642');
      expect(text).not.toContain('38363432');
      expect(text).not.toContain('38 36 34 32');
    }
    let message = '';
    try {
      CommandApdu.parse(bytes('0020008005 38363432'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not an APDU/);
    expect(message).not.toMatch(/38 ?36 ?34 ?32/);
  });

  it('names JPKI’s signature command', () => {
    expect(new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: Buffer.alloc(51), le: 256 }).describe()).toBe(
      'COMPUTE DIGITAL SIGNATURE (80 2A 00 80, 51 data bytes, Le 256)',
    );
  });
});

describe('ResponseApdu', () => {
  it('splits data and status word', () => {
    const r = ResponseApdu.from(bytes('3082061F9000'));
    expect(hex(r.data)).toBe('3082061F');
    expect([r.sw1, r.sw2, r.sw, r.ok]).toEqual([0x90, 0x00, 0x9000, true]);
    expect(hex(r.toBytes())).toBe('3082061F9000');
    const fail = ResponseApdu.from(bytes('63C2'));
    expect([fail.data.length, fail.sw, fail.ok]).toEqual([0, 0x63c2, false]);
  });

  it('throws MalformedResponseError for fewer than 2 bytes', () => {
    expect(() => ResponseApdu.from(bytes('90'))).toThrow(MalformedResponseError);
    expect(() => ResponseApdu.from(Buffer.alloc(0))).toThrow(/at least the 2 status bytes, but 0 byte/);
  });
});

describe('StatusWord', () => {
  it('holds the values the card uses', () => {
    expect(StatusWord).toMatchObject({
      OK: 0x9000,
      FILE_NOT_FOUND: 0x6a82,
      INCORRECT_P1P2: 0x6a86,
      SECURITY_STATUS_NOT_SATISFIED: 0x6982,
      AUTHENTICATION_METHOD_BLOCKED: 0x6983,
      INS_NOT_SUPPORTED: 0x6d00,
      CLA_NOT_SUPPORTED: 0x6e00,
      WRONG_LENGTH: 0x6700,
      WRONG_P1P2_OFFSET: 0x6b00,
    });
    expect(verifyFailed(2)).toBe(0x63c2);
  });

  it('describes status words for people', () => {
    expect(describeStatusWord(0x6a82)).toBe('6A82 file or application not found');
    expect(describeStatusWord(0x63c1)).toBe('63C1 verification failed, 1 try left');
    expect(describeStatusWord(0x63c0)).toBe('63C0 verification failed, 0 tries left');
    expect(describeStatusWord(0x6983)).toMatch(/blocked/);
    expect(describeStatusWord(0x6f01)).toBe('6F01 unknown status');
  });
});
