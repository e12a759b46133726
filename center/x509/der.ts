// DER (X.690 Distinguished Encoding Rules): just enough to write and read X.509 certificates.
// Every writer returns a complete TLV as a Buffer, so structures compose by nesting calls.

/** A value cannot be written in DER (an OID with a bad arc, a character PrintableString does not allow, ...). */
export class DerEncodeError extends Error {
  override readonly name = 'DerEncodeError';
}

/** Bytes are not the strict DER the reader expects. */
export class DerParseError extends Error {
  override readonly name = 'DerParseError';
  constructor(
    readonly offset: number,
    what: string,
  ) {
    super(`DER at byte ${offset}: ${what}; the data is not a well-formed DER structure — check that the whole certificate was read`);
  }
}

/** Universal tags used by X.509 (single-byte identifiers, low tag numbers). */
export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

// ───────────────────────────── writing ─────────────────────────────

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-byte identifier octet. */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new DerEncodeError(`tag 0x${tag.toString(16)} is not a single-byte identifier; use a tag number below 31`);
  }
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function derSequence(...items: Uint8Array[]): Buffer {
  return derTlv(DerTag.SEQUENCE, Buffer.concat(items));
}

/** SET OF: DER requires the elements sorted by their encodings (X.690 11.6). */
export function derSet(...items: Uint8Array[]): Buffer {
  const sorted = items.map((item) => Buffer.from(item)).sort(Buffer.compare);
  return derTlv(DerTag.SET, Buffer.concat(sorted));
}

/**
 * INTEGER. A bigint (or safe integer) is written in minimal two's complement.
 * A byte array is read as an unsigned big-endian magnitude: leading zeros go, and a 00 is prepended
 * when the top bit is set, so that e.g. a serial or modulus never turns negative.
 */
export function derInteger(value: bigint | number | Uint8Array): Buffer {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new DerEncodeError(`${value} is not a safe integer; pass a bigint`);
    return derInteger(BigInt(value));
  }
  if (typeof value === 'bigint') return derTlv(DerTag.INTEGER, twosComplement(value));
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const magnitude = Buffer.from(value.subarray(start));
  if (magnitude.length === 0) return derTlv(DerTag.INTEGER, Buffer.from([0]));
  const content = magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
  return derTlv(DerTag.INTEGER, content);
}

