import { X509Certificate, constants, createHash, createPublicKey, generateKeyPairSync, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestCa } from '../center/x509/test-ca.ts';
import {
  CardMuteError,
  CardPoweredOffError,
  JUKI_CARD_ATR,
  MY_NUMBER_CARD_ATR,
  VirtualCardConfigError,
  VirtualMyNumberCard,
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
    expect(tx(card, '00 A4 04 0C 0A D3921000310001010408')).toBe('6A82'); // 券面事項入力補助AP: not emulated yet
  });

  it('selects EFs by FID only after the AP, and answers 6A82 to unknown FIDs', () => {
    expect(tx(card, SELECT_CERT)).toBe('6A82');
    tx(card, SELECT_AP);
    expect(tx(card, SELECT_CERT)).toBe('9000');
    expect(tx(card, SELECT_CA)).toBe('9000');
    expect(tx(card, '00 A4 02 0C 02 0001')).toBe('6A82'); // sign certificate is not emulated
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
