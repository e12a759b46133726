import { loadSampleData } from '../samples/sample-data.ts';
import { X509Certificate, constants, createHash, createPublicKey, generateKeyPairSync, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestCa } from '../center/x509/test-ca.ts';
import {
  CITY_CARD_ATR,
  CardMuteError,
  CardPoweredOffError,
  JUKI_CARD_ATR,
  MY_NUMBER_CARD_ATR,
  SMARTPHONE_ATR,
  VirtualCardConfigError,
  VirtualMyNumberCard,
  atrChecksumOk,
  type CardInfoOptions,
  type VirtualMyNumberCardOptions,
} from './virtual-card.ts';

const PIN = '5927';
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/** Sends hex (spaces allowed), returns the whole response as hex. */
const tx = (card: VirtualMyNumberCard, command: string): string => hexOf(card.transmit(Buffer.from(command.replace(/\s/g, ''), 'hex')));

const SELECT_AP = '00 A4 04 0C 0A D392F000260100000001';
const SELECT_CERT = '00 A4 02 0C 02 000A';
const SELECT_CA = '00 A4 02 0C 02 000B';
const SELECT_TOKEN = '00 A4 02 0C 02 0006';
const SELECT_PIN = '00 A4 02 0C 02 0018';
const SELECT_KEY = '00 A4 02 0C 02 0017';
const VERIFY_EMPTY = '00 20 00 80';
const verifyPin = (pin: string): string => `00 20 00 80 04 ${Buffer.from(pin, 'ascii').toString('hex')}`;
const DIGEST_INFO_PREFIX = '3031300D060960864801650304020105000420';

let authKey: KeyObject;
let authCert: Buffer;
let caCert: Buffer;
let signKey: KeyObject;
let signCert: Buffer;
let signCaCert: Buffer;

beforeAll(() => {
  const user = generateKeyPairSync('rsa', { modulusLength: 2048 });
  authKey = user.privateKey;
  const ca = new TestCa({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
  caCert = ca.certificate;
  authCert = ca.issueUserAuthCertificate({
    publicKey: user.publicKey,
    serial: 0x5eed1234n,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  });
  // The signature side has its own key and its own CA, as on a real card.
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  signKey = signer.privateKey;
  const signCa = new TestCa({
    privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    subject: 'C=JP, O=JPKI, OU=JPKI for digital signature (TEST)',
  });
  signCaCert = signCa.certificate;
  signCert = signCa.issueUserAuthCertificate({
    publicKey: signer.publicKey,
    serial: 0x5160001n,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  });
});

function makeCard(overrides: Partial<VirtualMyNumberCardOptions> = {}): VirtualMyNumberCard {
  const card = new VirtualMyNumberCard({ kind: 'my-number-card', authKey, authCertificate: authCert, caCertificate: caCert, pin: PIN, ...overrides });
  card.powerOn();
  return card;
}

let card: VirtualMyNumberCard;
beforeEach(() => {
  card = makeCard();
});

describe('identity', () => {
  it('answers with the contact T=1 ATR of the spec (the juki card with its own)', () => {
    expect(hexOf(card.atr)).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    expect(card.atr).toEqual(MY_NUMBER_CARD_ATR);
    expect(makeCard({ kind: 'juki-card' }).atr).toEqual(JUKI_CARD_ATR);
  });

  it('reads token EF 0006 as JPKIAPICCTOKEN2 padded with spaces to 0x20 bytes', () => {
    expect(tx(card, SELECT_AP)).toBe('9000');
    expect(tx(card, SELECT_TOKEN)).toBe('9000');
    const expected = Buffer.alloc(0x20, 0x20);
    expected.write('JPKIAPICCTOKEN2', 'ascii');
    expect(tx(card, '00 B0 00 00 20')).toBe(hexOf(expected) + '9000');
  });

  it.each([
    ['juki-card', 'JPKIAPICCTOKEN'],
    ['smartphone', 'JPKIAPGPSETOKEN'],
  ] as const)('%s carries token %s', (kind, token) => {
    const other = makeCard({ kind });
    tx(other, SELECT_AP);
    tx(other, SELECT_TOKEN);
    const response = Buffer.from(tx(other, '00 B0 00 00 20'), 'hex');
    expect(response.subarray(0, 0x20).toString('ascii').trimEnd()).toBe(token);
    expect(response.subarray(0x20)).toEqual(Buffer.from('9000', 'hex'));
  });

  it('a city card has no JPKI AP: SELECT of the AID answers 6A82', () => {
    const city = makeCard({ kind: 'city-card' });
    expect(tx(city, SELECT_AP)).toBe('6A82');
    expect(tx(city, SELECT_CERT)).toBe('6A82');
  });
});

describe('SELECT', () => {
  it('selects the AP with P2=0C and with P2=00 (no FCI), never answers 9000 to other AIDs', () => {
    expect(tx(card, SELECT_AP)).toBe('9000');
    expect(tx(card, '00 A4 04 00 0A D392F000260100000001 00')).toBe('9000');
    expect(tx(card, '00 A4 04 0C 06 A00000000101')).toBe('6A82'); // muscle's probe
    expect(tx(card, '00 A4 04 0C 09 A00000030800001000')).toBe('6A82'); // PIV
    expect(tx(card, '00 A4 04 0C 0A D3921000310001010408')).toBe('6A82'); // 券面事項入力補助AP: this card has no cardInfo
  });

  it('selects an AP by a partial AID from its start (at least the RID), the first match or the next one, as its ATR claims', () => {
    const data = loadSampleData();
    const full = data.makeCard('kawasaki-taro', Date.parse('2026-11-24T10:00:00+09:00'));
    full.powerOn();
    const readToken = () => { tx(full, SELECT_TOKEN); return Buffer.from(tx(full, '00 B0 00 00 20'), 'hex').subarray(0, 15).toString('ascii'); };
    expect(tx(full, '00 A4 04 0C 06 D392F0002601')).toBe('9000');
    expect(readToken()).toBe('JPKIAPICCTOKEN2');
    // D3 92 10 00 31 is the RID of the 券面 APs: the first of them on the card, then the next with P2=0E.
    expect(tx(full, '00 A4 04 0C 05 D392100031')).toBe('9000');
    expect(tx(full, '00 A4 02 0C 02 0011')).toBe('9000'); // the 券面事項入力補助AP's PIN EF
    // The next ones, in the card's order: the 券面事項確認AP (its 照合番号A EF 0013), the 住基AP (its PIN EF 001C), no more.
    expect(tx(full, '00 A4 04 0E 05 D392100031')).toBe('9000');
    expect(tx(full, '00 A4 02 0C 02 0013')).toBe('9000');
    expect(tx(full, '00 A4 04 0E 05 D392100031')).toBe('9000');
    expect(tx(full, '00 A4 02 0C 02 001C')).toBe('9000');
    expect(tx(full, '00 A4 04 0E 05 D392100031')).toBe('6A82');
    expect(tx(full, '00 A4 04 0C 04 D392F000')).toBe('6A82'); // shorter than a RID
    expect(tx(full, '00 A4 04 0C 05 D2760001 24')).toBe('6A82'); // openpgp's RID is not ours
    expect(tx(full, '00 A4 02 0E 02 000A')).toBe('6A86'); // "next occurrence" is for DF names only
  });

  it('answers every other probe of a known client with a defined status word (reader/README.md\'s table)', () => {
    const full = loadSampleData().makeCard('kawasaki-taro', Date.parse('2026-11-24T10:00:00+09:00'));
    full.powerOn();
    expect(tx(full, SELECT_AP)).toBe('9000');
    const answers = [
      '00 88 00 00 08 0102030405060708 00', '00 84 00 00 08', '00 2A 9E 9A 04 01020304 00', '00 2A 80 86 04 01020304 00', '00 22 41 B6 03 840181',
      '80 A2 00 00 00', '00 CA 01 01 00', '80 CA 9F 7F 00', '00 B2 01 0C 00', '00 C0 00 00 00', '00 70 00 00 01',
      '00 A4 00 0C 02 3F00', '00 A4 08 0C 02 000A', 'B0 3C 00 00 00', '84 B0 00 00 04',
    ].map((c) => tx(full, c));
    // READ RECORD: SFI 1 of the JPKI AP is the signature certificate, a binary EF (the 住基AP's is a record EF).
    expect(answers).toEqual([...Array(8).fill('6D00'), '6981', '6D00', '6D00', '6A86', '6A86', '6E00', '6E00']);
    // None of them changed the selection: the JPKI AP's certificate EF is still there to select.
    expect(tx(full, SELECT_CERT)).toBe('9000');
  });

  it('selects EFs by FID only after the AP, and answers 6A82 to unknown FIDs', () => {
    expect(tx(card, SELECT_CERT)).toBe('6A82');
    tx(card, SELECT_AP);
    expect(tx(card, SELECT_CERT)).toBe('9000');
    expect(tx(card, SELECT_CA)).toBe('9000');
    expect(tx(card, '00 A4 02 0C 02 0001')).toBe('6A82'); // this card has no signature certificate
    expect(tx(card, '00 A4 02 0C 02 1234')).toBe('6A82');
  });

  it('answers 6A86 to path selection (P1=08/09), which the real card does not support', () => {
    tx(card, SELECT_AP);
    expect(tx(card, '00 A4 09 0C 02 000A')).toBe('6A86');
    expect(tx(card, '00 A4 08 0C 04 3F00000A')).toBe('6A86');
  });

  it('answers 6700 to a FID that is not 2 bytes', () => {
    tx(card, SELECT_AP);
    expect(tx(card, '00 A4 02 0C 01 0A')).toBe('6700');
  });

  it('a failed SELECT of an EF has no effect on the current one', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_CERT);
    expect(tx(card, '00 A4 02 0C 02 1234')).toBe('6A82');
    expect(tx(card, '00 B0 00 00 04')).toBe(hexOf(authCert.subarray(0, 4)) + '9000');
  });
});

