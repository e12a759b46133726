// What the kiosk asks of a My Number Card, as JPKI APDU sequences over any CardSession (sim or pcsc).
// The APDUs are the ones OpenSC sends (spec §5.3), so a client that works here works on a real card.
import { createHash } from 'node:crypto';
import { CommandApdu, StatusWord, describeStatusWord, type ResponseApdu } from './apdu.ts';
import { AUTH_KEY_BYTES, AUTH_PIN_MAX_TRIES, JPKI_AP_AID, JpkiEf, TOKEN_EF_SIZE } from './jpki-ap.ts';
import { CardCommunicationError, type CardSession } from './session.ts';

/** The card answered a command with a status word the client did not expect. */
export class CardStatusError extends Error {
  override readonly name = 'CardStatusError';
  constructor(
    /** Which step failed, e.g. "SELECT EF 000A". Never includes command data. */
    readonly command: string,
    readonly sw: number,
  ) {
    super(`${command} was refused by the card with ${describeStatusWord(sw)}; the card is not in the state this step needs — remove it and place it again, or ask staff if it keeps happening`);
  }
}

/** verifyAuthPin() was given something other than 4 digits; nothing was sent to the card. */
export class InvalidPinFormatError extends Error {
  override readonly name = 'InvalidPinFormatError';
  constructor() {
    super('the user-authentication PIN must be exactly 4 digits (0–9); nothing was sent to the card — ask the person to enter it again');
  }
}

/** signWithAuthKey() was given input the card cannot sign. */
export class InvalidDigestInfoError extends Error {
  override readonly name = 'InvalidDigestInfoError';
}

export type PinVerification = { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'locked' };

/** DigestInfo prefix for SHA-256 (RFC 8017 9.2 note 1): AlgorithmIdentifier sha256 + NULL, then OCTET STRING of 32. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Largest input a type-1 padded RSA-2048 block can hold. */
const MAX_SIGN_INPUT = AUTH_KEY_BYTES - 11;

/** Short-APDU chunk size (Le=00), as OpenSC reads. */
const READ_CHUNK = 256;

/** READ BINARY offsets are 15 bits (P1 bit 8 selects SFI addressing). */
const MAX_OFFSET = 0x7fff;

const fidHex = (fid: number): string => fid.toString(16).toUpperCase().padStart(4, '0');

export class JpkiClient {
  readonly #session: CardSession;
  /** Re-selecting the AP would drop the verified PIN, so the AP is selected once per client (as OpenSC does). */
  #apSelected = false;

  constructor(session: CardSession) {
    this.#session = session;
  }

