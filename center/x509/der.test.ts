import { describe, expect, it } from 'vitest';
import {
  DerEncodeError,
  DerParseError,
  decodeDerBitString,
  decodeDerBoolean,
  decodeDerInteger,
  decodeDerOid,
  decodeDerString,
  decodeDerTime,
  derBitString,
  derBoolean,
  derChildren,
  derExplicit,
  derGeneralizedTime,
  derImplicit,
  derInteger,
  derNamedBits,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derTime,
  derUtcTime,
  derUtf8String,
  parseDer,
  readDer,
} from './der.ts';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

describe('INTEGER', () => {
  it.each([
    [0n, '020100'],
    [127n, '02017F'],
    [128n, '02020080'],
    [255n, '020200FF'],
    [256n, '02020100'],
    [-1n, '0201FF'],
    [-128n, '020180'],
    [-129n, '0202FF7F'],
    [0x1234abcdn, '02041234ABCD'],
  ])('writes %s in minimal two’s complement', (value, expected) => {
    expect(hex(derInteger(value))).toBe(expected);
    expect(decodeDerInteger(parseDer(derInteger(value)))).toBe(value);
  });

  it('treats a byte array as an unsigned magnitude: strips leading zeros, pads a set top bit', () => {
    expect(hex(derInteger(Buffer.from('0000801234', 'hex')))).toBe('020400801234');
    expect(hex(derInteger(Buffer.from('80', 'hex')))).toBe('02020080');
    expect(hex(derInteger(Buffer.from('000001', 'hex')))).toBe('020101');
    expect(hex(derInteger(Buffer.alloc(0)))).toBe('020100');
  });

  it('round-trips a 20-byte serial', () => {
    const serial = (1n << 159n) - 12345n;
    expect(decodeDerInteger(parseDer(derInteger(serial)))).toBe(serial);
  });

  it('refuses to read a non-minimal INTEGER', () => {
    expect(() => decodeDerInteger(parseDer(Buffer.from('0202007F', 'hex')))).toThrow(DerParseError);
  });
});

describe('OBJECT IDENTIFIER', () => {
  it.each([
    ['1.2.840.113549.1.1.11', '06092A864886F70D01010B'],
    ['2.5.4.3', '0603550403'],
    ['2.5.29.15', '0603551D0F'],
    ['2.16.840.1.101.3.4.2.1', '0609608648016503040201'],
  ])('writes %s', (oid, expected) => {
    expect(hex(derOid(oid))).toBe(expected);
    expect(decodeDerOid(parseDer(derOid(oid)))).toBe(oid);
  });

  it('rejects malformed OIDs with a typed error', () => {
    expect(() => derOid('1')).toThrow(DerEncodeError);
    expect(() => derOid('1.40.3')).toThrow(DerEncodeError);
    expect(() => derOid('a.b')).toThrow(DerEncodeError);
  });
});

describe('lengths', () => {
  it.each([
    [0, '0400'],
    [127, '047F'],
    [128, '048180'],
    [255, '0481FF'],
    [256, '04820100'],
    [65535, '0482FFFF'],
    [65536, '0483010000'],
  ])('uses the minimal form for %i content bytes', (length, header) => {
    const encoded = derOctetString(Buffer.alloc(length, 0xab));
    expect(hex(encoded.subarray(0, header.length / 2))).toBe(header);
    expect(encoded.length).toBe(header.length / 2 + length);
    expect(parseDer(encoded).content.length).toBe(length);
  });
});

describe('strings, times and simple types', () => {
  it('writes PrintableString and UTF8String', () => {
    expect(hex(derPrintableString('JP'))).toBe('13024A50');
    expect(hex(derUtf8String('日本'))).toBe('0C06E697A5E69CAC');
    expect(decodeDerString(parseDer(derUtf8String('日本')))).toBe('日本');
    expect(() => derPrintableString('a@b')).toThrow(DerEncodeError);
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050', () => {
    const d2049 = new Date('2049-12-31T23:59:59Z');
    const d2050 = new Date('2050-01-01T00:00:00Z');
    expect(derTime(d2049).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(derTime(d2050).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(derTime(new Date('1999-03-04T05:06:07Z')).toString('latin1')).toBe('\x17\x0d990304050607Z');
    expect(decodeDerTime(parseDer(derTime(d2049)))).toEqual(d2049);
    expect(decodeDerTime(parseDer(derTime(d2050)))).toEqual(d2050);
    expect(decodeDerTime(parseDer(derUtcTime(new Date('1950-01-01T00:00:00Z'))))).toEqual(new Date('1950-01-01T00:00:00Z'));
    expect(() => derUtcTime(d2050)).toThrow(DerEncodeError);
    expect(hex(derGeneralizedTime(new Date('2024-02-29T12:00:00.999Z')))).toBe(hex(Buffer.from('\x18\x0f20240229120000Z', 'latin1')));
  });

  it('writes BIT STRING, named bits, OCTET STRING, NULL and BOOLEAN', () => {
    expect(hex(derBitString(Buffer.from([0xa5])))).toBe('030200A5');
    expect(hex(derNamedBits([0]))).toBe('03020780'); // keyUsage digitalSignature
    expect(hex(derNamedBits([5, 6]))).toBe('03020106'); // keyCertSign | cRLSign
    expect(hex(derNamedBits([0, 8]))).toBe('0303078080');
    expect(decodeDerBitString(parseDer(derNamedBits([5, 6])))).toEqual({ unusedBits: 1, bytes: Buffer.from([0x06]) });
    expect(hex(derOctetString(Buffer.from([1, 2])))).toBe('04020102');
    expect(hex(derNull())).toBe('0500');
    expect(hex(derBoolean(true))).toBe('0101FF');
    expect(decodeDerBoolean(parseDer(derBoolean(false)))).toBe(false);
  });

  it('writes explicit and implicit context tags', () => {
    expect(hex(derExplicit(0, derInteger(2n)))).toBe('A003020102');
    expect(hex(derExplicit(3, derSequence()))).toBe('A3023000');
    expect(hex(derImplicit(0, Buffer.from([0xaa, 0xbb])))).toBe('8002AABB');
  });

  it('sorts SET OF elements by their encodings', () => {
    expect(hex(derSet(derInteger(2n), derInteger(1n)))).toBe('3106020101020102');
  });
});

describe('reader', () => {
  it('walks nested structures and reports offsets', () => {
    const encoded = derSequence(derInteger(5n), derSequence(derOid('2.5.4.6'), derPrintableString('JP')), derExplicit(3, derNull()));
    const root = parseDer(encoded);
    expect(root.tag).toBe(0x30);
    const [int, inner, tagged] = derChildren(root);
    expect(decodeDerInteger(int!)).toBe(5n);
    expect(int!.offset).toBe(0);
    expect(derChildren(inner!).map((e) => e.tag)).toEqual([0x06, 0x13]);
    expect(tagged).toMatchObject({ tagClass: 'context', constructed: true, tagNumber: 3 });
    expect(hex(tagged!.encoded)).toBe('A3020500');
  });

  it.each([
    ['truncated content', '300500'],
    ['indefinite length', '30800000'],
    ['non-minimal length', '3081020500'],
    ['length field past the end', '3082'],
  ])('rejects %s with DerParseError', (_, bytes) => {
    expect(() => readDer(Buffer.from(bytes, 'hex'))).toThrow(DerParseError);
  });

  it('rejects trailing bytes after the outer element', () => {
    expect(() => parseDer(Buffer.from('050000', 'hex'))).toThrow(/1 bytes follow/);
  });
});
