// The JPKI application (公的個人認証AP) as both the card and its client see it: AID, files, token strings, PIN rules.
// Values from /work/shared/spec/my-number-card.md §1–2.

/** 公的個人認証AP. */
export const JPKI_AP_AID = Buffer.from('D392F000260100000001', 'hex');

/** 券面事項入力補助AP (My Number and basic 4 info as text); its files are in card-info-ap.ts. */
export const CARD_INFO_INPUT_SUPPORT_AP_AID = Buffer.from('D3921000310001010408', 'hex');

/** Elementary files of the JPKI AP (FIDs; the SFI is the low byte, so VERIFY P2 = 0x80 | SFI). */
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
  /** 署名用電子証明書, X.509 DER. It carries name, address, birth date and sex, so READ BINARY needs the signature PIN. */
  SIGN_CERTIFICATE: 0x0001,
  /** Its CA certificate, free read. */
  SIGN_CA_CERTIFICATE: 0x0002,
  /** Signature PIN (署名用パスワード): 6–16 of A–Z 0–9 with a letter and a digit, 5 tries. */
  SIGN_PIN: 0x001b,
  /** Signature private key (RSA-2048); needs the signature PIN. */
  SIGN_KEY: 0x001a,
} as const;

/** Contents of EF 0006 by medium; the EF holds 0x20 bytes, padded with spaces. */
export const JpkiToken = {
  MY_NUMBER_CARD: 'JPKIAPICCTOKEN2',
  JUKI_CARD: 'JPKIAPICCTOKEN',
  SMARTPHONE: 'JPKIAPGPSETOKEN',
} as const;

export const TOKEN_EF_SIZE = 0x20;
export const AUTH_PIN_MAX_TRIES = 3;
export const SIGN_PIN_MAX_TRIES = 5;
/** RSA-2048: signatures are 256 bytes. */
export const AUTH_KEY_BYTES = 256;
/** The signature key is RSA-2048 as well. */
export const SIGN_KEY_BYTES = 256;

/** The user-authentication PIN (and every other 4-digit PIN of the card): exactly 4 ASCII digits. */
export function isFourDigitPin(pin: string): boolean {
  return /^[0-9]{4}$/.test(pin);
}

/**
 * The signature password as the card stores it: 6–16 characters of upper-case A–Z and 0–9 with at least one letter
 * and one digit (spec §2.4). Clients upper-case what the person typed before checking, as myna does.
 */
export function isSignPin(pin: string): boolean {
  return /^(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*[0-9])[A-Z0-9]{6,16}$/.test(pin);
}
