// The kiosk's side of the card: waits for a card on a reader, reads what the machine needs before the PIN,
// verifies the PIN once, and signs the center's challenge, all in one card session (reader → session → JPKI).
import { X509Certificate } from 'node:crypto';
import type { CardSummary, ResettablePin } from '../machine/types.ts';
import type { CardReader } from '../reader/reader.ts';
import { CardRemovedError } from '../reader/session.ts';
import { JpkiClient } from '../reader/jpki-client.ts';
import { CardStatusError, type PinVerification } from '../reader/ap-channel.ts';


export class ReadCancelledError extends Error {
  constructor() {
    super('The card read was cancelled (the person left the card-reading screen).');
    this.name = 'ReadCancelledError';
  }
}

export class NoCardSessionError extends Error {
  constructor(what: string) {
    super(`No card session for ${what}: the card must be read first on this screen flow.`);
    this.name = 'NoCardSessionError';
  }
}

export type CardReadOutcome =
  | { ok: true; card: CardSummary }
  | { ok: false; reason: 'unsupported-card' | 'card-read-error' | 'card-removed' | 'no-user-certificate' };

export class CardTerminal {
  #client: JpkiClient | null = null;
  #certificate: Buffer | null = null;
  #cancelWait: (() => void) | null = null;

  /**
   * `issuerWrite`: how a new PIN reaches the card once the center has allowed a JPKI reset (the virtual card this
   * terminal placed; none for a physical reader, whose card only J-LIS's secure channel could write).
   */
  constructor(readonly reader: CardReader, readonly issuerWrite?: (pin: ResettablePin, value: string) => void) {}

  /** Resolves when a card is on the reader (at once if one is). A new wait cancels the previous one. */
  waitForCard(): Promise<void> {
    this.cancelWait();
    if (this.reader.cardPresent) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.reader.on('inserted', () => {
        off();
        this.#cancelWait = null;
        resolve();
      });
      this.#cancelWait = () => {
        off();
        reject(new ReadCancelledError());
      };
    });
  }

  cancelWait(): void {
    const cancel = this.#cancelWait;
    this.#cancelWait = null;
    cancel?.();
  }

  /** Token, certificate and tries left: everything the machine judges a card by before the PIN. */
  async read(): Promise<CardReadOutcome> {
    this.forget();
    try {
      const client = new JpkiClient(this.reader.connect());
      const token = await client.readToken();
      if (token === null) return { ok: false, reason: 'unsupported-card' };
      let der: Buffer;
      try {
        der = await client.readAuthCertificate();
      } catch (e) {
        // A JPKI card whose certificate EF is not there (6A 82): the certificate was declined or never written. The
        // card is fine; the person needs the certificate issued at the office, not a cleaner card.
        if (e instanceof CardStatusError && e.sw === 0x6a82) return { ok: false, reason: 'no-user-certificate' };
        throw e;
      }
      const cert = new X509Certificate(der);
      const triesLeft = await client.authPinTriesLeft();
      this.#client = client;
      this.#certificate = der;
      return {
        ok: true,
        card: {
          token,
          certificate: {
            serial: cert.serialNumber,
            notBefore: new Date(cert.validFrom).toISOString(),
            notAfter: new Date(cert.validTo).toISOString(),
          },
          triesLeft,
        },
      };
    } catch (e) {
      if (e instanceof CardRemovedError || !this.reader.cardPresent) return { ok: false, reason: 'card-removed' };
      return { ok: false, reason: 'card-read-error' };
    }
  }

  /** One VERIFY of the user-authentication PIN, or (`which: 'sign'`) of the signature password. */
  verifyPin(pin: string, which: ResettablePin = 'auth'): Promise<PinVerification> {
    if (!this.#client) throw new NoCardSessionError('the PIN check');
    return which === 'sign' ? this.#client.verifySignPin(pin) : this.#client.verifyAuthPin(pin);
  }

  /**
   * The proof a JPKI reset of `pin` needs (the other PIN was verified in this session): the card's user-authentication
   * certificate, which names the card, and the center's challenge signed with the other certificate's key.
   */
  async proveForReset(pin: ResettablePin, challenge: Buffer): Promise<{ certificate: Buffer; proof: { certificate: Buffer; signature: Buffer } }> {
    if (!this.#client || !this.#certificate) throw new NoCardSessionError('the PIN reset');
    const digest = JpkiClient.sha256DigestInfo(challenge);
    if (pin === 'sign') return { certificate: this.#certificate, proof: { certificate: this.#certificate, signature: await this.#client.signWithAuthKey(digest) } };
    const signCertificate = await this.#client.readSignatureCertificate();
    return { certificate: this.#certificate, proof: { certificate: signCertificate, signature: await this.#client.signWithSignKey(digest) } };
  }

  /** Signs the center's challenge with the user-authentication key (the PIN was verified in this session). */
  async sign(challenge: Buffer): Promise<{ certificate: Buffer; signature: Buffer }> {
    if (!this.#client || !this.#certificate) throw new NoCardSessionError('the authentication');
    const signature = await this.#client.signWithAuthKey(JpkiClient.sha256DigestInfo(challenge));
    return { certificate: this.#certificate, signature };
  }

  forget(): void {
    this.#client = null;
    this.#certificate = null;
  }
}
