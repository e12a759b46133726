// What the kiosk asks of the 券面事項入力補助AP (card-info input support AP): the PIN of EF 0011, the My Number
// (EF 0001) and the basic 4 information (EF 0002), as the public clients read them (spec §3).
// The My Number and the basic 4 information are personal data: no error message here ever quotes them.
import { CardInfoEf, CardInfoTag, CARD_INFO_AP_AID, CARD_INFO_PIN_MAX_TRIES, MY_NUMBER_EF_SIZE, type BasicFourInfo, type CardSex } from './card-info-ap.ts';
import { toHex, type CommandApdu, type ResponseApdu } from './apdu.ts';
import {
  ApChannel,
  CardStatusError,
  InvalidPinFormatError,
  MAX_OFFSET,
  PinRequiredError,
  READ_CHUNK,
  fidHex,
  readBinary,
  type PinVerification,
} from './ap-channel.ts';
import { isFourDigitPin } from './jpki-ap.ts';
import type { CardSession } from './session.ts';

export type { BasicFourInfo, CardSex } from './card-info-ap.ts';

/**
 * An EF of the 券面事項入力補助AP did not have the layout every client relies on. `answered` describes what came
 * back by its framing bytes only (tags, lengths, byte counts), never the personal data inside.
 */
export class CardDataFormatError extends Error {
  override readonly name = 'CardDataFormatError';
  constructor(
    /** The step, e.g. "READ BINARY EF 0001". */
    readonly command: string,
    readonly answered: string,
    readonly expected: string,
  ) {
    super(`${command}: the card answered ${answered} where ${expected} was expected; this is not what a My Number Card holds — remove the card and place it again, and ask staff if it keeps happening`);
  }
}

/** Bytes that are not BER-TLV. The reason names offsets and framing bytes only. */
export class BerTlvError extends Error {
  override readonly name = 'BerTlvError';
}

/** One BER-TLV item. */
export interface BerTlv {
  /** The tag bytes as one number, e.g. 0xFF20 or 0xDF22. */
  tag: number;
  /** Bytes of tag and length together (e.g. 5 for `FF 20 82 HH LL`). */
  headerLength: number;
  /** The value's length as the length octets say. */
  length: number;
  value: Buffer;
}

/** Tag numbers above this are refused, so that a tag fits a plain number (3 tag bytes). */
const MAX_TAG_BYTES = 3;

/**
 * Reads the tag and length of the item at `offset`. Accepts what the real card writes and strict DER refuses: a
 * long-form tag for a small number (`FF 10`), and a long-form length that is not minimal (`82 00 9F`). Refuses the
 * indefinite form (`80`) and lengths of more than 3 bytes.
 */
export function parseBerTlvHeader(bytes: Uint8Array, offset = 0): { tag: number; headerLength: number; length: number } {
  let i = offset;
  const need = (what: string): number => {
    if (i >= bytes.length) throw new BerTlvError(`the data ends at byte ${bytes.length} inside the ${what} of the item at offset ${offset}`);
    return bytes[i++]!;
  };
  const first = need('tag');
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    // Long-form tag: subsequent bytes while bit 8 is set.
    let next: number;
    do {
      next = need('tag');
      tag = tag * 0x100 + next;
      if (i - offset > MAX_TAG_BYTES) throw new BerTlvError(`the tag at offset ${offset} is longer than ${MAX_TAG_BYTES} bytes`);
    } while (next & 0x80);
  }
  const lengthByte = need('length');
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else if (lengthByte === 0x80) {
    throw new BerTlvError(`the item at offset ${offset} uses the indefinite length form (80), which a card EF never has`);
  } else {
    const count = lengthByte & 0x7f;
    if (count > 3) throw new BerTlvError(`the item at offset ${offset} has a ${count}-byte length (${lengthByte.toString(16).toUpperCase()}); at most 3 are accepted`);
    length = 0;
    for (let n = 0; n < count; n += 1) length = length * 0x100 + need('length');
  }
  return { tag, headerLength: i - offset, length };
}