describe('READ BINARY', () => {
  beforeEach(() => {
    tx(card, SELECT_AP);
    tx(card, SELECT_CERT);
  });

  it('reads the 4-byte header 30 82 HH LL at offset 0', () => {
    const ll = (authCert.length - 4).toString(16).toUpperCase().padStart(4, '0');
    expect(tx(card, '00 B0 00 00 04')).toBe(`3082${ll}9000`);
  });

  it('reads 256 bytes for Le=00 and the rest with an extended Le, as the tex2e trace does', () => {
    expect(tx(card, '00 B0 00 04 00')).toBe(hexOf(authCert.subarray(4, 260)) + '9000');
    const rest = (authCert.length - 4).toString(16).toUpperCase().padStart(4, '0');
    expect(tx(card, `00 B0 00 04 00 ${rest}`)).toBe(hexOf(authCert.subarray(4)) + '9000');
  });

  it('clamps a long Le to the end of the EF with 9000', () => {
    const last = authCert.length - 10;
    const p1p2 = last.toString(16).padStart(4, '0');
    expect(tx(card, `00 B0 ${p1p2} 00`)).toBe(hexOf(authCert.subarray(last)) + '9000');
    expect(tx(card, '00 B0 00 00 00 00 00')).toBe(hexOf(authCert) + '9000'); // extended Le 65536
  });

  it('answers 6B00 for an offset at or past the end', () => {
    const end = authCert.length.toString(16).padStart(4, '0');
    const past = (authCert.length + 1).toString(16).padStart(4, '0');
    expect(tx(card, `00 B0 ${end} 01`)).toBe('6B00');
    expect(tx(card, `00 B0 ${past} 01`)).toBe('6B00');
  });

  it('reads by SFI (P1 bit 8) with an extended Le, as jsapdu does, and makes that EF current', () => {
    expect(tx(card, '00 B0 8B 00 00 00 00')).toBe(hexOf(caCert) + '9000');
    expect(tx(card, '00 B0 8A 02 02')).toBe(hexOf(authCert.subarray(2, 4)) + '9000');
    tx(card, SELECT_CA);
    expect(tx(card, '00 B0 8A 00 04')).toBe(hexOf(authCert.subarray(0, 4)) + '9000');
    expect(tx(card, '00 B0 00 00 01')).toBe(hexOf(authCert.subarray(0, 1)) + '9000'); // 000A is current again
    expect(tx(card, '00 B0 9F 00 01')).toBe('6A82');
  });

  it('answers 6986 when no EF is selected and 6700 when Le is missing', () => {
    tx(card, SELECT_AP); // drops the current EF
    expect(tx(card, '00 B0 00 00 04')).toBe('6986');
    tx(card, SELECT_CERT);
    expect(tx(card, '00 B0 00 00')).toBe('6700');
  });

  it('does not read the PIN or key EFs', () => {
    tx(card, SELECT_PIN);
    expect(tx(card, '00 B0 00 00 04')).toBe('6981');
    tx(card, SELECT_KEY);
    expect(tx(card, '00 B0 00 00 00')).toBe('6981');
  });
});

describe('VERIFY', () => {
  beforeEach(() => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
  });

  it('counts down 63C3 → 63C2 → 63C1 → 63C0, then refuses even the right PIN', () => {
    expect(tx(card, VERIFY_EMPTY)).toBe('63C3');
    expect(tx(card, verifyPin('0000'))).toBe('63C2');
    expect(tx(card, verifyPin('1111'))).toBe('63C1');
    expect(tx(card, VERIFY_EMPTY)).toBe('63C1'); // the query costs nothing
    expect(tx(card, verifyPin('2222'))).toBe('63C0');
    expect(card.triesLeft).toBe(0);
    expect(tx(card, verifyPin(PIN))).toBe('63C0');
    expect(tx(card, VERIFY_EMPTY)).toBe('63C0');
    expect(card.pinVerified).toBe(false);
    expect(card.triesLeft).toBe(0);
  });

  it('answers 6983 once locked when configured so, and never 9000', () => {
    const strict = makeCard({ blockedStatus: '6983', triesLeft: 1 });
    tx(strict, SELECT_AP);
    tx(strict, SELECT_PIN);
    expect(tx(strict, VERIFY_EMPTY)).toBe('63C1');
    expect(tx(strict, verifyPin('0000'))).toBe('63C0'); // the failure that locks still says 0 left
    expect(tx(strict, verifyPin(PIN))).toBe('6983');
    expect(tx(strict, VERIFY_EMPTY)).toBe('6983');
  });

  it('a card configured as locked refuses the right PIN', () => {
    const locked = makeCard({ triesLeft: 0 });
    tx(locked, SELECT_AP);
    tx(locked, SELECT_PIN);
    expect(tx(locked, verifyPin(PIN))).toBe('63C0');
    expect(locked.pinVerified).toBe(false);
  });

  it('a correct PIN answers 9000 and resets the counter', () => {
    expect(tx(card, verifyPin('9999'))).toBe('63C2');
    expect(tx(card, verifyPin('8888'))).toBe('63C1');
    expect(tx(card, verifyPin(PIN))).toBe('9000');
    expect(card.pinVerified).toBe(true);
    expect(card.triesLeft).toBe(3);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C3');
  });

  it('accepts P2=0x80|SFI (0x98) without selecting the PIN EF, as jsapdu sends', () => {
    const other = makeCard();
    tx(other, SELECT_AP);
    expect(tx(other, '00 20 00 98')).toBe('63C3');
    expect(tx(other, `00 20 00 98 04 ${Buffer.from(PIN).toString('hex')}`)).toBe('9000');
    expect(other.pinVerified).toBe(true);
  });

  it('refuses a VERIFY that addresses no PIN', () => {
    tx(card, SELECT_CERT);
    expect(tx(card, VERIFY_EMPTY)).toBe('6A88');
    expect(tx(card, '00 20 00 8A')).toBe('6A88');
    expect(tx(card, '00 20 00 01')).toBe('6A86');
    expect(card.triesLeft).toBe(3);
  });

  it('counts a PIN of the wrong length as wrong', () => {
    expect(tx(card, `00 20 00 80 05 ${Buffer.from(PIN + '0').toString('hex')}`)).toBe('63C2');
  });

  it('re-selecting the AP clears the verified PIN; selecting an EF does not', () => {
    tx(card, verifyPin(PIN));
    tx(card, SELECT_CERT);
    expect(card.pinVerified).toBe(true);
    expect(tx(card, SELECT_AP)).toBe('9000');
    expect(card.pinVerified).toBe(false);
  });

  it('a reset and a power cycle clear the verified PIN but keep the counter', () => {
    tx(card, verifyPin('0000'));
    tx(card, verifyPin(PIN));
    card.reset();
    expect(card.pinVerified).toBe(false);
    expect(tx(card, VERIFY_EMPTY)).toBe('6A88'); // the reset dropped the selection too
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    expect(tx(card, verifyPin('0000'))).toBe('63C2');
    card.powerOff();
    card.powerOn();
    expect([card.pinVerified, card.triesLeft]).toEqual([false, 2]);
    expect(tx(card, VERIFY_EMPTY)).toBe('6A88'); // nothing is selected after the power cycle
  });
});

