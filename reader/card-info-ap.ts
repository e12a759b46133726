// The 券面事項入力補助AP (card-info input support AP) as both the card and its client see it: AID, files, and the
// byte layout of EF 0001 (My Number) and EF 0002 (basic 4 info). Values from the spec §3; choices are marked.
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { CARD_INFO_INPUT_SUPPORT_AP_AID } from './jpki-ap.ts';

/** 券面事項入力補助AP, `D3 92 10 00 31 00 01 01 04 08`. */
export const CARD_INFO_AP_AID = CARD_INFO_INPUT_SUPPORT_AP_AID;

/** Elementary files of the 券面事項入力補助AP that are emulated (FIDs; the SFI is the low byte). */
export const CardInfoEf = {
  /** 個人番号 (My Number), `FF 10 0C <12 digits> FF FF`; needs the PIN of EF 0011. */
  MY_NUMBER: 0x0001,
  /** 基本4情報 (name, address, birth date, sex), `FF 20 82 HH LL …`; needs the PIN of EF 0011. */
  BASIC_FOUR: 0x0002,
  /** The signature over EF 0001 and EF 0002: `FF 30 { DF 31 hash, DF 32 hash, DF 33 signature }`; free to read. */
  SIGNATURE: 0x0003,
  /** The signer's certificate: `7F 21 { 5F 4E contents, 5F 37 signature }`; free to read. */
  SIGNER_CERTIFICATE: 0x0004,
  /** AP基本情報: `FF 40 82 00 9F { DF 41 AP info, DF 42 key id, DF 43 … }`, 164 bytes; free to read. */
  BASIC_INFO: 0x0005,
  /** 券面事項入力補助用暗証番号: 4 digits, 3 tries, its own counter. */
  PIN: 0x0011,
  /** 照合番号A: the 12-digit My Number used as a PIN; opens EF 0001 and EF 0002 as the PIN does. */
  PIN_A: 0x0014,
  /** 照合番号B: birth YYMMDD + the card's expiry year YYYY + its 4-digit security code (14 digits). */
  PIN_B: 0x0015,
} as const;

export const CARD_INFO_PIN_MAX_TRIES = 3;
/**
 * Tries of a 照合番号 (A or B, in this AP and in the 券面事項確認AP). UNCONFIRMED: no source states it, but jsapdu's
 * card dump refuses to VERIFY them unless the counter query answers at least 10 (`ensureRetryCount(10)`), as it asks
 * 3 of the 3-try PIN, so 10 is taken as their full count. Each 照合番号 EF has its own counter (also UNCONFIRMED).
 */
export const MATCHING_NUMBER_MAX_TRIES = 10;

/** 照合番号A: the My Number itself. */
export const isMatchingNumberA = (text: string): boolean => /^[0-9]{12}$/.test(text);
/** 照合番号B: YYMMDD + YYYY + 4 digits. */
export const isMatchingNumberB = (text: string): boolean => /^[0-9]{14}$/.test(text);

/**
 * 照合番号B of a card: the holder's birth date as YYMMDD, the year the card expires and the card's security code, as
 * jpki-rs and jsapdu write it (spec §3, §4: the 14-digit form, not jpki-rs's YYYYMMDD comment).
 */
export function matchingNumberB(birthDate: string, cardExpires: string, securityCode: string): string {
  return birthDate.slice(2, 4) + birthDate.slice(5, 7) + birthDate.slice(8, 10) + cardExpires.slice(0, 4) + securityCode;
}

/** EF 0001 is 17 bytes: `FF 10 0C`, 12 ASCII digits, `FF FF` (spec §3 trace). Clients read exactly this much. */
export const MY_NUMBER_EF_SIZE = 17;

/** Tags of EF 0001 and EF 0002. `FF 10`/`FF 20` are private constructed tags 16/32 written in long form. */
export const CardInfoTag = {
  MY_NUMBER: 0xff10,
  BASIC_FOUR: 0xff20,
  /** Offsets header; our layout, see encodeBasicFourEf. */
  HEADER: 0xdf21,
  NAME: 0xdf22,
  ADDRESS: 0xdf23,
  /** `YYYYMMDD`, ASCII. */
  BIRTH: 0xdf24,
  /** ISO 5218 code, one ASCII byte. */
  SEX: 0xdf25,
} as const;

export type CardSex = 'male' | 'female' | 'not-applicable';

/** ISO 5218 codes as the card writes them (spec §3): 1 male, 2 female, 9 not applicable. */
export const SEX_CODES: Readonly<Record<CardSex, string>> = { male: '1', female: '2', 'not-applicable': '9' };

