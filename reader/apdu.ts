// APDU values (ISO/IEC 7816-4): command and response as plain objects, with exact short and extended encodings.
import { inspect } from 'node:util';

/** Bytes that are not a valid command APDU, or fields that cannot be encoded as one. */
export class MalformedApduError extends Error {
  override readonly name = 'MalformedApduError';
}

/** A response shorter than the two status bytes every R-APDU ends with. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  readonly bytes: Buffer;
  constructor(bytes: Uint8Array) {
    super(
      `a response APDU needs at least the 2 status bytes, but ${bytes.length} byte(s) came back (${toHex(bytes) || 'nothing'}); the card or reader garbled the answer — retry, or remove and re-place the card`,
    );
    this.bytes = Buffer.from(bytes);
  }
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
export const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

/** Status words the card and its clients use, with what each means. */
export const StatusWord = {
  OK: 0x9000,
  /** 63Cx carries the tries left in x; see verifyFailed(). */
  VERIFY_FAILED: 0x63c0,
  WRONG_LENGTH: 0x6700,
  COMMAND_INCOMPATIBLE_WITH_FILE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTHENTICATION_METHOD_BLOCKED: 0x6983,
  /** 6985: conditions of use not satisfied (a 照合番号 cannot be changed). */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED_NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  /** 6A83: no such record (READ RECORD). */
  RECORD_NOT_FOUND: 0x6a83,
  INCORRECT_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  /** 6F00: no precise diagnosis (the card could not make the EF's content). */
  NO_PRECISE_DIAGNOSIS: 0x6f00,
  /** 6581: the card's memory could not be written (its non-volatile memory failed). */
  MEMORY_FAILURE: 0x6581,
} as const;

const MEANINGS: Readonly<Record<number, string>> = {
  [StatusWord.OK]: 'success',
  [StatusWord.WRONG_LENGTH]: 'wrong length',
  [StatusWord.COMMAND_INCOMPATIBLE_WITH_FILE]: 'command incompatible with the file structure',
  [StatusWord.SECURITY_STATUS_NOT_SATISFIED]: 'security status not satisfied (PIN not verified)',
  [StatusWord.AUTHENTICATION_METHOD_BLOCKED]: 'authentication method blocked (PIN locked)',
  [StatusWord.CONDITIONS_NOT_SATISFIED]: 'conditions of use not satisfied',
  [StatusWord.COMMAND_NOT_ALLOWED_NO_CURRENT_EF]: 'command not allowed: no current EF',
  [StatusWord.WRONG_DATA]: 'incorrect data field',
  [StatusWord.FILE_NOT_FOUND]: 'file or application not found',
  [StatusWord.RECORD_NOT_FOUND]: 'record not found',
  [StatusWord.INCORRECT_P1P2]: 'incorrect parameters P1-P2',
  [StatusWord.REFERENCED_DATA_NOT_FOUND]: 'referenced data not found',
  [StatusWord.WRONG_P1P2_OFFSET]: 'wrong parameters: offset outside the EF',
  [StatusWord.INS_NOT_SUPPORTED]: 'instruction not supported',
  [StatusWord.CLA_NOT_SUPPORTED]: 'class not supported',
  [StatusWord.NO_PRECISE_DIAGNOSIS]: 'no precise diagnosis',
  [StatusWord.MEMORY_FAILURE]: 'memory failure (the card could not write its memory)',
};

/** 63Cx: verification failed, x tries left (0–15). */
export function verifyFailed(triesLeft: number): number {
  if (!Number.isInteger(triesLeft) || triesLeft < 0 || triesLeft > 15) throw new RangeError(`tries left ${triesLeft} does not fit 63Cx`);
  return StatusWord.VERIFY_FAILED | triesLeft;
}

/** A human-readable meaning, e.g. "6A82 file or application not found" or "63C2 verification failed, 2 tries left". */
export function describeStatusWord(sw: number): string {
  if ((sw & 0xfff0) === StatusWord.VERIFY_FAILED) {
    const left = sw & 0x0f;
    return `${swHex(sw)} verification failed, ${left} ${left === 1 ? 'try' : 'tries'} left`;
  }
  return `${swHex(sw)} ${MEANINGS[sw] ?? 'unknown status'}`;
}