describe('CHANGE REFERENCE DATA', () => {
  it('changes the PIN only after VERIFY', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    const newPin = Buffer.from('7310').toString('hex');
    expect(tx(card, `00 24 01 80 04 ${newPin}`)).toBe('6982');
    tx(card, verifyPin(PIN));
    expect(tx(card, '00 24 01 80 04 41424344')).toBe('6A80');
    expect(tx(card, `00 24 01 80 04 ${newPin}`)).toBe('9000');
    expect(tx(card, verifyPin(PIN))).toBe('63C2');
    expect(tx(card, verifyPin('7310'))).toBe('9000');
  });
});

describe('COMPUTE DIGITAL SIGNATURE', () => {
  const digestInfo = Buffer.from(DIGEST_INFO_PREFIX + 'AB'.repeat(32), 'hex');
  const signCommand = `80 2A 00 80 33 ${digestInfo.toString('hex')} 00`;

  it('answers 6982 before the PIN is verified', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_KEY);
    expect(tx(card, signCommand)).toBe('6982');
  });

  it('answers 6982 when the key EF is not the current EF', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    tx(card, verifyPin(PIN));
    expect(tx(card, signCommand)).toBe('6982');
  });

  it('signs with PKCS#1 v1.5 type 1 after VERIFY: the signature verifies against the certificate key', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    expect(tx(card, verifyPin(PIN))).toBe('9000');
    expect(tx(card, SELECT_KEY)).toBe('9000');
    const response = Buffer.from(tx(card, signCommand), 'hex');
    expect(response.length).toBe(258);
    expect(response.subarray(256)).toEqual(Buffer.from('9000', 'hex'));
    const signature = response.subarray(0, 256);
    const certKey = new X509Certificate(authCert).publicKey;
    // The raw public operation shows the exact block: 00 01 FF…FF 00 DigestInfo.
    const raw = publicDecrypt({ key: certKey, padding: constants.RSA_NO_PADDING }, signature);
    expect(raw.subarray(0, 2)).toEqual(Buffer.from('0001', 'hex'));
    expect(raw.subarray(2, 256 - 52).every((b) => b === 0xff)).toBe(true);
    expect(raw[256 - 52]).toBe(0x00);
    expect(raw.subarray(256 - 51)).toEqual(digestInfo);
    expect(publicDecrypt(certKey, signature)).toEqual(digestInfo);
  });

  it('produces a signature crypto.verify accepts for the signed message', () => {
    const message = Buffer.from('challenge from the center', 'utf8');
    const info = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX, 'hex'), createHash('sha256').update(message).digest()]);
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    tx(card, verifyPin(PIN));
    tx(card, SELECT_KEY);
    const response = Buffer.from(tx(card, `80 2A 00 80 33 ${info.toString('hex')} 00`), 'hex');
    const publicKey = createPublicKey(authKey);
    expect(verify('sha256', message, publicKey, response.subarray(0, 256))).toBe(true);
    expect(verify('sha256', Buffer.from('another message'), publicKey, response.subarray(0, 256))).toBe(false);
  });

  it('refuses wrong lengths and parameters', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    tx(card, verifyPin(PIN));
    tx(card, SELECT_KEY);
    expect(tx(card, `80 2A 00 80 33 ${digestInfo.toString('hex')}`)).toBe('6700'); // no Le
    expect(tx(card, `80 2A 00 80 F6 ${'00'.repeat(246)} 00`)).toBe('6700'); // more than k − 11
    expect(tx(card, `80 2A 9E 9A 33 ${digestInfo.toString('hex')} 00`)).toBe('6A86'); // ISO P1P2 is not JPKI's
  });
});

describe('other commands', () => {
  it.each([
    ['unknown INS', '00 CA 00 00 00', '6D00'],
    ['GET RESPONSE', '00 C0 00 00 00', '6D00'],
    ['CLA 80 with an ISO INS', '80 A4 04 0C 02 3F00', '6D00'],
    ['unknown CLA (muscle)', 'B0 3C 00 00 00', '6E00'],
    ['unknown CLA (coolkey)', 'B0 A4 04 00 00', '6E00'],
    ['inconsistent Lc', '00 A4 04 0C 0A D392', '6700'],
    ['fewer than 4 bytes', '00 A4', '6700'],
  ])('%s → %s', (_, command, expected) => {
    expect(tx(card, command)).toBe(expected);
  });
});

describe('faults and power', () => {
  it("'garbled' runs the command but returns only its first byte, once", () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    card.failNext('garbled');
    expect(tx(card, verifyPin('0000'))).toBe('63');
    expect(card.triesLeft).toBe(2);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C2');
  });

  it("'mute' throws CardMuteError without running the command", () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    card.failNext('mute');
    expect(() => tx(card, verifyPin('0000'))).toThrow(CardMuteError);
    expect(card.triesLeft).toBe(3);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C3');
  });

  it('a powered-off card cannot answer', () => {
    card.powerOff();
    expect(() => tx(card, SELECT_AP)).toThrow(CardPoweredOffError);
  });
});