/** The basic 4 information (基本4情報) as the kiosk uses it. */
export interface BasicFourInfo {
  /** Name as printed on the card, UTF-8 on the card (rare kanji such as 𠮷 are 4-byte UTF-8). */
  name: string;
  address: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: CardSex;
}

/** A value that cannot be written into an EF of this AP. Never quotes the value: it is personal data. */
export class CardInfoEncodingError extends Error {
  override readonly name = 'CardInfoEncodingError';
}

/**
 * BER length octets. Below 128 the short form; from 128 the long forms `81 xx` and `82 xx xx`. The spec says how the
 * real card writes inner lengths ≥128 is UNCONFIRMED: minimal long form is our choice, because every BER parser
 * (myna, jsapdu, OpenSC's asn1) reads it.
 */
export function berLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw new CardInfoEncodingError(`a BER length of ${length} does not fit 0–65535`);
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

/** A TLV with a two-byte tag (`DF xx`, `FF xx`, `5F xx`, `7F xx`). */
export const tlv = (tag: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([tag >> 8, tag & 0xff]), berLength(value.length), value]);

/** A constructed TLV whose length is always the 3-byte long form `82 HH LL`, as the real card writes its EFs' outer TLV. */
export function outerTlv(tag: number, value: Buffer): Buffer {
  if (value.length > 0xffff) throw new CardInfoEncodingError(`an EF of ${value.length} bytes does not fit 65535`);
  return Buffer.concat([Buffer.from([tag >> 8, tag & 0xff, 0x82, value.length >> 8, value.length & 0xff]), value]);
}

/**
 * An RSA public key as the 券面 APs write it: the exponent's TLV, then the modulus's, each with a one-byte tag (jsapdu's
 * `decodePublicKey` reads two TLVs in that order and ignores their tags). The tags are UNCONFIRMED; ours are ISO
 * 7816-8's public-key data objects, `82` exponent and `81` modulus, with the modulus unsigned (no leading 00): for
 * RSA-2048 and e = 65537 that is 265 bytes, which makes EF 0004 the 568 bytes myna read from a real card.
 */
export function encodeRsaPublicKey(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const n = Buffer.from(jwk.n!, 'base64url');
  const e = Buffer.from(jwk.e!, 'base64url');
  return Buffer.concat([Buffer.from([0x82]), berLength(e.length), e, Buffer.from([0x81]), berLength(n.length), n]);
}

/** The key of encodeRsaPublicKey's bytes back (a client's view; throws on anything else). */
export function decodeRsaPublicKey(bytes: Buffer): KeyObject {
  const read = (at: number, tag: number) => {
    if (bytes[at] !== tag) throw new CardInfoEncodingError(`expected tag ${tag.toString(16)} at byte ${at}`);
    let length = bytes[at + 1]!;
    let start = at + 2;
    if (length === 0x81) [length, start] = [bytes[at + 2]!, at + 3];
    else if (length === 0x82) [length, start] = [bytes.readUInt16BE(at + 2), at + 4];
    return { value: bytes.subarray(start, start + length), end: start + length };
  };
  const e = read(0, 0x82);
  const n = read(e.end, 0x81);
  return createPublicKey({ key: { kty: 'RSA', n: n.value.toString('base64url'), e: e.value.toString('base64url') }, format: 'jwk' });
}

/** EF 0001: `FF 10 0C <12 ASCII digits> FF FF`, exactly as the real trace (spec §3). */
export function encodeMyNumberEf(myNumber: string): Buffer {
  if (typeof myNumber !== 'string' || !/^[0-9]{12}$/.test(myNumber)) throw new CardInfoEncodingError('a My Number is exactly 12 ASCII digits');
  return Buffer.concat([Buffer.from([0xff, 0x10, 0x0c]), Buffer.from(myNumber, 'ascii'), Buffer.from([0xff, 0xff])]);
}

/**
 * EF 0002:
 * ```
 * FF 20 82 HH LL                 outer length always 3-byte long form, as the real card's `82 00 9F` (spec §3)
 *   DF 21 08 <4 × 2-byte offset>  our choice: big-endian offsets of the DF 22, DF 23, DF 24, DF 25 items (their tag
 *                                 byte), counted from the first byte of the outer value (the DF of DF 21, i.e. 0)
 *   DF 22 <len> <name UTF-8>
 *   DF 23 <len> <address UTF-8>
 *   DF 24 08 <YYYYMMDD>
 *   DF 25 01 <'1' | '2' | '9'>
 * ```
 * Inner lengths ≥128 use `81 xx` / `82 xx xx` (berLength). No padding follows the outer TLV (the real EF's size is
 * UNCONFIRMED; clients take the size from the outer length).
 */
