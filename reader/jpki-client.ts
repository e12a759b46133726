// What the kiosk asks of a My Number Card, as JPKI APDU sequences over any CardSession (sim or pcsc).
// The APDUs are the ones OpenSC sends (spec §5.3), so a client that works here works on a real card.
import { createHash } from 'node:crypto';
import { CommandApdu } from './apdu.ts';
import {
  ApChannel,
  CardStatusError,
  InvalidPinFormatError,
  MAX_OFFSET,
  PinRejectedError,
  PinRequiredError,
  READ_CHUNK,
  fidHex,
  readBinary,
  type PinVerification,
} from './ap-channel.ts';
import {
  AUTH_KEY_BYTES,
  AUTH_PIN_MAX_TRIES,
  JPKI_AP_AID,
  JpkiEf,
  SIGN_KEY_BYTES,
  SIGN_PIN_MAX_TRIES,
  TOKEN_EF_SIZE,
  isFourDigitPin,
  isSignPin,
} from './jpki-ap.ts';
import { CardCommunicationError, type CardSession } from './session.ts';


/** signWithAuthKey() / signWithSignKey() was given input the card cannot sign. */
export class InvalidDigestInfoError extends Error {
  override readonly name = 'InvalidDigestInfoError';
}

/** DigestInfo prefix for SHA-256 (RFC 8017 9.2 note 1): AlgorithmIdentifier sha256 + NULL, then OCTET STRING of 32. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Largest input a type-1 padded RSA-2048 block can hold. */
const MAX_SIGN_INPUT = AUTH_KEY_BYTES - 11;

/** SW 6982: the EF or key needs a PIN that is not verified. */
const SECURITY_STATUS_NOT_SATISFIED = 0x6982;

export class JpkiClient {
  /**
   * The AP is selected once per session (as OpenSC does): re-selecting would drop the verified PIN. The record of
   * which AP is selected is shared with other clients on the same session, so a CardInfoClient in between is fine.
   */
  readonly #ap: ApChannel;

  constructor(session: CardSession) {
    this.#ap = new ApChannel(session, JPKI_AP_AID, 'JPKI AP');
  }