describe('the PIN stays inside the card', () => {
  it('is not shown by JSON, inspect or string forms', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    tx(card, verifyPin(PIN));
    for (const text of [JSON.stringify(card), inspect(card, { depth: 10, showHidden: true }), String(card), Object.keys(card).join()]) {
      expect(text).not.toContain(PIN);
    }
    expect(JSON.parse(JSON.stringify(card))).toEqual({ kind: 'my-number-card', triesLeft: 3, pinVerified: true, powered: true });
  });

  it('rejects a malformed configuration without quoting the PIN', () => {
    expect(() => new VirtualMyNumberCard({ kind: 'my-number-card', pin: '12345' })).toThrow(VirtualCardConfigError);
    try {
      new VirtualMyNumberCard({ kind: 'my-number-card', pin: '98765' });
    } catch (error) {
      expect((error as Error).message).not.toContain('98765');
    }
    expect(() => makeCard({ triesLeft: 4 })).toThrow(/triesLeft/);
    expect(() => makeCard({ authKey: createPublicKey(authKey) as KeyObject })).toThrow(/RSA-2048 private/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The signature side of the JPKI AP, the 券面事項入力補助AP, ATRs, other drivers' probes and volatile state.

const SIGN_PIN = 'KONBINI2025';
const INFO_PIN = '8080';
const SELECT_SIGN_CERT = '00 A4 02 0C 02 0001';
const SELECT_SIGN_CA = '00 A4 02 0C 02 0002';
const SELECT_SIGN_PIN = '00 A4 02 0C 02 001B';
const SELECT_SIGN_KEY = '00 A4 02 0C 02 001A';
const SELECT_INFO_AP = '00 A4 04 0C 0A D3921000310001010408';
const SELECT_INFO_PIN = '00 A4 02 0C 02 0011';
const SELECT_MY_NUMBER = '00 A4 02 0C 02 0001';
const SELECT_BASIC_FOUR = '00 A4 02 0C 02 0002';

const asciiHex = (text: string): string => Buffer.from(text, 'ascii').toString('hex');
const lc = (text: string): string => text.length.toString(16).padStart(2, '0');
/** VERIFY with the PIN as ASCII; P2 80 addresses the current EF, 80|SFI a PIN EF by its short identifier. */
const verifyWith = (pin: string, p2 = '80'): string => `00 20 00 ${p2} ${lc(pin)} ${asciiHex(pin)}`;
const changeTo = (pin: string, p2 = '80'): string => `00 24 01 ${p2} ${lc(pin)} ${asciiHex(pin)}`;
const hex16 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

const CARD_INFO: CardInfoOptions = {
  pin: INFO_PIN,
  myNumber: '012345678901',
  name: '髙﨑 𠮷子',
  address: '東京都',
  birthDate: '1985-04-01',
  sex: 'female',
};

function makeFullCard(overrides: Partial<VirtualMyNumberCardOptions> = {}): VirtualMyNumberCard {
  return makeCard({ signKey, signCertificate: signCert, signCaCertificate: signCaCert, signPin: SIGN_PIN, cardInfo: CARD_INFO, ...overrides });
}

describe('ATRs', () => {
  it.each([
    ['my-number-card', '3BDA13FF8131FB468012392F31C173C601C03B', MY_NUMBER_CARD_ATR],
    ['juki-card', '3BE000FF8131FE4514', JUKI_CARD_ATR],
    ['smartphone', '3B88800100000000B381A1009A', SMARTPHONE_ATR],
    ['city-card', '3BD818FF8131FE458066434954593031D4', CITY_CARD_ATR],
  ] as const)('%s answers %s, a well-formed ATR with a correct TCK', (kind, hex, constant) => {
    const atr = makeCard({ kind }).atr;
    expect(hexOf(atr)).toBe(hex);
    expect(atr).toEqual(constant);
    expect(atrChecksumOk(atr)).toBe(true);
    expect(atr.length).toBeLessThanOrEqual(33);
  });

  it('gives every kind a distinct ATR, and a card cannot change the exported constants', () => {
    const atrs = (['my-number-card', 'juki-card', 'smartphone', 'city-card'] as const).map((kind) => hexOf(makeCard({ kind }).atr));
    expect(new Set(atrs).size).toBe(4);
    makeCard().atr[1] = 0x00;
    expect(hexOf(MY_NUMBER_CARD_ATR)).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
  });

  it('the part-3 pseudo-ATR offers T=0 in TD1 and T=1 in TD2, with the 8 historical bytes of an ATQB', () => {
    // T0=88: TD1 present, K=8. TD1=80: TD2 present, T=0. TD2=01: T=1.
    expect([SMARTPHONE_ATR[1], SMARTPHONE_ATR[2], SMARTPHONE_ATR[3]]).toEqual([0x88, 0x80, 0x01]);
    expect(hexOf(SMARTPHONE_ATR.subarray(4, 12))).toBe('00000000B381A100');
  });

  it.each([
    ['a flipped historical byte', '3BDA13FF8131FB468012392F31C173C601C13B'],
    ['a missing TCK', '3BDA13FF8131FB468012392F31C173C601C0'],
    ['an extra byte', '3BE000FF8131FE451400'],
    ['a wrong TCK on the pseudo-ATR', '3B88800100000000B381A1009B'],
    ['an unknown TS', '3CE000FF8131FE4514'],
    ['an interface byte announced but missing', '3BF0'],
    ['34 bytes', '3B8F8001' + '00'.repeat(15) + '00'.repeat(15)],
    ['nothing', ''],
  ])('atrChecksumOk refuses %s', (_, hex) => {
    expect(atrChecksumOk(Buffer.from(hex, 'hex'))).toBe(false);
  });

  it('atrChecksumOk accepts a T=0-only ATR, which carries no TCK', () => {
    expect(atrChecksumOk(Buffer.from('3B021450', 'hex'))).toBe(true);
    expect(atrChecksumOk(Buffer.from('3B02145000', 'hex'))).toBe(false);
  });
});

describe('the signature side of the JPKI AP', () => {
  beforeEach(() => {
    card = makeFullCard();
    tx(card, SELECT_AP);
  });

  it('without the sign options, EFs 0001, 0002, 001A and 001B do not exist', () => {
    const bare = makeCard();
    tx(bare, SELECT_AP);
    for (const select of [SELECT_SIGN_CERT, SELECT_SIGN_CA, SELECT_SIGN_PIN, SELECT_SIGN_KEY]) expect(tx(bare, select)).toBe('6A82');
    expect(tx(bare, '00 B0 81 00 04')).toBe('6A82');
    expect(tx(bare, '00 B0 82 00 04')).toBe('6A82');
    expect(tx(bare, '00 20 00 9B')).toBe('6A88');
  });

  it('EF 0001 answers 6982 to every read until the signature PIN is verified, even past its end', () => {
    expect(tx(card, SELECT_SIGN_CERT)).toBe('9000');
    expect(tx(card, '00 B0 00 00 04')).toBe('6982');
    expect(tx(card, '00 B0 00 00 00 00 00')).toBe('6982');
    expect(tx(card, '00 B0 7F 00 01')).toBe('6982'); // the locked EF does not reveal its length with 6B00
    expect(tx(card, '00 B0 81 00 04')).toBe('6982');
    // The user-authentication PIN does not open it.
    tx(card, SELECT_PIN);
    expect(tx(card, verifyPin(PIN))).toBe('9000');
    expect(tx(card, '00 B0 81 00 04')).toBe('6982');
  });

  it('EF 0001 reads exactly after VERIFY of 001B, by FID and by SFI', () => {
    expect(tx(card, SELECT_SIGN_PIN)).toBe('9000');
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('9000');
    expect(card.signPinVerified).toBe(true);
    expect(tx(card, SELECT_SIGN_CERT)).toBe('9000');
    expect(tx(card, '00 B0 00 00 04')).toBe(`3082${hex16(signCert.length - 4)}9000`);
    expect(tx(card, '00 B0 00 00 00 00 00')).toBe(hexOf(signCert) + '9000');
    expect(tx(card, '00 B0 81 00 00 00 00')).toBe(hexOf(signCert) + '9000');
    expect(new X509Certificate(signCert).publicKey.equals(createPublicKey(signKey))).toBe(true);
  });

  it('EF 0002, the signature CA certificate, reads freely', () => {
    expect(tx(card, SELECT_SIGN_CA)).toBe('9000');
    expect(tx(card, '00 B0 00 00 00 00 00')).toBe(hexOf(signCaCert) + '9000');
    expect(tx(card, '00 B0 82 00 04')).toBe(hexOf(signCaCert.subarray(0, 4)) + '9000');
  });

  it('counts the signature PIN down 63C5 → 63C4 … 63C0 on its own counter, then refuses even the right PIN', () => {
    tx(card, SELECT_SIGN_PIN);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C5');
    expect(tx(card, verifyWith('WRONG1'))).toBe('63C4');
    expect(tx(card, verifyWith('WRONG2'))).toBe('63C3');
    expect(tx(card, VERIFY_EMPTY)).toBe('63C3');
    expect(tx(card, verifyWith('WRONG3'))).toBe('63C2');
    expect(tx(card, verifyWith('WRONG4'))).toBe('63C1');
    expect(tx(card, verifyWith('WRONG5'))).toBe('63C0');
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('63C0');
    expect(tx(card, VERIFY_EMPTY)).toBe('63C0');
    expect([card.signTriesLeft, card.signPinVerified]).toEqual([0, false]);
    // The user-authentication PIN keeps its own counter.
    tx(card, SELECT_PIN);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C3');
    expect(tx(card, verifyPin(PIN))).toBe('9000');
  });

  it('a right signature PIN resets its counter to 5; the card compares bytes, so lower case is wrong', () => {
    tx(card, SELECT_SIGN_PIN);
    expect(tx(card, verifyWith(SIGN_PIN.toLowerCase()))).toBe('63C4');
    expect(tx(card, verifyWith(SIGN_PIN + '0'))).toBe('63C3');
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('9000');
    expect(card.signTriesLeft).toBe(5);
    expect(tx(card, VERIFY_EMPTY)).toBe('63C5');
  });

  it('VERIFY by P2=9B (0x80 | SFI 1B) works without selecting 001B', () => {
    expect(tx(card, '00 20 00 9B')).toBe('63C5');
    expect(tx(card, verifyWith(SIGN_PIN, '9B'))).toBe('9000');
    expect(card.signPinVerified).toBe(true);
    expect(card.pinVerified).toBe(false);
  });

  it.each([
    ['63C0', '63C0'],
    ['6983', '6983'],
  ] as const)('blockedStatus %s applies to the signature PIN too', (blockedStatus, expected) => {
    const locked = makeFullCard({ blockedStatus, signTriesLeft: 1 });
    tx(locked, SELECT_AP);
    tx(locked, SELECT_SIGN_PIN);
    expect(tx(locked, VERIFY_EMPTY)).toBe('63C1');
    expect(tx(locked, verifyWith('WRONG1'))).toBe('63C0');
    expect(tx(locked, verifyWith(SIGN_PIN))).toBe(expected);
    expect(tx(locked, VERIFY_EMPTY)).toBe(expected);
    expect(tx(locked, changeTo('NEWPIN99'))).toBe(expected);
  });

  it('signTriesLeft: 0 configures a locked signature PIN', () => {
    const locked = makeFullCard({ signTriesLeft: 0 });
    tx(locked, SELECT_AP);
    tx(locked, SELECT_SIGN_PIN);
    expect(tx(locked, verifyWith(SIGN_PIN))).toBe('63C0');
    expect(locked.signPinVerified).toBe(false);
  });

  describe('COMPUTE DIGITAL SIGNATURE with EF 001A', () => {
    const message = Buffer.from('申請書 2025-06-01', 'utf8');
    const info = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX, 'hex'), createHash('sha256').update(message).digest()]);
    const signCommand = `80 2A 00 80 33 ${info.toString('hex')} 00`;

    it('answers 6982 before the signature PIN, and the user-authentication PIN does not open it', () => {
      tx(card, SELECT_SIGN_KEY);
      expect(tx(card, signCommand)).toBe('6982');
      tx(card, SELECT_PIN);
      tx(card, verifyPin(PIN));
      tx(card, SELECT_SIGN_KEY);
      expect(tx(card, signCommand)).toBe('6982');
    });

    it('the signature PIN does not open the user-authentication key 0017', () => {
      tx(card, SELECT_SIGN_PIN);
      tx(card, verifyWith(SIGN_PIN));
      tx(card, SELECT_KEY);
      expect(tx(card, signCommand)).toBe('6982');
    });

    it('signs after VERIFY of 001B; the signature verifies against the signature certificate, not the auth one', () => {
      tx(card, SELECT_SIGN_PIN);
      expect(tx(card, verifyWith(SIGN_PIN))).toBe('9000');
      expect(tx(card, SELECT_SIGN_KEY)).toBe('9000');
      const response = Buffer.from(tx(card, signCommand), 'hex');
      expect(response.length).toBe(258);
      expect(hexOf(response.subarray(256))).toBe('9000');
      const signature = response.subarray(0, 256);
      expect(verify('sha256', message, new X509Certificate(signCert).publicKey, signature)).toBe(true);
      expect(verify('sha256', message, new X509Certificate(authCert).publicKey, signature)).toBe(false);
      const raw = publicDecrypt({ key: new X509Certificate(signCert).publicKey, padding: constants.RSA_NO_PADDING }, signature);
      expect(hexOf(raw.subarray(0, 2))).toBe('0001');
      expect(raw.subarray(256 - 51)).toEqual(info);
    });

    it('a card with signKey but no signPin can never sign with it', () => {
      const keyOnly = makeCard({ signKey });
      tx(keyOnly, SELECT_AP);
      expect(tx(keyOnly, SELECT_SIGN_KEY)).toBe('9000');
      expect(tx(keyOnly, SELECT_SIGN_PIN)).toBe('6A82');
      expect(tx(keyOnly, signCommand)).toBe('6982');
    });
  });
});

describe('CHANGE REFERENCE DATA for every PIN', () => {
  beforeEach(() => {
    card = makeFullCard();
  });

  it('changes the signature PIN after VERIFY; the old one is then wrong and the new one verifies', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_SIGN_PIN);
    expect(tx(card, changeTo('NEWPASS42'))).toBe('6982');
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('9000');
    expect(tx(card, changeTo('NEWPASS42'))).toBe('9000');
    expect(card.signPinVerified).toBe(true);
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('63C4');
    expect(tx(card, verifyWith('NEWPASS42'))).toBe('9000');
    expect(card.signTriesLeft).toBe(5);
  });

  it.each([
    ['no digit', 'ABCDEF'],
    ['no letter', '123456'],
    ['lower case', 'abc123'],
    ['5 characters', 'ABC12'],
    ['17 characters', 'ABCDEFGHIJKLMNOP1'],
    ['a symbol', 'ABC-123'],
    ['4 digits', '1234'],
  ])('refuses a new signature PIN with %s with 6A80 and keeps the old one', (_, bad) => {
    tx(card, SELECT_AP);
    tx(card, SELECT_SIGN_PIN);
    tx(card, verifyWith(SIGN_PIN));
    expect(tx(card, changeTo(bad))).toBe('6A80');
    expect(tx(card, verifyWith(SIGN_PIN))).toBe('9000');
  });

  it('accepts a 16-character signature PIN and one of 6', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_SIGN_PIN);
    tx(card, verifyWith(SIGN_PIN));
    expect(tx(card, changeTo('ABCDEFGHIJKLMNO1'))).toBe('9000');
    expect(tx(card, changeTo('A1B2C3'))).toBe('9000');
    expect(tx(card, verifyWith('A1B2C3'))).toBe('9000');
  });

  it('changes the signature PIN by P2=9B, and the auth PIN by P2=98', () => {
    tx(card, SELECT_AP);
    tx(card, verifyWith(SIGN_PIN, '9B'));
    tx(card, verifyWith(PIN, '98'));
    expect(tx(card, changeTo('ZZZZ9999', '9B'))).toBe('9000');
    expect(tx(card, changeTo('0420', '98'))).toBe('9000');
    expect(tx(card, verifyWith('ZZZZ9999', '9B'))).toBe('9000');
    expect(tx(card, verifyWith('0420', '98'))).toBe('9000');
    expect(tx(card, verifyWith(PIN, '98'))).toBe('63C2');
  });

  it('verifying one PIN does not allow changing another', () => {
    tx(card, SELECT_AP);
    tx(card, verifyWith(PIN, '98'));
    expect(tx(card, changeTo('NEWPASS42', '9B'))).toBe('6982');
  });

  it('changes the card-info PIN (4 digits) after its VERIFY and refuses other formats with 6A80', () => {
    tx(card, SELECT_INFO_AP);
    tx(card, SELECT_INFO_PIN);
    expect(tx(card, changeTo('1357'))).toBe('6982');
    expect(tx(card, verifyWith(INFO_PIN))).toBe('9000');
    expect(tx(card, changeTo('ABCD'))).toBe('6A80');
    expect(tx(card, changeTo('12345'))).toBe('6A80');
    expect(tx(card, changeTo('123'))).toBe('6A80');
    expect(tx(card, changeTo('1357'))).toBe('9000');
    expect(tx(card, verifyWith(INFO_PIN))).toBe('63C2');
    expect(tx(card, verifyWith('1357'))).toBe('9000');
  });

  it('answers 6A86 to P1=00 (old and new PIN in one command), which is not emulated', () => {
    tx(card, SELECT_AP);
    tx(card, SELECT_SIGN_PIN);
    tx(card, verifyWith(SIGN_PIN));
    expect(tx(card, `00 24 00 80 ${lc(SIGN_PIN + 'NEWPASS42')} ${asciiHex(SIGN_PIN + 'NEWPASS42')}`)).toBe('6A86');
  });
});