function twosComplement(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  // Emit low bytes until the remaining value is pure sign extension of the byte just written.
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.unshift(byte);
    rest >>= 8n;
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

/** OBJECT IDENTIFIER from dotted form, e.g. "1.2.840.113549.1.1.11". */
export function derOid(dotted: string): Buffer {
  if (!/^\d+(\.\d+)+$/.test(dotted)) throw new DerEncodeError(`"${dotted}" is not a dotted OID such as 2.5.4.3`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second] = arcs as [bigint, bigint];
  if (first > 2n || (first < 2n && second > 39n)) {
    throw new DerEncodeError(`"${dotted}" has an invalid first or second arc (first 0–2, second 0–39 unless first is 2)`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    // Base-128, most significant group first, continuation bit on all but the last.
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return derTlv(DerTag.OBJECT_IDENTIFIER, Buffer.from(bytes));
}

export function derUtf8String(text: string): Buffer {
  return derTlv(DerTag.UTF8_STRING, Buffer.from(text, 'utf8'));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function isPrintableString(text: string): boolean {
  return PRINTABLE.test(text);
}

export function derPrintableString(text: string): Buffer {
  if (!isPrintableString(text)) {
    throw new DerEncodeError(`"${text}" has characters PrintableString does not allow; use derUtf8String`);
  }
  return derTlv(DerTag.PRINTABLE_STRING, Buffer.from(text, 'ascii'));
}

export function derIa5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new DerEncodeError(`"${text}" is not ASCII, which IA5String requires`);
  return derTlv(DerTag.IA5_STRING, Buffer.from(text, 'ascii'));
}

function checkedDate(date: Date): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new DerEncodeError('the date is invalid');
  return date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function timeDigits(date: Date): string {
  // X.509 times carry whole seconds only, so milliseconds are dropped.
  return `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/** UTCTime YYMMDDHHMMSSZ; valid for 1950–2049 only (RFC 5280 4.1.2.5.1). */
export function derUtcTime(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  if (year < 1950 || year > 2049) throw new DerEncodeError(`UTCTime cannot hold year ${year}; use derGeneralizedTime`);
  return derTlv(DerTag.UTC_TIME, Buffer.from(pad(year % 100) + timeDigits(date), 'ascii'));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (no fraction, as RFC 5280 requires). */
export function derGeneralizedTime(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  if (year < 0 || year > 9999) throw new DerEncodeError(`GeneralizedTime cannot hold year ${year}`);
  return derTlv(DerTag.GENERALIZED_TIME, Buffer.from(pad(year, 4) + timeDigits(date), 'ascii'));
}

/** The X.509 Time choice: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280). */
export function derTime(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  return year >= 1950 && year < 2050 ? derUtcTime(date) : derGeneralizedTime(date);
}

export function derBitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new DerEncodeError(`${unusedBits} unused bits is not valid for a ${bytes.length}-byte BIT STRING`);
  }
  return derTlv(DerTag.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * A named-bit BIT STRING such as KeyUsage: bit 0 is the most significant bit of the first byte,
 * and DER drops trailing zero bits (X.690 11.2.2).
 */
export function derNamedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return derBitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return derBitString(bytes, 7 - (highest & 7));
}

export function derOctetString(bytes: Uint8Array): Buffer {
  return derTlv(DerTag.OCTET_STRING, bytes);
}

export function derNull(): Buffer {
  return Buffer.from([DerTag.NULL, 0x00]);
}

export function derBoolean(value: boolean): Buffer {
  return derTlv(DerTag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

function contextTag(tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) {
    throw new DerEncodeError(`context tag [${tagNumber}] is out of range 0–30`);
  }
  return 0x80 | (constructed ? 0x20 : 0) | tagNumber;
}

/** [n] EXPLICIT: a constructed context tag wrapping complete TLVs (e.g. the certificate version [0], extensions [3]). */
export function derExplicit(tagNumber: number, ...inner: Uint8Array[]): Buffer {
  return derTlv(contextTag(tagNumber, true), Buffer.concat(inner));
}

/** [n] IMPLICIT for a primitive type: the context tag replaces the universal one (e.g. keyIdentifier [0]). */
export function derImplicit(tagNumber: number, content: Uint8Array): Buffer {
  return derTlv(contextTag(tagNumber, false), content);
}

// ───────────────────────────── reading ─────────────────────────────

export type DerTagClass = 'universal' | 'application' | 'context' | 'private';

/** One TLV as found in a buffer. `content` and `encoded` are views into the source buffer. */
export interface DerElement {
  /** The identifier octet, e.g. 0x30 for SEQUENCE, 0xA0 for [0] constructed. */
  readonly tag: number;
  readonly tagClass: DerTagClass;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Where the element starts in the buffer it was read from. */
  readonly offset: number;
  readonly headerLength: number;
  readonly content: Buffer;
  /** The complete TLV (header + content). */
  readonly encoded: Buffer;
  /** The offset just past this element. */
  readonly end: number;
}

const TAG_CLASSES: readonly DerTagClass[] = ['universal', 'application', 'context', 'private'];

/** Reads one strict-DER element at `offset` (definite, minimal lengths; low tag numbers). */
export function readDer(source: Uint8Array, offset = 0): DerElement {
  const buf = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  if (offset + 2 > buf.length) throw new DerParseError(offset, 'the element header runs past the end of the data');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerParseError(offset, 'multi-byte tag numbers are not supported');
  const first = buf[offset + 1]!;
  let length: number;
  let headerLength: number;
  if (first < 0x80) {
    length = first;
    headerLength = 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerParseError(offset, 'indefinite length is not allowed in DER');
    if (count > 4) throw new DerParseError(offset, `a ${count}-byte length field is too long`);
    if (offset + 2 + count > buf.length) throw new DerParseError(offset, 'the length field runs past the end of the data');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    if (length < 0x80 || buf[offset + 2] === 0) throw new DerParseError(offset, 'the length is not in minimal form');
    headerLength = 2 + count;
  }
  const end = offset + headerLength + length;
  if (end > buf.length) {
    throw new DerParseError(offset, `the element announces ${length} content bytes but only ${buf.length - offset - headerLength} remain`);
  }
  return {
    tag,
    tagClass: TAG_CLASSES[tag >> 6]!,
    constructed: (tag & 0x20) !== 0,
    tagNumber: tag & 0x1f,
    offset,
    headerLength,
    content: buf.subarray(offset + headerLength, end),
    encoded: buf.subarray(offset, end),
    end,
  };
}

/** Reads exactly one element that fills the whole buffer (no trailing bytes). */
export function parseDer(source: Uint8Array): DerElement {
  const element = readDer(source, 0);
  if (element.end !== source.length) {
    throw new DerParseError(element.end, `${source.length - element.end} bytes follow the outer element`);
  }
  return element;
}

/** The elements inside a constructed element, in order. */
export function derChildren(element: DerElement): DerElement[] {
  if (!element.constructed) throw new DerParseError(element.offset, `tag 0x${element.tag.toString(16)} is primitive and has no children`);
  const children: DerElement[] = [];
  for (let at = 0; at < element.content.length; ) {
    const child = readDer(element.content, at);
    children.push(child);
    at = child.end;
  }
  return children;
}

export function expectTag(element: DerElement, tag: number): DerElement {
  if (element.tag !== tag) {
    throw new DerParseError(element.offset, `expected tag 0x${tag.toString(16).padStart(2, '0')} but found 0x${element.tag.toString(16).padStart(2, '0')}`);
  }
  return element;
}

export function decodeDerInteger(element: DerElement): bigint {
  const { content } = expectTag(element, DerTag.INTEGER);
  if (content.length === 0) throw new DerParseError(element.offset, 'an INTEGER has no content');
  if (content.length > 1 && ((content[0] === 0 && !(content[1]! & 0x80)) || (content[0] === 0xff && content[1]! & 0x80))) {
    throw new DerParseError(element.offset, 'the INTEGER is not in minimal form');
  }
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  if (content[0]! & 0x80) value -= 1n << BigInt(content.length * 8);
  return value;
}

export function decodeDerOid(element: DerElement): string {
  const { content } = expectTag(element, DerTag.OBJECT_IDENTIFIER);
  if (content.length === 0 || content[content.length - 1]! & 0x80) throw new DerParseError(element.offset, 'the OID is truncated');
  const values: bigint[] = [];
  let current = 0n;
  for (const byte of content) {
    current = (current << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      values.push(current);
      current = 0n;
    }
  }
  const head = values[0]!;
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...values.slice(1)].join('.');
}

/** UTCTime or GeneralizedTime in the Z forms X.509 uses. */
export function decodeDerTime(element: DerElement): Date {
  const text = element.content.toString('ascii');
  let match: RegExpExecArray | null;
  let year: number;
  if (element.tag === DerTag.UTC_TIME && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (element.tag === DerTag.GENERALIZED_TIME && (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new DerParseError(element.offset, `"${text}" is not a UTCTime or GeneralizedTime in Z form`);
  }
  const [, , month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900+.
  return date;
}

/** Text of a UTF8String, PrintableString or IA5String. */
export function decodeDerString(element: DerElement): string {
  switch (element.tag) {
    case DerTag.UTF8_STRING:
      return element.content.toString('utf8');
    case DerTag.PRINTABLE_STRING:
    case DerTag.IA5_STRING:
      return element.content.toString('latin1');
    default:
      throw new DerParseError(element.offset, `tag 0x${element.tag.toString(16)} is not a string type this reader knows`);
  }
}

export function decodeDerBitString(element: DerElement): { unusedBits: number; bytes: Buffer } {
  const { content } = expectTag(element, DerTag.BIT_STRING);
  if (content.length === 0 || content[0]! > 7 || (content.length === 1 && content[0] !== 0)) {
    throw new DerParseError(element.offset, 'the BIT STRING has an invalid unused-bits count');
  }
  return { unusedBits: content[0]!, bytes: content.subarray(1) };
}

export function decodeDerBoolean(element: DerElement): boolean {
  const { content } = expectTag(element, DerTag.BOOLEAN);
  if (content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff)) {
    throw new DerParseError(element.offset, 'a DER BOOLEAN is one byte, 00 or FF');
  }
  return content[0] === 0xff;
}
