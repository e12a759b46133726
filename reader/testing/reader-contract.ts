// The contract every reader adapter keeps, whatever is behind it (the in-process sim reader, or pcscd with a
// real or virtual reader): card presence and events, sessions that die with their card, a JPKI conversation
// that works end to end, and a card pulled mid-read reported as CardRemovedError. Each adapter's test file
// calls readerContract() with a harness that can put a virtual card in and take it out.
import { verify } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CommandApdu } from '../apdu.ts';
import { JpkiClient } from '../jpki-client.ts';
import { CardRemovedError } from '../session.ts';
import type { VirtualMyNumberCard } from '../virtual-card.ts';
import type { CardReader } from '../reader.ts';

/** What the contract needs of a reader: the reader interface, whatever is behind it. */
export type ReaderUnderTest = CardReader;

export interface ContractHarness {
  reader: ReaderUnderTest;
  /** Puts the card in; resolves when the reader reports it. */
  insert(card: VirtualMyNumberCard): Promise<void>;
  /** Takes the card out; resolves when the reader reports it. */
  remove(): Promise<void>;
  /** Takes the card out without waiting (from inside an exchange). */
  pull(): void;
  /** A fresh card of a persona with the given PIN. */
  card(): { card: VirtualMyNumberCard; pin: string };
}

const SELECT_JPKI = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: Buffer.from('D392F000260100000001', 'hex') });

export function readerContract(label: string, harness: () => ContractHarness): void {
  describe(`reader contract: ${label}`, () => {
    it('has no card to begin with, and a session then fails as a removed card does', async () => {
      const h = harness();
      expect(h.reader.cardPresent).toBe(false);
      let error: unknown;
      try {
        await h.reader.connect().transmit(SELECT_JPKI);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
    });

    it('reports the card inserted, with its ATR, and removed', async () => {
      const h = harness();
      const events: string[] = [];
      const offs = [h.reader.on('inserted', () => events.push('inserted')), h.reader.on('removed', () => events.push('removed'))];
      const { card } = h.card();
      await h.insert(card);
      expect(h.reader.cardPresent).toBe(true);
      expect(h.reader.connect().atr.toString('hex')).toBe(card.atr.toString('hex'));
      await h.remove();
      expect(h.reader.cardPresent).toBe(false);
      expect(events).toEqual(['inserted', 'removed']);
      offs.forEach((off) => off());
    });

    it('carries a whole JPKI conversation: token, certificate, tries left, VERIFY, signature', async () => {
      const h = harness();
      const { card, pin } = h.card();
      await h.insert(card);
      try {
        const client = new JpkiClient(h.reader.connect());
        expect(await client.readToken()).toBe('JPKIAPICCTOKEN2');
        const der = await client.readAuthCertificate();
        const cert = new X509Certificate(der);
        expect(der.length).toBe(der.readUInt16BE(2) + 4);
        expect(await client.authPinTriesLeft()).toBe(3);
        expect(await client.verifyAuthPin(pin)).toEqual({ result: 'ok' });
        const challenge = Buffer.from('contract challenge');
        const signature = await client.signWithAuthKey(JpkiClient.sha256DigestInfo(challenge));
        expect(signature.length).toBe(256);
        expect(verify('sha256', challenge, cert.publicKey, signature)).toBe(true);
      } finally {
        await h.remove();
      }
    });

    it('kills a session when its card leaves, and a new card gets a new session', async () => {
      const h = harness();
      const { card } = h.card();
      await h.insert(card);
      const old = h.reader.connect();
      expect((await old.transmit(SELECT_JPKI)).sw).toBe(0x9000);
      await h.remove();
      await expect(old.transmit(SELECT_JPKI)).rejects.toBeInstanceOf(CardRemovedError);
      await h.insert(h.card().card);
      await expect(old.transmit(SELECT_JPKI)).rejects.toBeInstanceOf(CardRemovedError);
      expect((await h.reader.connect().transmit(SELECT_JPKI)).sw).toBe(0x9000);
      await h.remove();
    });

    it('reports a card pulled during the certificate read as CardRemovedError', async () => {
      const h = harness();
      const { card } = h.card();
      // The card is pulled while it answers its third READ BINARY, as a hand would pull it mid-read.
      let reads = 0;
      const transmit = card.transmit.bind(card);
      card.transmit = (command: Uint8Array) => {
        if (command[1] === 0xb0 && ++reads === 3) h.pull();
        return transmit(command);
      };
      await h.insert(card);
      const client = new JpkiClient(h.reader.connect());
      await expect(client.readAuthCertificate()).rejects.toBeInstanceOf(CardRemovedError);
      expect(reads).toBe(3);
    });
  });
}
