import { X509Certificate, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestCa } from '../center/x509/test-ca.ts';
import { ResponseApdu } from './apdu.ts';
import { CardInfoClient } from './card-info-client.ts';
import { InvalidDigestInfoError, JpkiClient } from './jpki-client.ts';
import { CardStatusError, InvalidPinFormatError, PinRejectedError, PinRequiredError } from './ap-channel.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from './session.ts';
import { SimReader } from './sim-reader.ts';
import { VirtualMyNumberCard, type VirtualMyNumberCardOptions } from './virtual-card.ts';
import { RecordingSession, hexOf } from './testing/recording-session.ts';

const PIN = '4629';


/** A session that answers from a script, for card answers the virtual card never gives. */
function scriptedSession(answer: (command: Buffer) => string): CardSession {
  return {
    atr: Buffer.alloc(0),
    transmit: async (command) => ResponseApdu.from(Buffer.from(answer(command.toBytes()), 'hex')),
  };
}

let ca: TestCa;
let userKey: KeyObject;
let authCert: Buffer;
let signCa: TestCa;
let signKey: KeyObject;
let signCert: Buffer;

beforeAll(() => {
  signCa = new TestCa({
    privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    subject: 'C=JP, O=JPKI, OU=JPKI for digital signature (TEST)',
  });
  signKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  signCert = signCa.issueUserAuthCertificate({
    publicKey: createPublicKey(signKey),
    serial: 0x51c0ffeen,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  });
  ca = new TestCa({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
  userKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  authCert = ca.issueUserAuthCertificate({
    publicKey: createPublicKey(userKey),
    serial: 0x0a1b2c3dn,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  });
});

let reader: SimReader;
let card: VirtualMyNumberCard;
let session: RecordingSession;
let client: JpkiClient;

function setUp(overrides: Partial<VirtualMyNumberCardOptions> = {}): void {
  reader = new SimReader();
  card = new VirtualMyNumberCard({ kind: 'my-number-card', authKey: userKey, authCertificate: authCert, caCertificate: ca.certificate, pin: PIN, ...overrides });
  reader.insert(card);
  session = new RecordingSession(reader.connect());
  client = new JpkiClient(session);
}

beforeEach(() => setUp());

describe('readToken', () => {
  it.each([
    ['my-number-card', 'JPKIAPICCTOKEN2'],
    ['juki-card', 'JPKIAPICCTOKEN'],
    ['smartphone', 'JPKIAPGPSETOKEN'],
  ] as const)('reads %s as %s', async (kind, token) => {
    setUp({ kind });
    expect(await client.readToken()).toBe(token);
    expect(session.sent).toEqual(['00A4040C0AD392F000260100000001', '00A4020C020006', '00B0000020']);
  });

  it('returns null for a card without the JPKI AP', async () => {
    setUp({ kind: 'city-card' });
    expect(await client.readToken()).toBeNull();
    expect(session.sent).toEqual(['00A4040C0AD392F000260100000001']);
  });

  it('trims trailing NULs and spaces', async () => {
    const padded = Buffer.concat([Buffer.from('JPKIAPICCTOKEN2'), Buffer.from('0000202000', 'hex')]);
    const scripted = new JpkiClient(scriptedSession((c) => (c[1] === 0xb0 ? hexOf(padded) + '9000' : '9000')));
    expect(await scripted.readToken()).toBe('JPKIAPICCTOKEN2');
  });
});

describe('certificates', () => {
  it('reads the auth certificate like OpenSC: 4-byte header, then short reads of at most 256 bytes', async () => {
    const der = await client.readAuthCertificate();
    expect(der).toEqual(authCert);
    const [selectAp, selectEf, head, ...chunks] = session.sent;
    expect([selectAp, selectEf, head]).toEqual(['00A4040C0AD392F000260100000001', '00A4020C02000A', '00B0000004']);
    let offset = 4;
    for (const chunk of chunks) {
      const want = Math.min(256, authCert.length - offset);
      expect(chunk).toBe(`00B0${offset.toString(16).toUpperCase().padStart(4, '0')}${(want & 0xff).toString(16).toUpperCase().padStart(2, '0')}`);
      offset += want;
    }
    expect(offset).toBe(authCert.length);
    expect(new X509Certificate(der).verify(ca.publicKey)).toBe(true);
  });

  it('reads the CA certificate from EF 000B', async () => {
    expect(await client.readCaCertificate()).toEqual(ca.certificate);
    expect(session.sent[1]).toBe('00A4020C02000B');
  });

  it('selects the AP only once per client', async () => {
    await client.readAuthCertificate();
    await client.readCaCertificate();
    expect(session.sent.filter((c) => c.startsWith('00A40404') || c.startsWith('00A4040C'))).toHaveLength(1);
  });

  it('rejects an EF that does not start with 30 82 as a CardCommunicationError', async () => {
    setUp({ authCertificate: Buffer.from('3081FF' + '00'.repeat(255), 'hex') });
    const error = (await client.readAuthCertificate().catch((e: unknown) => e)) as CardCommunicationError;
    expect(error).toBeInstanceOf(CardCommunicationError);
    expect(error.message).toContain('READ BINARY EF 000A got 4 byte(s) 30 81 FF 00');
    expect(error.message).toMatch(/30 82 HH LL/);
  });

  it('rejects an EF shorter than its header announces', async () => {
    setUp({ authCertificate: authCert.subarray(0, authCert.length - 100) });
    await expect(client.readAuthCertificate()).rejects.toThrow(CardCommunicationError);
  });

  it('raises CardStatusError when the EF is missing', async () => {
    setUp({ caCertificate: undefined });
    const error = (await client.readCaCertificate().catch((e: unknown) => e)) as CardStatusError;
    expect(error).toBeInstanceOf(CardStatusError);
    expect(error.command).toBe('SELECT EF 000B');
    expect(error.sw).toBe(0x6a82);
    expect(error.message).toContain('SELECT EF 000B was refused by the card with 6A82 file or application not found');
  });

  it('raises CardStatusError for a card without the JPKI AP', async () => {
    setUp({ kind: 'city-card' });
    await expect(client.readAuthCertificate()).rejects.toMatchObject({ name: 'CardStatusError', command: 'SELECT JPKI AP', sw: 0x6a82 });
  });
});

describe('PIN', () => {
  it('reads the tries left with an empty VERIFY that costs nothing', async () => {
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(session.sent.slice(-2)).toEqual(['00A4020C020018', '00200080']);
    expect(card.triesLeft).toBe(3);
  });

  it('reports wrong with tries left, then locked on the third failure, then locked even for the right PIN', async () => {
    expect(await client.verifyAuthPin('0000')).toEqual({ result: 'wrong', triesLeft: 2 });
    expect(await client.authPinTriesLeft()).toBe(2);
    expect(await client.verifyAuthPin('1111')).toEqual({ result: 'wrong', triesLeft: 1 });
    expect(await client.verifyAuthPin('2222')).toEqual({ result: 'locked' });
    expect(await client.verifyAuthPin(PIN)).toEqual({ result: 'locked' });
    expect(await client.authPinTriesLeft()).toBe(0);
  });

  it('maps a 6983 card to locked and 0 tries', async () => {
    setUp({ triesLeft: 0, blockedStatus: '6983' });
    expect(await client.authPinTriesLeft()).toBe(0);
    expect(await client.verifyAuthPin(PIN)).toEqual({ result: 'locked' });
  });

  it('verifies the right PIN with 00 20 00 80 04 <ASCII>', async () => {
    expect(await client.verifyAuthPin(PIN)).toEqual({ result: 'ok' });
    expect(session.sent.at(-1)).toBe('0020008004' + Buffer.from(PIN, 'ascii').toString('hex').toUpperCase());
    expect(card.pinVerified).toBe(true);
  });

  it.each([['123'], ['12345'], ['12a4'], [' 123'], ['１２３４'], ['']])('refuses %j before sending any APDU', async (bad) => {
    await expect(client.verifyAuthPin(bad)).rejects.toThrow(InvalidPinFormatError);
    expect(session.sent).toEqual([]);
  });

  it('refuses a non-string PIN before sending any APDU', async () => {
    await expect(client.verifyAuthPin(4629 as unknown as string)).rejects.toThrow(InvalidPinFormatError);
    expect(session.sent).toEqual([]);
  });

  it('keeps the PIN out of every error message', async () => {
    const messages: string[] = [];
    const collect = (e: unknown): void => void messages.push(String(e), (e as Error).message, JSON.stringify(e));
    // garbled answer to the VERIFY
    await client.authPinTriesLeft();
    card.failNext('garbled');
    await client.verifyAuthPin(PIN).catch(collect);
    // card without a PIN EF
    setUp({ pin: undefined });
    await client.verifyAuthPin(PIN).catch(collect);
    // card pulled out
    setUp();
    reader.remove();
    await client.verifyAuthPin(PIN).catch(collect);
    // malformed PIN that contains the real one
    await client.verifyAuthPin(PIN + '9').catch(collect);
    expect(messages.length).toBe(12);
    for (const message of messages) {
      expect(message).not.toContain(PIN);
      expect(message).not.toMatch(/34 ?36 ?32 ?39/);
    }
  });
});

describe('signWithAuthKey', () => {
  const message = Buffer.from('nonce from the issuance center 2025-06-01T10:00:00+09:00', 'utf8');

  it('signs after VERIFY; the signature verifies with the certificate read from the card', async () => {
    const der = await client.readAuthCertificate();
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(await client.verifyAuthPin(PIN)).toEqual({ result: 'ok' });
    const signature = await client.signWithAuthKey(JpkiClient.sha256DigestInfo(message));
    expect(signature.length).toBe(256);
    const cert = new X509Certificate(der);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(verify('sha256', message, cert.publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('a different nonce'), cert.publicKey, signature)).toBe(false);
    expect(session.sent.slice(-2)).toEqual([
      '00A4020C020017',
      '802A008033' + hexOf(JpkiClient.sha256DigestInfo(message)) + '00',
    ]);
    // The AP was selected once, before the VERIFY: a re-select would have dropped the PIN.
    expect(session.sent.filter((c) => c === '00A4040C0AD392F000260100000001')).toHaveLength(1);
  });

  it('raises CardStatusError 6982 without a verified PIN', async () => {
    const error = (await client.signWithAuthKey(JpkiClient.sha256DigestInfo(message)).catch((e: unknown) => e)) as CardStatusError;
    expect(error).toBeInstanceOf(CardStatusError);
    expect(error.sw).toBe(0x6982);
    expect(error.command).toBe('COMPUTE DIGITAL SIGNATURE auth key');
    expect(error.message).toMatch(/6982 security status not satisfied/);
  });

  it('a client on a new session after removal must verify again', async () => {
    await client.verifyAuthPin(PIN);
    reader.remove();
    await expect(client.signWithAuthKey(JpkiClient.sha256DigestInfo(message))).rejects.toThrow(CardRemovedError);
    reader.insert(card);
    const fresh = new JpkiClient(reader.connect());
    await expect(fresh.signWithAuthKey(JpkiClient.sha256DigestInfo(message))).rejects.toMatchObject({ sw: 0x6982 });
  });

  it('refuses input the card cannot sign before sending anything', async () => {
    await expect(client.signWithAuthKey(Buffer.alloc(0))).rejects.toThrow(InvalidDigestInfoError);
    await expect(client.signWithAuthKey(Buffer.alloc(246))).rejects.toThrow(/1–245 bytes/);
    expect(session.sent).toEqual([]);
  });
});

describe('sha256DigestInfo', () => {
  it('is the 51-byte DER DigestInfo of SHA-256', () => {
    expect(hexOf(JpkiClient.sha256DigestInfo(Buffer.from('abc')))).toBe(
      '3031300D060960864801650304020105000420' + 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The signature side, and clients taking turns on one session.

const SIGN_PIN = 'KONBINI2025';
const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const verifyApdu = (pin: string): string =>
  `00200080${pin.length.toString(16).toUpperCase().padStart(2, '0')}${Buffer.from(pin, 'ascii').toString('hex').toUpperCase()}`;

function setUpSigning(overrides: Partial<VirtualMyNumberCardOptions> = {}): void {
  setUp({ signKey, signCertificate: signCert, signCaCertificate: signCa.certificate, signPin: SIGN_PIN, ...overrides });
}

describe('readSignatureCertificate', () => {
  beforeEach(() => setUpSigning());

  it('without a PIN, a 6982 from the card is a PinRequiredError', async () => {
    const error = (await client.readSignatureCertificate().catch((e: unknown) => e)) as PinRequiredError;
    expect(error).toBeInstanceOf(PinRequiredError);
    expect([error.command, error.pin, error.sw]).toEqual(['READ BINARY EF 0001', 'sign', 0x6982]);
    expect(error.message).toContain('READ BINARY EF 0001 needs the signature password (署名用パスワード) verified first: the card answered 6982 security status not satisfied');
    expect(session.sent).toEqual([SELECT_JPKI, '00A4020C020001', '00B0000004']);
  });

  it('with a PIN, verifies 001B (upper-cased) and then reads the header and ≤256-byte chunks', async () => {
    const der = await client.readSignatureCertificate('konbini2025');
    expect(der).toEqual(signCert);
    expect(session.sent.slice(0, 6)).toEqual([SELECT_JPKI, '00A4020C02001B', verifyApdu(SIGN_PIN), '00A4020C020001', '00B0000004', '00B0000400']);
    expect(session.sent).toHaveLength(5 + Math.ceil((signCert.length - 4) / 256));
    const cert = new X509Certificate(der);
    expect(cert.verify(signCa.publicKey)).toBe(true);
    expect(card.signPinVerified).toBe(true);
  });

  it('once the PIN is verified in the session, reads without it', async () => {
    expect(await client.verifySignPin(SIGN_PIN)).toEqual({ result: 'ok' });
    expect(await client.readSignatureCertificate()).toEqual(signCert);
  });

  it('a wrong PIN is a PinRejectedError carrying the tries left; nothing is read', async () => {
    const error = (await client.readSignatureCertificate('WRONG123').catch((e: unknown) => e)) as PinRejectedError;
    expect(error).toBeInstanceOf(PinRejectedError);
    expect(error.verification).toEqual({ result: 'wrong', triesLeft: 4 });
    expect(error.message).toBe('the card did not accept the signature password (署名用パスワード): 4 tries left before it locks');
    expect(session.sent.at(-1)).toBe(verifyApdu('WRONG123'));
    expect(card.signTriesLeft).toBe(4);
  });

  it('a locked PIN is a PinRejectedError with result locked', async () => {
    setUpSigning({ signTriesLeft: 0, blockedStatus: '6983' });
    await expect(client.readSignatureCertificate(SIGN_PIN)).rejects.toMatchObject({ name: 'PinRejectedError', verification: { result: 'locked' } });
  });

  it.each([['ABCDE'], ['ABCDEFGHIJKLMNOP1'], ['ABCDEF'], ['123456'], ['ABC-123'], ['ＡＢＣ１２３'], ['abc 123'], ['']])(
    'refuses %j before sending any APDU',
    async (bad) => {
      const error = await client.readSignatureCertificate(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidPinFormatError);
      expect((error as InvalidPinFormatError).pin).toBe('sign');
      expect((error as Error).message).toMatch(/6–16 characters of A–Z and 0–9 with at least one letter and one digit; nothing was sent/);
      expect(session.sent).toEqual([]);
    },
  );

  it('refuses a non-string PIN before sending any APDU', async () => {
    await expect(client.verifySignPin(20252025 as unknown as string)).rejects.toThrow(InvalidPinFormatError);
    expect(session.sent).toEqual([]);
  });

  it('raises CardStatusError 6A82 on a card without a signature certificate', async () => {
    setUp();
    await expect(client.readSignatureCertificate()).rejects.toMatchObject({ name: 'CardStatusError', command: 'SELECT EF 0001', sw: 0x6a82 });
  });

  it('reads the signature CA certificate (EF 0002) without a PIN', async () => {
    expect(await client.readSignatureCaCertificate()).toEqual(signCa.certificate);
    expect(session.sent[1]).toBe('00A4020C020002');
  });
});

describe('signature PIN', () => {
  beforeEach(() => setUpSigning());

  it('signPinTriesLeft sends the empty VERIFY on 001B and costs nothing', async () => {
    expect(await client.signPinTriesLeft()).toBe(5);
    expect(await client.signPinTriesLeft()).toBe(5);
    expect(session.sent.slice(-2)).toEqual(['00A4020C02001B', '00200080']);
    expect(card.signTriesLeft).toBe(5);
  });

  it('counts down on its own counter; the auth PIN is untouched', async () => {
    for (const [attempt, left] of [['WRONG1', 4], ['WRONG2', 3], ['WRONG3', 2], ['WRONG4', 1]] as const) {
      expect(await client.verifySignPin(attempt)).toEqual({ result: 'wrong', triesLeft: left });
    }
    expect(await client.signPinTriesLeft()).toBe(1);
    expect(await client.verifySignPin('WRONG5')).toEqual({ result: 'locked' });
    expect(await client.verifySignPin(SIGN_PIN)).toEqual({ result: 'locked' });
    expect(await client.signPinTriesLeft()).toBe(0);
    expect(await client.authPinTriesLeft()).toBe(3);
  });

  it('maps a 6983 card to 0 tries', async () => {
    setUpSigning({ signTriesLeft: 0, blockedStatus: '6983' });
    expect(await client.signPinTriesLeft()).toBe(0);
  });

  it('keeps the signature PIN out of every error message', async () => {
    const messages: string[] = [];
    const collect = (e: unknown): void => void messages.push(String(e), (e as Error).message, JSON.stringify(e));
    await client.signPinTriesLeft();
    card.failNext('garbled');
    await client.readSignatureCertificate(SIGN_PIN).catch(collect);
    setUp(); // no signature PIN EF
    await client.readSignatureCertificate(SIGN_PIN).catch(collect);
    setUpSigning();
    await client.readSignatureCertificate(SIGN_PIN.slice(0, 10) + 'X').catch(collect);
    await client.readSignatureCertificate(SIGN_PIN + 'ABCDEFGHI').catch(collect);
    expect(messages).toHaveLength(12);
    for (const message of messages) {
      expect(message).not.toMatch(/KONBINI2025|konbini2025/i);
      expect(message).not.toMatch(/4B ?4F ?4E ?42/i);
    }
  });
});

describe('signWithSignKey', () => {
  const message = Buffer.from('電子申請 2025-06-01', 'utf8');

  it('signs with 001A after the signature PIN; the signature verifies with the signature certificate', async () => {
    setUpSigning();
    const der = await client.readSignatureCertificate(SIGN_PIN);
    const signature = await client.signWithSignKey(JpkiClient.sha256DigestInfo(message));
    expect(signature.length).toBe(256);
    expect(verify('sha256', message, new X509Certificate(der).publicKey, signature)).toBe(true);
    expect(verify('sha256', message, new X509Certificate(authCert).publicKey, signature)).toBe(false);
    expect(session.sent.slice(-2)).toEqual(['00A4020C02001A', '802A008033' + hexOf(JpkiClient.sha256DigestInfo(message)) + '00']);
  });

  it('the user-authentication PIN does not unlock the signature key', async () => {
    setUpSigning();
    await client.verifyAuthPin(PIN);
    await expect(client.signWithSignKey(JpkiClient.sha256DigestInfo(message))).rejects.toMatchObject({
      name: 'CardStatusError',
      command: 'COMPUTE DIGITAL SIGNATURE sign key',
      sw: 0x6982,
    });
  });
});

describe('JpkiClient and CardInfoClient on one session', () => {
  const cardInfo = { pin: '1357', myNumber: '123456789018', name: '山田 花子', address: '東京都港区', birthDate: '1990-02-03', sex: 'female' } as const;
  const SELECT_INFO = '00A4040C0AD3921000310001010408';

  it('each client re-selects its AP after the other, and only then', async () => {
    setUpSigning({ cardInfo });
    const info = new CardInfoClient(session);
    expect(await client.readAuthCertificate()).toEqual(authCert);
    expect(await info.triesLeft()).toBe(3);
    expect(await client.readCaCertificate()).toEqual(ca.certificate);
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(session.sent.filter((c) => c === SELECT_JPKI || c === SELECT_INFO)).toEqual([SELECT_JPKI, SELECT_INFO, SELECT_JPKI]);
  });

  it('the card drops the JPKI PIN when the other AP is selected, so signing afterwards answers 6982', async () => {
    setUpSigning({ cardInfo });
    const info = new CardInfoClient(session);
    expect(await client.verifyAuthPin(PIN)).toEqual({ result: 'ok' });
    expect(await info.verify('1357')).toEqual({ result: 'ok' });
    expect(await info.readMyNumber()).toBe('123456789018');
    await expect(client.signWithAuthKey(JpkiClient.sha256DigestInfo(Buffer.from('x')))).rejects.toMatchObject({ sw: 0x6982 });
    // The card-info PIN went the same way when the JPKI AP came back.
    await expect(info.readMyNumber()).rejects.toBeInstanceOf(PinRequiredError);
  });

  it('a refused SELECT (card without the other AP) keeps the JPKI AP and its verified PIN', async () => {
    setUpSigning();
    const info = new CardInfoClient(session);
    await client.verifyAuthPin(PIN);
    await expect(info.triesLeft()).rejects.toMatchObject({ name: 'CardStatusError', sw: 0x6a82 });
    expect((await client.signWithAuthKey(JpkiClient.sha256DigestInfo(Buffer.from('x')))).length).toBe(256);
  });

  it('two clients on two sessions do not share the record', async () => {
    setUpSigning();
    await client.readToken();
    const other = new RecordingSession(reader.connect());
    await new JpkiClient(other).readToken();
    expect(other.sent[0]).toBe(SELECT_JPKI);
  });
});