describe('券面事項入力補助AP', () => {
  beforeEach(() => {
    card = makeFullCard();
  });

  it('is selected by its AID only on a card configured with cardInfo', () => {
    expect(tx(makeCard(), SELECT_INFO_AP)).toBe('6A82');
    expect(tx(card, SELECT_INFO_AP)).toBe('9000');
    expect(tx(card, '00 A4 04 00 0A D3921000310001010408 00')).toBe('9000');
  });

  it('EF 0001 answers 6982 before the PIN, then exactly the 17 bytes of the spec trace', () => {
    tx(card, SELECT_INFO_AP);
    expect(tx(card, SELECT_MY_NUMBER)).toBe('9000');
    expect(tx(card, '00 B0 00 00 00')).toBe('6982');
    expect(tx(card, '00 B0 00 00 11')).toBe('6982');
    tx(card, SELECT_INFO_PIN);
    expect(tx(card, verifyWith(INFO_PIN))).toBe('9000');
    tx(card, SELECT_MY_NUMBER);
    // `00 B0 00 00 00` → `FF 10 0C 30 31 32 33 34 35 36 37 38 39 30 31 FF FF 90 00` (tex2e trace, PIN verified)
    expect(tx(card, '00 B0 00 00 00')).toBe('FF100C303132333435363738393031FFFF9000');
    expect(tx(card, '00 B0 00 00 11')).toBe('FF100C303132333435363738393031FFFF9000');
    expect(tx(card, '00 B0 00 03 0C')).toBe('3031323334353637383930319000');
    expect(tx(card, '00 B0 00 11 01')).toBe('6B00');
  });

  it('EF 0002 answers 6982 before the PIN, then FF 20 82 00 37 and its items', () => {
    tx(card, SELECT_INFO_AP);
    tx(card, SELECT_BASIC_FOUR);
    expect(tx(card, '00 B0 00 00 07')).toBe('6982');
    tx(card, SELECT_INFO_PIN);
    tx(card, verifyWith(INFO_PIN));
    tx(card, SELECT_BASIC_FOUR);
    expect(tx(card, '00 B0 00 00 00')).toBe(
      [
        'FF20820037',
        'DF2108000B001C00280033',
        'DF220EE9AB99EFA89120F0A0AEB7E5AD90',
        'DF2309E69DB1E4BAACE983BD',
        'DF24083139383530343031',
        'DF250132',
        '9000',
      ].join(''),
    );
    expect(tx(card, '00 B0 00 02 01')).toBe('829000'); // tex2e reads the length form byte first
  });

  it('reads by SFI (P1 = 80|SFI) with the jsapdu extended form, after VERIFY by P2 = 80|11', () => {
    tx(card, SELECT_INFO_AP);
    expect(tx(card, '00 B0 81 00 11')).toBe('6982');
    expect(tx(card, '00 20 00 91')).toBe('63C3');
    expect(tx(card, verifyWith(INFO_PIN, '91'))).toBe('9000');
    expect(tx(card, '00 B0 81 00 00 00 00')).toBe('FF100C303132333435363738393031FFFF9000');
    expect(tx(card, '00 B0 82 00 05')).toBe('FF208200379000');
    expect(tx(card, '00 B0 00 00 03')).toBe('FF20829000'); // the SFI read made EF 0002 current
    expect(tx(card, '00 B0 85 00 01')).toBe('6A82'); // EF 0005 (AP basic info) is not emulated
  });

  it('counts its PIN 63C3 → 63C0 on its own counter, with blockedStatus applying', () => {
    const strict = makeFullCard({ blockedStatus: '6983' });
    tx(strict, SELECT_INFO_AP);
    tx(strict, SELECT_INFO_PIN);
    expect(tx(strict, VERIFY_EMPTY)).toBe('63C3');
    expect(tx(strict, verifyWith('0000'))).toBe('63C2');
    expect(tx(strict, verifyWith('1111'))).toBe('63C1');
    expect(tx(strict, verifyWith('2222'))).toBe('63C0');
    expect(tx(strict, verifyWith(INFO_PIN))).toBe('6983');
    expect(tx(strict, '00 B0 81 00 11')).toBe('6982');
    expect([strict.cardInfoTriesLeft, strict.triesLeft, strict.signTriesLeft]).toEqual([0, 3, 5]);
  });

  it('cardInfo.triesLeft configures its counter; a right PIN resets it to 3', () => {
    const worn = makeFullCard({ cardInfo: { ...CARD_INFO, triesLeft: 1 } });
    tx(worn, SELECT_INFO_AP);
    tx(worn, SELECT_INFO_PIN);
    expect(tx(worn, VERIFY_EMPTY)).toBe('63C1');
    expect(tx(worn, verifyWith(INFO_PIN))).toBe('9000');
    expect(tx(worn, VERIFY_EMPTY)).toBe('63C3');
  });

  it('has its own files: the JPKI EFs are not found in it, and its PIN EF is not found in the JPKI AP', () => {
    tx(card, SELECT_INFO_AP);
    expect(tx(card, SELECT_CERT)).toBe('6A82');
    expect(tx(card, SELECT_PIN)).toBe('6A82');
    expect(tx(card, '00 20 00 98')).toBe('6A88');
    tx(card, SELECT_AP);
    expect(tx(card, SELECT_INFO_PIN)).toBe('6A82');
    expect(tx(card, '00 20 00 91')).toBe('6A88');
  });

  it('does not sign: 80 2A in this AP answers 6982', () => {
    tx(card, SELECT_INFO_AP);
    tx(card, SELECT_INFO_PIN);
    tx(card, verifyWith(INFO_PIN));
    tx(card, SELECT_MY_NUMBER);
    expect(tx(card, `80 2A 00 80 33 ${DIGEST_INFO_PREFIX}${'00'.repeat(32)} 00`)).toBe('6982');
  });
});