const INSTRUCTION_NAMES: Readonly<Record<number, string>> = {
  0xa4: 'SELECT',
  0xb0: 'READ BINARY',
  0xb2: 'READ RECORD',
  0x20: 'VERIFY',
  0x24: 'CHANGE REFERENCE DATA',
  0x2a: 'PERFORM SECURITY OPERATION',
  0x88: 'INTERNAL AUTHENTICATE',
  0xc0: 'GET RESPONSE',
  0xca: 'GET DATA',
};

export interface CommandApduFields {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc is its length); absent or empty means no Lc field. */
  data?: Uint8Array;
  /** Ne, the most response data expected: 1–256 short (256 is written 00), up to 65536 extended. Absent: no Le field. */
  le?: number;
  /** Force the extended form even when the short form would do (e.g. to reproduce `00 B0 8A 00 00 00 00`). */
  extended?: boolean;
}

const checkByte = (name: string, value: number): void => {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new MalformedApduError(`${name} must be a byte (0–255), got ${value}`);
};

/**
 * A command APDU. Its string, JSON and inspect forms show the header and data length only, because
 * a VERIFY carries the PIN in its data and must never end up in a log.
 */
export class CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Buffer;
  readonly le: number | undefined;
  /** Whether toBytes() writes the extended form (Lc/Le of 3/2 bytes). */
  readonly extended: boolean;

  constructor(fields: CommandApduFields) {
    const { cla, ins, p1, p2, data, le } = fields;
    checkByte('CLA', cla);
    checkByte('INS', ins);
    checkByte('P1', p1);
    checkByte('P2', p2);
    if (data !== undefined && data.length > 0xffff) throw new MalformedApduError(`command data of ${data.length} bytes exceeds 65535`);
    if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 0x10000)) {
      throw new MalformedApduError(`Le must be 1–65536 expected bytes (256 is written 00 short), got ${le}`);
    }
    this.cla = cla;
    this.ins = ins;
    this.p1 = p1;
    this.p2 = p2;
    this.data = Buffer.from(data ?? []);
    this.le = le;
    const hasBody = this.data.length > 0 || le !== undefined;
    this.extended = hasBody && (fields.extended === true || this.data.length > 0xff || (le ?? 0) > 0x100);
  }

  /** The name of the instruction, e.g. "READ BINARY"; CLA 80 INS 2A is JPKI's COMPUTE DIGITAL SIGNATURE. */
  get name(): string {
    if (this.cla === 0x80 && this.ins === 0x2a) return 'COMPUTE DIGITAL SIGNATURE';
    return INSTRUCTION_NAMES[this.ins] ?? `INS ${hex2(this.ins)}`;
  }

  /** e.g. "VERIFY (00 20 00 80, 4 data bytes)": safe to log, never shows the data. */
  describe(): string {
    const parts = [toHex(Buffer.from([this.cla, this.ins, this.p1, this.p2]))];
    if (this.data.length > 0) parts.push(`${this.data.length} data byte${this.data.length === 1 ? '' : 's'}`);
    if (this.le !== undefined) parts.push(`Le ${this.le}`);
    return `${this.name} (${parts.join(', ')})`;
  }

  toBytes(): Buffer {
    const header = [this.cla, this.ins, this.p1, this.p2];
    const lc = this.data.length;
    const le = this.le;
    if (!this.extended) {
      const tail = le === undefined ? [] : [le & 0xff]; // 256 → 00
      return Buffer.concat([Buffer.from(header), lc > 0 ? Buffer.from([lc]) : Buffer.alloc(0), this.data, Buffer.from(tail)]);
    }
    const leBytes = le === undefined ? [] : [(le >> 8) & 0xff, le & 0xff]; // 65536 → 00 00
    if (lc === 0) return Buffer.from([...header, 0x00, ...leBytes]);
    return Buffer.concat([Buffer.from([...header, 0x00, lc >> 8, lc & 0xff]), this.data, Buffer.from(leBytes)]);
  }

  /** Decodes ISO 7816-4 cases 1, 2S, 3S, 4S, 2E, 3E and 4E; anything else is a MalformedApduError. */
  static parse(bytes: Uint8Array): CommandApdu {
    const b = Buffer.from(bytes);
    const fail = (why: string): never => {
      // Show the header only: the data of a malformed VERIFY could still be a PIN.
      throw new MalformedApduError(`${b.length}-byte command ${b.length >= 4 ? `starting ${toHex(b.subarray(0, 4))} ` : ''}is not an APDU: ${why}`);
    };
    if (b.length < 4) fail('a command needs at least the 4 header bytes CLA INS P1 P2');
    const [cla, ins, p1, p2] = b as unknown as [number, number, number, number];
    const header = { cla, ins, p1, p2 };
    if (b.length === 4) return new CommandApdu(header); // case 1
    const b4 = b[4]!;
    if (b.length === 5) return new CommandApdu({ ...header, le: b4 || 0x100 }); // case 2S
    if (b4 !== 0) {
      const data = b.subarray(5, 5 + b4);
      if (b.length === 5 + b4) return new CommandApdu({ ...header, data }); // case 3S
      if (b.length === 6 + b4) return new CommandApdu({ ...header, data, le: b[5 + b4]! || 0x100 }); // case 4S
      fail(`Lc says ${b4} data bytes, which does not match the length`);
    }
    if (b.length < 7) fail('an extended length field needs 3 bytes');
    const n = (b[5]! << 8) | b[6]!;
    if (b.length === 7) return new CommandApdu({ ...header, le: n || 0x10000, extended: true }); // case 2E
    if (n === 0) fail('extended Lc is 0 but data follows');
    const data = b.subarray(7, 7 + n);
    if (b.length === 7 + n) return new CommandApdu({ ...header, data, extended: true }); // case 3E
    if (b.length === 9 + n) {
      const le = (b[7 + n]! << 8) | b[8 + n]!;
      return new CommandApdu({ ...header, data, le: le || 0x10000, extended: true }); // case 4E
    }
    return fail(`extended Lc says ${n} data bytes, which does not match the length`);
  }

  toString(): string {
    return this.describe();
  }

  toJSON(): { cla: number; ins: number; p1: number; p2: number; dataLength: number; le?: number } {
    return { cla: this.cla, ins: this.ins, p1: this.p1, p2: this.p2, dataLength: this.data.length, ...(this.le === undefined ? {} : { le: this.le }) };
  }

  [inspect.custom](): string {
    return `CommandApdu ${this.describe()}`;
  }
}