export function encodeBasicFourEf(info: BasicFourInfo): Buffer {
  const birth = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(info.birthDate);
  if (!birth) throw new CardInfoEncodingError('the birth date must be written YYYY-MM-DD');
  const sex = SEX_CODES[info.sex];
  if (sex === undefined) throw new CardInfoEncodingError(`sex must be male, female or not-applicable, got ${String(info.sex)}`);
  const items = [
    tlv(CardInfoTag.NAME, Buffer.from(info.name, 'utf8')),
    tlv(CardInfoTag.ADDRESS, Buffer.from(info.address, 'utf8')),
    tlv(CardInfoTag.BIRTH, Buffer.from(birth[1]! + birth[2]! + birth[3]!, 'ascii')),
    tlv(CardInfoTag.SEX, Buffer.from(sex, 'ascii')),
  ];
  const header = Buffer.alloc(8);
  let offset = 2 + 1 + header.length; // DF 21 08 <8 bytes>
  items.forEach((item, i) => {
    header.writeUInt16BE(offset, i * 2);
    offset += item.length;
  });
  const value = Buffer.concat([tlv(CardInfoTag.HEADER, header), ...items]);
  if (value.length > 0xffff) throw new CardInfoEncodingError(`the basic 4 information takes ${value.length} bytes, more than 65535`);
  return outerTlv(CardInfoTag.BASIC_FOUR, value);
}

/**
 * The signer of the AP's data, as the card carries it: EF 0004 is its certificate (the same on every card of one
 * signer), and it signs each card's EF 0003. Real cards are signed by J-LIS; what exactly is signed and how the public
 * key is written are UNCONFIRMED (spec §3 gives the tags and, from myna, the sizes read: 336 and 568 bytes). Ours:
 * SHA-256 hashes of EF 0001 and EF 0002 as read, an RSA PKCS#1 v1.5 SHA-256 signature over the two hash TLVs, and
 * the certificate's contents = issuer id (16 bytes) + subject id (16 bytes) + the RSAPublicKey DER, self-signed.
 */
export interface CardInfoSigner {
  issuerId: string;
  subjectId: string;
  key: KeyObject;
}

/**
 * EF 0004: `7F 21 82 HH LL { 5F 4E 82 HH LL <issuer id><subject id><public key>, 5F 37 82 01 00 <signature> }`, the
 * public key as encodeRsaPublicKey writes it: 568 bytes, as myna read.
 */
export function encodeSignerCertificateEf(signer: CardInfoSigner): Buffer {
  const id = (text: string) => {
    const b = Buffer.from(text, 'ascii');
    if (b.length !== 16) throw new CardInfoEncodingError('a signer id is 16 ASCII characters');
    return b;
  };
  const contents = Buffer.concat([id(signer.issuerId), id(signer.subjectId), encodeRsaPublicKey(signer.key)]);
  return outerTlv(0x7f21, Buffer.concat([outerTlv(0x5f4e, contents), outerTlv(0x5f37, sign('sha256', contents, signer.key))]));
}

/**
 * AP基本情報 (EF 0005 here, EF 0003 of the 券面事項確認AP): `FF 40 82 00 9F`, 164 bytes as a real card's (myna's test
 * vector gives the header). DF 41 (4 bytes, the AP's information) and DF 42 (16 bytes, a key id) are known by tag and
 * length only; ours are `01 00 00 00` (version 1) and the signer's subject id. The remaining 133 bytes fit one
 * `DF 43 82 00 80` item of 128 bytes, whose meaning is unknown: ours is filled with FF, as unwritten card memory.
 */
export function encodeApBasicInfoEf(signer: CardInfoSigner): Buffer {
  const keyId = Buffer.from(signer.subjectId, 'ascii');
  if (keyId.length !== 16) throw new CardInfoEncodingError('a signer id is 16 ASCII characters');
  return outerTlv(0xff40, Buffer.concat([tlv(0xdf41, Buffer.from([0x01, 0x00, 0x00, 0x00])), tlv(0xdf42, keyId), outerTlv(0xdf43, Buffer.alloc(128, 0xff))]));
}

/** EF 0003: `FF 30 82 HH LL { DF 31 20 <SHA-256 of EF 0001>, DF 32 20 <SHA-256 of EF 0002>, DF 33 82 01 00 <signature> }`. */
export function encodeCardInfoSignatureEf(myNumberEf: Buffer, basicFourEf: Buffer, signer: CardInfoSigner): Buffer {
  const hashes = Buffer.concat([
    tlv(0xdf31, createHash('sha256').update(myNumberEf).digest()),
    tlv(0xdf32, createHash('sha256').update(basicFourEf).digest()),
  ]);
  return outerTlv(0xff30, Buffer.concat([hashes, outerTlv(0xdf33, sign('sha256', hashes, signer.key))]));
}
