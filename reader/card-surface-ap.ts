// The 券面事項確認AP (card-surface confirmation AP) as both the card and its client see it: the card's printed face as
// data, for a counter clerk's or a shop's identity check. AID, files and byte layout from spec §4 (jsapdu's schemas,
// jpki-rs, myna); what no source gives is marked UNCONFIRMED and chosen here.
import { sign } from 'node:crypto';
import { CardInfoEncodingError, encodeRsaPublicKey, outerTlv, tlv, SEX_CODES, type CardInfoSigner, type CardSex } from './card-info-ap.ts';

/** 券面事項確認AP, `D3 92 10 00 31 00 01 01 04 02`. */
export const CARD_SURFACE_AP_AID = Buffer.from('D3921000310001010402', 'hex');

/** Elementary files of the 券面事項確認AP that are emulated (FIDs; the SFI is the low byte). */
export const CardSurfaceEf = {
  /** 生年月日: `FF 10 { DF 11 birth, DF 12 public key, DF 13 signature }`; needs 照合番号A or B. */
  BIRTH: 0x0001,
  /** 券面事項: the card's front as data and pictures (encodeSurfaceEntriesEf); needs 照合番号A or B. */
  ENTRIES: 0x0002,
  /** AP基本情報, as the 券面事項入力補助AP's EF 0005; free to read. */
  BASIC_INFO: 0x0003,
  /** The signer's certificate, as the 券面事項入力補助AP's EF 0004; free to read. */
  SIGNER_CERTIFICATE: 0x0004,
  /** 個人番号 as printed on the back: `FF 40 { DF 41 PNG, DF 42 public key, DF 43 signature }`; needs 照合番号A. */
  MY_NUMBER: 0x0005,
  /** 照合番号B: birth YYMMDD + expiry year YYYY + security code; opens the front only (jpki-rs). */
  PIN_B: 0x0012,
  /** 照合番号A: the 12-digit My Number; opens the front and the back. */
  PIN_A: 0x0013,
} as const;

/** Tags of EF 0002, in the order they are written (jsapdu's schemaKenkakuEntries, myna's visual.rs). */
export const SurfaceTag = {
  ENTRIES: 0xff20,
  HEADER: 0xdf21,
  /** `YYYYMMDD` ASCII (UNCONFIRMED: the format the 券面事項入力補助AP uses). */
  BIRTH: 0xdf22,
  /** ISO 5218, one ASCII byte. */
  SEX: 0xdf23,
  PUBLIC_KEY: 0xdf24,
  NAME_PNG: 0xdf25,
  ADDRESS_PNG: 0xdf26,
  FACE_JPEG2000: 0xdf27,
  SIGNATURE: 0xdf28,
  /** The card's last day, `YYYYMMDD` ASCII (UNCONFIRMED format). */
  EXPIRES: 0xdf29,
  SECURITY_CODE_PNG: 0xdf2a,
} as const;

/** What the card's front shows, as data and as the pictures the card holds. */
export interface CardSurface {
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: CardSex;
  /** `YYYY-MM-DD`: the card's own expiry (not its certificates'). */
  expires: string;
  /** The name as printed, a PNG. */
  namePng: Buffer;
  /** The address as printed, a PNG. */
  addressPng: Buffer;
  /** The face photograph, a JPEG 2000 codestream. */
  faceJpeg2000: Buffer;
  /** The 4-digit security code as printed, a PNG. */
  securityCodePng: Buffer;
  /** The My Number as printed on the back, a PNG. */
  myNumberPng: Buffer;
}

const compactDate = (date: string): Buffer => {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) throw new CardInfoEncodingError('a date must be written YYYY-MM-DD');
  return Buffer.from(date.replaceAll('-', ''), 'ascii');
};

/**
 * The signature each of these EFs carries: RSA PKCS#1 v1.5 with SHA-256 by the AP's signer, over the TLVs written
 * before it in the same EF. What a real card signs and with what is UNCONFIRMED; this is verifiable by a client with
 * the signer's certificate (EF 0004), as a counter's checking software would.
 */