  /** SHA-256 DigestInfo of `data`: the 51-byte input the card's signature command expects. */
  static sha256DigestInfo(data: Buffer): Buffer {
    return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]);
  }

  /**
   * The token string of EF 0006 (e.g. "JPKIAPICCTOKEN2" for a My Number Card), or null when the card has no JPKI AP.
   */
  async readToken(): Promise<string | null> {
    if (!(await this.#selectAp({ absentIsNull: true }))) return null;
    await this.#selectEf(JpkiEf.TOKEN);
    const response = await this.#expectOk(`READ BINARY EF ${fidHex(JpkiEf.TOKEN)}`, readBinary(0, TOKEN_EF_SIZE));
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

  /** Tries left on the user-authentication PIN, asked with an empty VERIFY, which never costs a try. */
  async authPinTriesLeft(): Promise<number> {
    await this.#selectAp();
    await this.#selectEf(JpkiEf.AUTH_PIN);
    const name = 'VERIFY auth PIN (retry counter)';
    const response = await this.#transmit(name, new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 }));
    if (response.sw1 === 0x63 && (response.sw2 & 0xf0) === 0xc0) return response.sw2 & 0x0f;
    if (response.sw === StatusWord.AUTHENTICATION_METHOD_BLOCKED) return 0;
    // Already verified (ISO answers 9000; UNCONFIRMED on this card): a success resets the counter, so it is full.
    if (response.ok) return AUTH_PIN_MAX_TRIES;
    throw new CardStatusError(name, response.sw);
  }

  /** One VERIFY of the user-authentication PIN. The PIN is checked to be 4 digits before anything is sent. */
  async verifyAuthPin(pin: string): Promise<PinVerification> {
    if (typeof pin !== 'string' || !/^[0-9]{4}$/.test(pin)) throw new InvalidPinFormatError();
    await this.#selectAp();
    await this.#selectEf(JpkiEf.AUTH_PIN);
    const name = 'VERIFY auth PIN';
    const response = await this.#transmit(name, new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: Buffer.from(pin, 'ascii') }));
    if (response.ok) return { result: 'ok' };
    if (response.sw === StatusWord.AUTHENTICATION_METHOD_BLOCKED) return { result: 'locked' };
    if (response.sw1 === 0x63 && (response.sw2 & 0xf0) === 0xc0) {
      const triesLeft = response.sw2 & 0x0f;
      return triesLeft === 0 ? { result: 'locked' } : { result: 'wrong', triesLeft };
    }
    throw new CardStatusError(name, response.sw);
  }

  /**
   * Signs a DigestInfo (see sha256DigestInfo) with the user-authentication key; the card adds PKCS#1 v1.5 padding.
   * Needs a successful verifyAuthPin() on this client first, or the card answers 6982.
   */
  async signWithAuthKey(digestInfo: Buffer): Promise<Buffer> {
    if (!Buffer.isBuffer(digestInfo) || digestInfo.length === 0 || digestInfo.length > MAX_SIGN_INPUT) {
      throw new InvalidDigestInfoError(
        `the card signs 1–${MAX_SIGN_INPUT} bytes (a DigestInfo, e.g. JpkiClient.sha256DigestInfo(data)), got ${Buffer.isBuffer(digestInfo) ? digestInfo.length + ' bytes' : typeof digestInfo}`,
      );
    }
    await this.#selectAp();
    await this.#selectEf(JpkiEf.AUTH_KEY);
    const name = 'COMPUTE DIGITAL SIGNATURE auth key';
    const response = await this.#expectOk(name, new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 }));
    if (response.data.length !== AUTH_KEY_BYTES) {
      throw new CardCommunicationError(name, response.toBytes(), `an RSA-2048 signature is ${AUTH_KEY_BYTES} bytes, but ${response.data.length} came back`);
    }
    return response.data;
  }

  async #readCertificate(fid: number): Promise<Buffer> {
    await this.#selectAp();
    await this.#selectEf(fid);
    const name = `READ BINARY EF ${fidHex(fid)}`;
    // Like OpenSC: the 4-byte header `30 82 HH LL` gives the size, then ≤256-byte short reads.
    const head = (await this.#expectOk(name, readBinary(0, 4))).data;
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
      const data = (await this.#expectOk(name, readBinary(offset, want))).data;
      if (data.length !== want) {
        throw new CardCommunicationError(name, data, `asked for ${want} bytes at offset ${offset} of a ${total}-byte certificate but got ${data.length}`);
      }
      chunks.push(data);
      offset += want;
    }
    return Buffer.concat(chunks);
  }

  async #selectAp(options: { absentIsNull?: boolean } = {}): Promise<boolean> {
    if (this.#apSelected) return true;
    const name = 'SELECT JPKI AP';
    const response = await this.#transmit(name, new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AP_AID }));
    if (options.absentIsNull && response.sw === StatusWord.FILE_NOT_FOUND) return false;
    if (!response.ok) throw new CardStatusError(name, response.sw);
    this.#apSelected = true;
    return true;
  }

  async #selectEf(fid: number): Promise<void> {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(fid);
    await this.#expectOk(`SELECT EF ${fidHex(fid)}`, new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data }));
  }

  async #expectOk(name: string, command: CommandApdu): Promise<ResponseApdu> {
    const response = await this.#transmit(name, command);
    if (!response.ok) throw new CardStatusError(name, response.sw);
    return response;
  }

  async #transmit(name: string, command: CommandApdu): Promise<ResponseApdu> {
    try {
      return await this.#session.transmit(command);
    } catch (error) {
      // A failed exchange leaves the card's state unknown, so select the AP afresh next time.
      this.#apSelected = false;
      throw error;
    }
  }
}

/** `00 B0 <offset> <Le>` with short Le (256 is written 00). */
function readBinary(offset: number, length: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: 0xb0, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, le: length });
}
