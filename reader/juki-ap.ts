// The 住基AP (Basic Resident Registry AP) of the My Number Card: what is public of it is its AID, the PIN EF TRET reads
// the counter of (個人番号カード用（住民基本台帳事務用）, EF 001C) and the record myna reads without a PIN (record 1 of
// SFI 1, whose value's characters 2–14 myna prints as the card's manufacture number). Spec §1.

/** 住基AP, `D3 92 10 00 31 00 01 01 01 00`. */
export const JUKI_AP_AID = Buffer.from('D3921000310001010100', 'hex');

export const JukiEf = {
  /** The record file myna reads: `00 B2 01 0C 00` (READ RECORD 1, SFI 1); free to read. */
  NUMBERS: 0x0001,
  /** 住民基本台帳用暗証番号: 4 digits. */
  PIN: 0x001c,
} as const;

/** UNCONFIRMED: 3, as every other 4-digit PIN of the card. */
export const JUKI_PIN_MAX_TRIES = 3;

/**
 * Record 1: one TLV whose value is ASCII, of which myna prints characters 2–14 as the manufacture number. The tag and
 * the first two characters are UNCONFIRMED: ours are `04` (OCTET STRING, which every BER reader takes) and `JS`.
 */
export function encodeJukiRecord(manufactureNumber: string): Buffer {
  if (!/^[0-9A-Z]{13}$/.test(manufactureNumber)) throw new RangeError('a manufacture number is 13 characters of 0-9 and A-Z');
  const value = Buffer.from(`JS${manufactureNumber}`, 'ascii');
  return Buffer.concat([Buffer.from([0x04, value.length]), value]);
}