/** A response APDU: data then SW1 SW2. */
export class ResponseApdu {
  readonly data: Buffer;
  readonly sw1: number;
  readonly sw2: number;

  constructor(data: Uint8Array, sw1: number, sw2: number) {
    checkByte('SW1', sw1);
    checkByte('SW2', sw2);
    this.data = Buffer.from(data);
    this.sw1 = sw1;
    this.sw2 = sw2;
  }

  /** A response with no data and the given 16-bit status word. */
  static status(sw: number, data: Uint8Array = Buffer.alloc(0)): ResponseApdu {
    return new ResponseApdu(data, (sw >> 8) & 0xff, sw & 0xff);
  }

  static from(bytes: Uint8Array): ResponseApdu {
    if (bytes.length < 2) throw new MalformedResponseError(bytes);
    return new ResponseApdu(bytes.subarray(0, bytes.length - 2), bytes[bytes.length - 2]!, bytes[bytes.length - 1]!);
  }

  get sw(): number {
    return (this.sw1 << 8) | this.sw2;
  }

  get ok(): boolean {
    return this.sw === StatusWord.OK;
  }

  toBytes(): Buffer {
    return Buffer.concat([this.data, Buffer.from([this.sw1, this.sw2])]);
  }

  toString(): string {
    return `${this.data.length} data bytes, ${describeStatusWord(this.sw)}`;
  }
}