const signed = (items: Buffer, signer: CardInfoSigner): Buffer => sign('sha256', items, signer.key);

/**
 * EF 0002:
 * ```
 * FF 20 82 HH LL
 *   DF 21 12 <9 × 2-byte offset>   our choice, as EF 0002 of the 入力補助AP: big-endian offsets of the items that
 *                                  follow (their tag byte), counted from the first byte of the outer value
 *   DF 22 08 <YYYYMMDD>  DF 23 01 <sex>  DF 24 <public key>  DF 25 <name PNG>  DF 26 <address PNG>
 *   DF 27 <face JPEG 2000>  DF 28 82 01 00 <signature over DF 21…DF 27>  DF 29 08 <expiry YYYYMMDD>
 *   DF 2A <security code PNG>
 * ```
 * The public key is the one DF 28 verifies with, the signer's (written as encodeRsaPublicKey does; EF 0004 certifies
 * it). Which key a real card writes there is UNCONFIRMED. That an expiry and a security code follow the signature
 * suggests they were added later (UNCONFIRMED), so they are outside it.
 */
export function encodeSurfaceEntriesEf(surface: Omit<CardSurface, 'myNumberPng'>, signer: CardInfoSigner): Buffer {
  const sex = SEX_CODES[surface.sex];
  if (sex === undefined) throw new CardInfoEncodingError('sex must be male, female or not-applicable');
  const before = [
    tlv(SurfaceTag.BIRTH, compactDate(surface.birthDate)),
    tlv(SurfaceTag.SEX, Buffer.from(sex, 'ascii')),
    tlv(SurfaceTag.PUBLIC_KEY, encodeRsaPublicKey(signer.key)),
    tlv(SurfaceTag.NAME_PNG, surface.namePng),
    tlv(SurfaceTag.ADDRESS_PNG, surface.addressPng),
    tlv(SurfaceTag.FACE_JPEG2000, surface.faceJpeg2000),
  ];
  const header = Buffer.alloc(18);
  const after = [tlv(SurfaceTag.EXPIRES, compactDate(surface.expires)), tlv(SurfaceTag.SECURITY_CODE_PNG, surface.securityCodePng)];
  // Offsets of DF 22 … DF 2A; the signature's length is known before it is made (256 bytes, 5 of tag and length).
  let offset = 3 + header.length;
  const lengths = [...before.map((b) => b.length), 5 + 256, ...after.map((b) => b.length)];
  lengths.forEach((length, i) => {
    header.writeUInt16BE(offset, i * 2);
    offset += length;
  });
  const items = Buffer.concat([tlv(SurfaceTag.HEADER, header), ...before]);
  return outerTlv(SurfaceTag.ENTRIES, Buffer.concat([items, outerTlv(SurfaceTag.SIGNATURE, signed(items, signer)), ...after]));
}

/** EF 0005: `FF 40 82 HH LL { DF 41 <My Number PNG>, DF 42 <public key>, DF 43 82 01 00 <signature over both> }`. */
export function encodeSurfaceMyNumberEf(myNumberPng: Buffer, signer: CardInfoSigner): Buffer {
  const items = Buffer.concat([tlv(0xdf41, myNumberPng), tlv(0xdf42, encodeRsaPublicKey(signer.key))]);
  return outerTlv(0xff40, Buffer.concat([items, outerTlv(0xdf43, signed(items, signer))]));
}

/**
 * EF 0001: `FF 10 82 HH LL { DF 11 08 <YYYYMMDD>, DF 12 <public key>, DF 13 82 01 00 <signature over both> }`
 * (jsapdu's schemaKenkakuBirth gives the inner tags; the outer `FF 10` is our choice, as EF 0001 of the 入力補助AP).
 */
export function encodeSurfaceBirthEf(birthDate: string, signer: CardInfoSigner): Buffer {
  const items = Buffer.concat([tlv(0xdf11, compactDate(birthDate)), tlv(0xdf12, encodeRsaPublicKey(signer.key))]);
  return outerTlv(0xff10, Buffer.concat([items, outerTlv(0xdf13, signed(items, signer))]));
}