describe('switching APs', () => {
  beforeEach(() => {
    card = makeFullCard();
  });

  it('selecting the 券面事項入力補助AP clears both verified JPKI PINs', () => {
    tx(card, SELECT_AP);
    tx(card, verifyWith(PIN, '98'));
    tx(card, verifyWith(SIGN_PIN, '9B'));
    expect([card.pinVerified, card.signPinVerified]).toEqual([true, true]);
    expect(tx(card, SELECT_INFO_AP)).toBe('9000');
    expect([card.pinVerified, card.signPinVerified]).toEqual([false, false]);
    tx(card, SELECT_AP);
    expect(tx(card, '00 B0 81 00 04')).toBe('6982');
    tx(card, SELECT_KEY);
    expect(tx(card, `80 2A 00 80 33 ${DIGEST_INFO_PREFIX}${'00'.repeat(32)} 00`)).toBe('6982');
  });

  it('selecting the JPKI AP clears the verified card-info PIN', () => {
    tx(card, SELECT_INFO_AP);
    tx(card, verifyWith(INFO_PIN, '91'));
    expect(card.cardInfoPinVerified).toBe(true);
    tx(card, SELECT_AP);
    expect(card.cardInfoPinVerified).toBe(false);
    tx(card, SELECT_INFO_AP);
    expect(tx(card, '00 B0 81 00 11')).toBe('6982');
  });

  it('a refused SELECT of an unknown AID changes neither the AP nor the verified PIN', () => {
    tx(card, SELECT_INFO_AP);
    tx(card, verifyWith(INFO_PIN, '91'));
    expect(tx(card, '00 A4 04 0C 06 A00000000101')).toBe('6A82');
    expect(card.cardInfoPinVerified).toBe(true);
    expect(tx(card, '00 B0 81 00 11')).toBe('FF100C303132333435363738393031FFFF9000');
  });
});