/** Splits `bytes` into consecutive BER-TLV items; the last must end exactly at the end of `bytes`. */
export function parseBerTlvs(bytes: Uint8Array): BerTlv[] {
  const items: BerTlv[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < buffer.length; ) {
    const { tag, headerLength, length } = parseBerTlvHeader(buffer, offset);
    const start = offset + headerLength;
    if (start + length > buffer.length) {
      throw new BerTlvError(`the item at offset ${offset} (tag ${tag.toString(16).toUpperCase()}) says ${length} bytes but only ${buffer.length - start} follow`);
    }
    items.push({ tag, headerLength, length, value: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return items;
}

const SEX_BY_CODE: Readonly<Record<string, CardSex>> = { '1': 'male', '2': 'female', '9': 'not-applicable' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const tagHex = (tag: number): string => toHex(Buffer.from(tag.toString(16).padStart(tag > 0xffff ? 6 : tag > 0xff ? 4 : 2, '0'), 'hex'));

/** `00 B0 00 00 07`: enough for `FF 20 82 HH LL` and a little more, as myna reads it. */
const BASIC_FOUR_HEAD_BYTES = 7;

export class CardInfoClient {
  /** Shares the session's record of the selected AP with JpkiClient (see ap-channel.ts). */
  readonly #ap: ApChannel;

  constructor(session: CardSession) {
    this.#ap = new ApChannel(session, CARD_INFO_AP_AID, 'card-info AP (券面事項入力補助AP)');
  }

  /** Tries left on the PIN of EF 0011, asked with an empty VERIFY, which never costs a try. */
  async triesLeft(): Promise<number> {
    return this.#ap.pinTriesLeft(CardInfoEf.PIN, 'VERIFY card-info PIN (retry counter)', CARD_INFO_PIN_MAX_TRIES);
  }

  /** One VERIFY of the PIN of EF 0011. The PIN is checked to be 4 digits before anything is sent. */
  async verify(pin: string): Promise<PinVerification> {
    if (typeof pin !== 'string' || !isFourDigitPin(pin)) throw new InvalidPinFormatError('card-info');
    return this.#ap.verifyPin(CardInfoEf.PIN, 'VERIFY card-info PIN', Buffer.from(pin, 'ascii'));
  }

  /**
   * The 12-digit My Number from EF 0001 (`FF 10 0C <12 digits> FF FF`), read as 17 bytes like the public clients.
   * Needs verify() in this session first, or PinRequiredError.
   */
  async readMyNumber(): Promise<string> {
    await this.#ap.selectAp();
    await this.#ap.selectEf(CardInfoEf.MY_NUMBER);
    const name = `READ BINARY EF ${fidHex(CardInfoEf.MY_NUMBER)}`;
    const data = (await this.#read(name, readBinary(0, MY_NUMBER_EF_SIZE))).data;
    const head = data.subarray(0, 3);
    if (head.length < 3 || head[0] !== 0xff || head[1] !== 0x10 || head[2] !== 0x0c) {
      throw new CardDataFormatError(name, head.length ? toHex(head) : 'no data', 'FF 10 0C (the My Number tag and a length of 12)');
    }
    if (data.length < 15) {
      throw new CardDataFormatError(name, `${data.length} bytes`, 'at least 15 bytes (FF 10 0C and 12 digits)');
    }
    const digits = data.subarray(3, 15).toString('latin1');
    if (!/^[0-9]{12}$/.test(digits)) throw new CardDataFormatError(name, '12 bytes that are not all ASCII digits', '12 ASCII digits');
    return digits;
  }

  /**
   * The basic 4 information from EF 0002. Reads 7 bytes, takes the size from the outer `FF 20` length (any BER form,
   * the real card writes `82 HH LL`), reads the rest in ≤256-byte pieces, then finds DF 22–DF 25 by tag; the DF 21
   * offsets header is not needed for that. Needs verify() in this session first, or PinRequiredError.
   */
  async readBasicFour(): Promise<BasicFourInfo> {
    await this.#ap.selectAp();
    await this.#ap.selectEf(CardInfoEf.BASIC_FOUR);
    const name = `READ BINARY EF ${fidHex(CardInfoEf.BASIC_FOUR)}`;
    const head = (await this.#read(name, readBinary(0, BASIC_FOUR_HEAD_BYTES))).data;
    let outer: { tag: number; headerLength: number; length: number };
    try {
      outer = parseBerTlvHeader(head);
    } catch (error) {
      if (!(error instanceof BerTlvError)) throw error;
      throw new CardDataFormatError(name, `${toHex(head.subarray(0, 5)) || 'no data'} (${error.message})`, 'FF 20 and a BER length');
    }
    if (outer.tag !== CardInfoTag.BASIC_FOUR) {
      throw new CardDataFormatError(name, `the tag ${tagHex(outer.tag)}`, `the tag ${tagHex(CardInfoTag.BASIC_FOUR)} (basic 4 information)`);
    }
    const total = outer.headerLength + outer.length;
    if (total > MAX_OFFSET + 1) {
      throw new CardDataFormatError(name, `a length of ${outer.length} bytes`, `at most ${MAX_OFFSET + 1 - outer.headerLength} bytes (what READ BINARY can address)`);
    }
    const chunks = [head];
    for (let offset = head.length; offset < total; ) {
      const want = Math.min(READ_CHUNK, total - offset);
      const data = (await this.#read(name, readBinary(offset, want))).data;
      if (data.length !== want) {
        throw new CardDataFormatError(name, `${data.length} bytes at offset ${offset}`, `${want} bytes (the FF 20 length says the EF holds ${total})`);
      }
      chunks.push(data);
      offset += want;
    }
    const ef = Buffer.concat(chunks);
    if (ef.length < total) {
      throw new CardDataFormatError(name, `${ef.length} bytes in all`, `${total} bytes (the FF 20 length)`);
    }
    let items: BerTlv[];
    try {
      items = parseBerTlvs(ef.subarray(outer.headerLength, total));
    } catch (error) {
      if (!(error instanceof BerTlvError)) throw error;
      throw new CardDataFormatError(name, `a value that is not BER-TLV (${error.message})`, 'DF 21–DF 25 items');
    }
    const item = (tag: number, what: string): Buffer => {
      const found = items.find((candidate) => candidate.tag === tag);
      if (!found) throw new CardDataFormatError(name, `items ${items.map((i) => tagHex(i.tag)).join(', ') || 'none'}`, `a ${tagHex(tag)} item (${what})`);
      return found.value;
    };
    const text = (tag: number, what: string): string => {
      try {
        return utf8.decode(item(tag, what));
      } catch (error) {
        if (error instanceof CardDataFormatError) throw error;
        throw new CardDataFormatError(name, `a ${tagHex(tag)} item that is not UTF-8`, `the ${what} in UTF-8`);
      }
    };
    const birth = item(CardInfoTag.BIRTH, 'birth date').toString('latin1');
    if (!/^[0-9]{8}$/.test(birth)) {
      throw new CardDataFormatError(name, `a ${tagHex(CardInfoTag.BIRTH)} item of ${birth.length} bytes that are not 8 digits`, 'YYYYMMDD');
    }
    const sex = SEX_BY_CODE[item(CardInfoTag.SEX, 'sex').toString('latin1')];
    if (!sex) throw new CardDataFormatError(name, `a ${tagHex(CardInfoTag.SEX)} item that is not 1, 2 or 9`, 'an ISO 5218 sex code (1, 2 or 9)');
    return {
      name: text(CardInfoTag.NAME, 'name'),
      address: text(CardInfoTag.ADDRESS, 'address'),
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      sex,
    };
  }

  /** A READ BINARY that must succeed; 6982 means the PIN of EF 0011 is not verified in this session. */
  async #read(name: string, command: CommandApdu): Promise<ResponseApdu> {
    try {
      return await this.#ap.expectOk(name, command);
    } catch (error) {
      if (error instanceof CardStatusError && error.sw === 0x6982) throw new PinRequiredError(name, 'card-info', error.sw);
      throw error;
    }
  }
}