  /** SHA-256 DigestInfo of `data`: the 51-byte input the card's signature command expects. */
  static sha256DigestInfo(data: Buffer): Buffer {
    return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]);
  }

  /**
   * The token string of EF 0006 (e.g. "JPKIAPICCTOKEN2" for a My Number Card), or null when the card has no JPKI AP.
   */
  async readToken(): Promise<string | null> {
    if (!(await this.#ap.selectAp({ absentIsNull: true }))) return null;
    await this.#ap.selectEf(JpkiEf.TOKEN);
    const response = await this.#ap.expectOk(`READ BINARY EF ${fidHex(JpkiEf.TOKEN)}`, readBinary(0, TOKEN_EF_SIZE));
    return response.data.toString('latin1').replace(/[\x00 ]+$/, '');
  }

  /** The user-authentication certificate (EF 000A), DER. */
  async readAuthCertificate(): Promise<Buffer> {
    return this.#readCertificate(JpkiEf.AUTH_CERTIFICATE);
  }

  /** The CA certificate of the user-authentication certificate (EF 000B), DER. */
  async readCaCertificate(): Promise<Buffer> {
    return this.#readCertificate(JpkiEf.AUTH_CA_CERTIFICATE);
  }

  /**
   * The signature certificate (EF 0001), DER. The card only lets it be read after the signature password, because it
   * carries the holder's name, address, birth date and sex. With `signPin` it is verified first (format checked
   * before anything is sent; PinRejectedError when the card refuses it); without it the PIN must have been verified
   * in this session, or this throws PinRequiredError.
   */
  async readSignatureCertificate(signPin?: string): Promise<Buffer> {
    if (signPin !== undefined) {
      const verification = await this.verifySignPin(signPin);
      if (verification.result !== 'ok') throw new PinRejectedError('sign', verification);
    }
    try {
      return await this.#readCertificate(JpkiEf.SIGN_CERTIFICATE);
    } catch (error) {
      if (signPin === undefined && error instanceof CardStatusError && error.sw === SECURITY_STATUS_NOT_SATISFIED) {
        throw new PinRequiredError(error.command, 'sign', error.sw);
      }
      throw error;
    }
  }

  /** The CA certificate of the signature certificate (EF 0002), DER; free read. */
  async readSignatureCaCertificate(): Promise<Buffer> {
    return this.#readCertificate(JpkiEf.SIGN_CA_CERTIFICATE);
  }

  /** Tries left on the user-authentication PIN, asked with an empty VERIFY, which never costs a try. */
  async authPinTriesLeft(): Promise<number> {
    return this.#ap.pinTriesLeft(JpkiEf.AUTH_PIN, 'VERIFY auth PIN (retry counter)', AUTH_PIN_MAX_TRIES);
  }

  /** Tries left on the signature password (EF 001B), asked with an empty VERIFY, which never costs a try. */
  async signPinTriesLeft(): Promise<number> {
    return this.#ap.pinTriesLeft(JpkiEf.SIGN_PIN, 'VERIFY sign PIN (retry counter)', SIGN_PIN_MAX_TRIES);
  }

  /** One VERIFY of the user-authentication PIN. The PIN is checked to be 4 digits before anything is sent. */
  async verifyAuthPin(pin: string): Promise<PinVerification> {
    if (typeof pin !== 'string' || !isFourDigitPin(pin)) throw new InvalidPinFormatError('auth');
    return this.#ap.verifyPin(JpkiEf.AUTH_PIN, 'VERIFY auth PIN', Buffer.from(pin, 'ascii'));
  }

  /**
   * One VERIFY of the signature password. It is upper-cased first (people type it in lower case; the card holds
   * upper case, and myna does the same), then checked against the card's rules before anything is sent.
   */
  async verifySignPin(pin: string): Promise<PinVerification> {
    const upper = typeof pin === 'string' ? pin.toUpperCase() : '';
    if (!isSignPin(upper)) throw new InvalidPinFormatError('sign');
    return this.#ap.verifyPin(JpkiEf.SIGN_PIN, 'VERIFY sign PIN', Buffer.from(upper, 'ascii'));
  }

  /**
   * Signs a DigestInfo (see sha256DigestInfo) with the user-authentication key; the card adds PKCS#1 v1.5 padding.
   * Needs a successful verifyAuthPin() on this session first, or the card answers 6982.
   */
  async signWithAuthKey(digestInfo: Buffer): Promise<Buffer> {
    return this.#sign(JpkiEf.AUTH_KEY, 'COMPUTE DIGITAL SIGNATURE auth key', AUTH_KEY_BYTES, digestInfo);
  }

  /**
   * Signs a DigestInfo with the signature key (EF 001A). Needs a successful verifySignPin() on this session first;
   * the user-authentication PIN does not unlock it.
   */
  async signWithSignKey(digestInfo: Buffer): Promise<Buffer> {
    return this.#sign(JpkiEf.SIGN_KEY, 'COMPUTE DIGITAL SIGNATURE sign key', SIGN_KEY_BYTES, digestInfo);
  }

  async #sign(keyFid: number, name: string, signatureBytes: number, digestInfo: Buffer): Promise<Buffer> {
    if (!Buffer.isBuffer(digestInfo) || digestInfo.length === 0 || digestInfo.length > MAX_SIGN_INPUT) {
      throw new InvalidDigestInfoError(
        `the card signs 1–${MAX_SIGN_INPUT} bytes (a DigestInfo, e.g. JpkiClient.sha256DigestInfo(data)), got ${Buffer.isBuffer(digestInfo) ? digestInfo.length + ' bytes' : typeof digestInfo}`,
      );
    }
    await this.#ap.selectAp();
    await this.#ap.selectEf(keyFid);
    const response = await this.#ap.expectOk(name, new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 }));
    if (response.data.length !== signatureBytes) {
      throw new CardCommunicationError(name, response.toBytes(), `an RSA-2048 signature is ${signatureBytes} bytes, but ${response.data.length} came back`);
    }
    return response.data;
  }

  async #readCertificate(fid: number): Promise<Buffer> {
    await this.#ap.selectAp();
    await this.#ap.selectEf(fid);
    const name = `READ BINARY EF ${fidHex(fid)}`;
    // Like OpenSC: the 4-byte header `30 82 HH LL` gives the size, then ≤256-byte short reads.
    const head = (await this.#ap.expectOk(name, readBinary(0, 4))).data;
    if (head.length !== 4 || head[0] !== 0x30 || head[1] !== 0x82) {
      throw new CardCommunicationError(name, head, 'a certificate EF must start with the DER header 30 82 HH LL');
    }
    const total = head.readUInt16BE(2) + 4;
    if (total > MAX_OFFSET + 1) {
      throw new CardCommunicationError(name, head, `the header announces ${total} bytes, more than READ BINARY can address`);
    }
    const chunks: Buffer[] = [head];
    for (let offset = 4; offset < total; ) {
      const want = Math.min(READ_CHUNK, total - offset);
      const data = (await this.#ap.expectOk(name, readBinary(offset, want))).data;
      if (data.length !== want) {
        throw new CardCommunicationError(name, data, `asked for ${want} bytes at offset ${offset} of a ${total}-byte certificate but got ${data.length}`);
      }
      chunks.push(data);
      offset += want;
    }
    return Buffer.concat(chunks);
  }
}
