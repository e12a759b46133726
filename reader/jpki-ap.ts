// The JPKI application (公的個人認証AP) as both the card and its client see it: AID, files, token strings.
// Values from /work/shared/spec/my-number-card.md §1–2.

/** 公的個人認証AP. */
export const JPKI_AP_AID = Buffer.from('D392F000260100000001', 'hex');

/** 券面事項入力補助AP (My Number and basic 4 info as text). The virtual card does not implement it yet. */
export const CARD_INFO_INPUT_SUPPORT_AP_AID = Buffer.from('D3921000310001010408', 'hex');

/** Elementary files of the JPKI AP used for user authentication (FIDs; the SFI is the low byte). */
export const JpkiEf = {
  /** 利用者証明用電子証明書, X.509 DER, free read. */
  AUTH_CERTIFICATE: 0x000a,
  /** Its CA certificate, free read. */
  AUTH_CA_CERTIFICATE: 0x000b,
  /** Token info: which kind of JPKI medium this is. */
  TOKEN: 0x0006,
  /** User-authentication PIN: 4 digits, 3 tries. */
  AUTH_PIN: 0x0018,
  /** User-authentication private key (RSA-2048). */
  AUTH_KEY: 0x0017,
} as const;

/** Contents of EF 0006 by medium; the EF holds 0x20 bytes, padded with spaces. */
export const JpkiToken = {
  MY_NUMBER_CARD: 'JPKIAPICCTOKEN2',
  JUKI_CARD: 'JPKIAPICCTOKEN',
  SMARTPHONE: 'JPKIAPGPSETOKEN',
} as const;

export const TOKEN_EF_SIZE = 0x20;
export const AUTH_PIN_MAX_TRIES = 3;
/** RSA-2048: signatures are 256 bytes. */
export const AUTH_KEY_BYTES = 256;