describe("other drivers' probes (OpenSC §5.3)", () => {
  // The AIDs exactly as spec §5.3 lists them. For coolkey the spec gives only the prefix `A0 00 00 01 16…`, so that
  // prefix is probed as written, plus the AID OpenSC's card-coolkey.c really selects (62 76 01 FF 00 00 00) and the
  // CAC AID that starts with that prefix (A0 00 00 01 16 DB 00).
  const probes = [
    ['muscle', 'A00000000101'],
    ['coolkey (spec prefix)', 'A000000116'],
    ['coolkey (card-coolkey.c)', '627601FF000000'],
    ['CAC', 'A000000116DB00'],
    ['PIV', 'A00000030800001000'],
    ['gids', 'A00000039742544659'],
    ['isoApplet', 'F276A288BCFBA69D34F31001'],
    ['sc-hsm', 'E82B0601040181C31F0201'],
    ['openpgp', 'D27600012401'],
    ['券面事項確認AP (not emulated)', 'D3921000310001010402'],
    ['住基AP (not emulated)', 'D3921000310001010100'],
    ['D3921000310001010401 (purpose unknown)', 'D3921000310001010401'],
    ['the JPKI AID with an extra byte', 'D392F00026010000000100'],
    // (A prefix of an AID selects its AP: partial DF names, tested under SELECT.)
  ] as const;

  it.each(probes)('%s: SELECT by AID answers 6A82, with P2=0C and with P2=00', (_, aid) => {
    const full = makeFullCard();
    const length = (aid.length / 2).toString(16).padStart(2, '0');
    expect(tx(full, `00 A4 04 0C ${length} ${aid}`)).toBe('6A82');
    expect(tx(full, `00 A4 04 00 ${length} ${aid}`)).toBe('6A82');
    expect(tx(full, `00 A4 04 00 ${length} ${aid} 00`)).toBe('6A82');
  });

  it('answers 6A82 to every probe on a city card, and the probes leave a verified PIN alone', () => {
    const city = makeCard({ kind: 'city-card' });
    for (const [, aid] of probes) expect(tx(city, `00 A4 04 0C ${(aid.length / 2).toString(16).padStart(2, '0')} ${aid}`)).toBe('6A82');
    tx(card, SELECT_AP);
    tx(card, SELECT_PIN);
    tx(card, verifyPin(PIN));
    for (const [, aid] of probes) tx(card, `00 A4 04 0C ${(aid.length / 2).toString(16).padStart(2, '0')} ${aid}`);
    expect(card.pinVerified).toBe(true);
  });

  it.each([
    ['coolkey GET LIFE CYCLE (CLA B0)', 'B0 F2 00 00 04', '6E00'],
    ['muscle GET STATUS (CLA B0)', 'B0 3C 00 00 10', '6E00'],
    ['CLA 84 (secure messaging)', '84 A4 04 0C 0A D392F000260100000001', '6E00'],
    ['CLA 0C', '0C B0 00 00 04', '6E00'],
    ['CLA 01 (logical channel 1)', '01 A4 04 0C 0A D392F000260100000001', '6E00'],
    ['CLA FF', 'FF CA 00 00 00', '6E00'],
    ['GlobalPlatform GET DATA CPLC (CLA 80 CA)', '80 CA 9F 7F 00', '6D00'],
    ['READ RECORD of an AP without records', '00 B2 01 0C 00', '6A82'],
    ['INTERNAL AUTHENTICATE', '00 88 00 00 08 0102030405060708 00', '6D00'],
    ['GET CHALLENGE', '00 84 00 00 08', '6D00'],
    ['MANAGE SECURITY ENVIRONMENT', '00 22 41 B6 03 840101', '6D00'],
    ['ISO PSO: COMPUTE DIGITAL SIGNATURE with CLA 00', '00 2A 9E 9A 03 010203 00', '6D00'],
  ])('%s → %s', (_, command, expected) => {
    expect(tx(makeFullCard(), command)).toBe(expected);
  });
});

describe('power and reset clear every verified PIN', () => {
  const ways = [
    ['a power cycle', (c: VirtualMyNumberCard) => (c.powerOff(), c.powerOn())],
    ['a warm reset', (c: VirtualMyNumberCard) => c.reset()],
  ] as const;
  const pins = [
    ['user-authentication', SELECT_AP, verifyWith(PIN, '98'), (c: VirtualMyNumberCard) => c.pinVerified, '00 A4 02 0C 02 0017'],
    ['signature', SELECT_AP, verifyWith(SIGN_PIN, '9B'), (c: VirtualMyNumberCard) => c.signPinVerified, '00 B0 81 00 04'],
    ['card-info', SELECT_INFO_AP, verifyWith(INFO_PIN, '91'), (c: VirtualMyNumberCard) => c.cardInfoPinVerified, '00 B0 81 00 11'],
  ] as const;

  for (const [way, clear] of ways) {
    it.each(pins)(`%s PIN: ${way} drops the selection and the verified state, keeps the counter`, (_, selectAp, verifyCommand, verified, guarded) => {
      const full = makeFullCard();
      tx(full, selectAp);
      expect(tx(full, verifyCommand)).toBe('9000');
      expect(verified(full)).toBe(true);
      clear(full);
      expect(verified(full)).toBe(false);
      expect(tx(full, guarded)).toBe('6A82'); // nothing is selected
      tx(full, selectAp);
      const answer = tx(full, guarded);
      if (guarded.startsWith('00 A4')) {
        // The auth key: selectable, but signing needs the PIN again.
        expect(answer).toBe('9000');
        expect(tx(full, `80 2A 00 80 33 ${DIGEST_INFO_PREFIX}${'00'.repeat(32)} 00`)).toBe('6982');
      } else {
        expect(answer).toBe('6982');
      }
      expect([full.triesLeft, full.signTriesLeft, full.cardInfoTriesLeft]).toEqual([3, 5, 3]);
    });
  }

  it('a reset clears the auth and the signature PIN verified together in the JPKI AP', () => {
    const full = makeFullCard();
    tx(full, SELECT_AP);
    tx(full, verifyWith(PIN, '98'));
    tx(full, verifyWith(SIGN_PIN, '9B'));
    full.reset();
    expect([full.pinVerified, full.signPinVerified, full.cardInfoPinVerified]).toEqual([false, false, false]);
  });
});

describe('configuration of the new options', () => {
  it.each([
    ['too short', 'ABC12'],
    ['too long', 'ABCDEFGHIJKLMNOP1'],
    ['lower case', 'konbini2025'],
    ['no digit', 'KONBINIX'],
    ['no letter', '20252025'],
  ])('refuses a signature PIN that is %s without quoting it', (_, bad) => {
    const attempt = (): VirtualMyNumberCard => makeCard({ signPin: bad });
    expect(attempt).toThrow(VirtualCardConfigError);
    expect(attempt).toThrow(/6–16 characters/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it('refuses signTriesLeft outside 0–5 and a signKey that is not RSA-2048 private', () => {
    expect(() => makeFullCard({ signTriesLeft: 6 })).toThrow(/signTriesLeft must be an integer 0–5/);
    expect(() => makeFullCard({ signTriesLeft: 1.5 })).toThrow(VirtualCardConfigError);
    expect(() => makeFullCard({ signKey: createPublicKey(signKey) as KeyObject })).toThrow(/signKey must be an RSA-2048 private/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => makeFullCard({ signKey: small })).toThrow(/signKey/);
  });

  it.each(['juki-card', 'smartphone', 'city-card'] as const)('refuses cardInfo on a %s, which has no 券面事項入力補助AP', (kind) => {
    expect(() => makeCard({ kind, cardInfo: CARD_INFO })).toThrow(/no 券面事項入力補助AP/);
  });

  it('refuses signature options on a city card, and accepts them on a juki card and a phone', () => {
    expect(() => makeCard({ kind: 'city-card', signPin: SIGN_PIN })).toThrow(/city card has no JPKI AP/);
    for (const kind of ['juki-card', 'smartphone'] as const) {
      const other = makeFullCard({ kind, cardInfo: undefined });
      tx(other, SELECT_AP);
      expect(tx(other, verifyWith(SIGN_PIN, '9B'))).toBe('9000');
      expect(tx(other, SELECT_INFO_AP)).toBe('6A82');
    }
  });

  it.each([
    ['a PIN of 5 digits', { pin: '80801' }, /cardInfo.pin/],
    ['a PIN of letters', { pin: 'ABCD' }, /cardInfo.pin/],
    ['triesLeft 4', { triesLeft: 4 }, /cardInfo.triesLeft must be an integer 0–3/],
    ['an 11-digit My Number', { myNumber: '01234567890' }, /12 ASCII digits/],
    ['an empty name', { name: ' ' }, /cardInfo.name/],
    ['a lone surrogate in the address', { address: '東京\uD842' }, /cardInfo.address/],
    ['a birth date that does not exist', { birthDate: '1985-02-30' }, /real date/],
    ['a birth date in another form', { birthDate: '1985/04/01' }, /YYYY-MM-DD/],
    ['an unknown sex', { sex: 'unknown' as CardInfoOptions['sex'] }, /male, female or not-applicable/],
    ['an address too long for READ BINARY', { address: 'あ'.repeat(11_000) }, /more than the 32768/],
  ] as const)('refuses cardInfo with %s', (_, change, message) => {
    expect(() => makeCard({ cardInfo: { ...CARD_INFO, ...change } })).toThrow(message);
  });

  it('never quotes the card-info PIN or the My Number in a configuration error', () => {
    const messages: string[] = [];
    for (const cardInfo of [{ ...CARD_INFO, pin: '80801' }, { ...CARD_INFO, myNumber: '98765432101' }]) {
      try {
        makeCard({ cardInfo });
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(2);
    expect(messages.join()).not.toMatch(/80801|98765432101/);
  });
});

describe('every PIN and the personal data stay inside the card', () => {
  it('no JSON, inspect or string form shows a PIN, the My Number, the name or the address', () => {
    const full = makeFullCard();
    tx(full, SELECT_AP);
    tx(full, verifyWith(SIGN_PIN, '9B'));
    const texts = [JSON.stringify(full), inspect(full, { depth: 10, showHidden: true }), String(full), Object.keys(full).join()];
    for (const secret of [PIN, SIGN_PIN, INFO_PIN, CARD_INFO.myNumber, CARD_INFO.name, CARD_INFO.address]) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(full))).toEqual({
      kind: 'my-number-card',
      triesLeft: 3,
      pinVerified: false,
      powered: true,
      signTriesLeft: 5,
      signPinVerified: true,
      cardInfoTriesLeft: 3,
      cardInfoPinVerified: false,
      otherTriesLeft: { cardInfoA: 10 },
    });
  });
});

describe('memory written before the card answers (a card store keeps it)', () => {
  it('counts the try and writes it before comparing; a PIN itself is never in what it writes', () => {
    const writes: Array<{ triesLeft: number; json: string }> = [];
    const c = makeCard({ onMemoryWrite: (m) => writes.push({ triesLeft: m.auth.triesLeft, json: JSON.stringify(m) }) });
    tx(c, SELECT_AP);
    tx(c, SELECT_PIN);
    expect(tx(c, verifyPin('1111'))).toBe('63C2');
    expect(writes.map((w) => w.triesLeft)).toEqual([2]);
    // The right PIN: the try is counted first (2 → 1), then the counter filled again (→ 3): two writes.
    expect(tx(c, verifyPin(PIN))).toBe('9000');
    expect(writes.map((w) => w.triesLeft)).toEqual([2, 1, 3]);
    for (const w of writes) expect(w.json).not.toContain(PIN);
    // Kept and given back: a card made from that memory has the same PIN and counter.
    const again = makeCard({ pin: undefined, memory: c.memory() });
    tx(again, SELECT_AP);
    tx(again, SELECT_PIN);
    expect(tx(again, VERIFY_EMPTY)).toBe('63C3');
    expect(tx(again, verifyPin(PIN))).toBe('9000');
  });

  it('a memory that cannot be written answers 6581, to a wrong PIN and a right one alike, and to everything after', () => {
    for (const guess of [PIN, '1111']) {
      const c = makeCard({ onMemoryWrite: () => { throw new Error('ENOSPC'); } });
      tx(c, SELECT_AP);
      tx(c, SELECT_PIN);
      // The answer says nothing of whether the PIN was right: there is no free try to learn from.
      expect(tx(c, verifyPin(guess)), guess === PIN ? 'right PIN' : 'wrong PIN').toBe('6581');
      expect(tx(c, SELECT_AP)).toBe('6581');
      expect(c.pinVerified).toBe(false);
    }
  });
});
