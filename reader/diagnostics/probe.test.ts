import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS, loadSampleData } from '../../samples/sample-data.ts';
import { serialFor } from '../../center/registry.ts';
import { authCommonName } from '../../center/x509/jpki-profile.ts';
import { CommandApdu, ResponseApdu } from '../apdu.ts';
import { PROBE_FORMAT, ProbeInterruptedError, probeCard, type ProbeReport } from './probe.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from '../session.ts';
import { SimReader } from '../sim-reader.ts';
import { VirtualMyNumberCard } from '../virtual-card.ts';

const NOW = Date.parse('2026-11-24T10:00:00+09:00');
const data = loadSampleData();

/** A timer that advances 20 ms per reading, so every APDU takes exactly 20 ms. */
function steppingTimer(): () => number {
  let t = 0;
  return () => (t += 20);
}

const options = () => ({ readerName: 'Test reader', timer: steppingTimer(), now: () => new Date(NOW) });

const FIXED_KEY = createPrivateKey(readFileSync(join(ASSETS, 'keys', 'kawasaki-taro.key.pem')));
const FIXED_CERT = data.ca.issueUserAuthCertificate({
  publicKey: createPublicKey(FIXED_KEY),
  serial: 0x1234567890abcdefn,
  notBefore: new Date('2025-10-19T15:00:00Z'),
  notAfter: new Date('2030-10-19T14:59:59Z'),
});
/** A My Number Card with the JPKI user-authentication parts only. */
const fixedCard = () =>
  new VirtualMyNumberCard({ kind: 'my-number-card', authKey: FIXED_KEY, authCertificate: FIXED_CERT, caCertificate: data.ca.certificate, pin: '1357' });

function inReader(card: VirtualMyNumberCard): { reader: SimReader; session: CardSession } {
  const reader = new SimReader();
  reader.insert(card);
  return { reader, session: reader.connect() };
}

async function probePersona(id: string): Promise<{ report: ProbeReport; card: VirtualMyNumberCard; session: CardSession }> {
  const card = data.makeCard(id, NOW);
  const { session } = inReader(card);
  return { report: await probeCard(session, options()), card, session };
}

const SELECT_AID = '00A4040C';
const SELECT_EF = '00A4020C';
const READ = '00B00000';
const apps = (r: ProbeReport) => Object.fromEntries(r.applications.map((a) => [a.id, [a.present, a.sw]]));
const pin = (r: ProbeReport, id: string) => r.pins.find((p) => p.id === id)!;

/** What a sample card holds beyond the JPKI user-authentication parts, read from the card itself (the sample cards gain APs over time). */
function optionalParts(card: VirtualMyNumberCard) {
  const state = card.toJSON();
  return { sign: state.signTriesLeft, cardInfo: state.cardInfoTriesLeft, others: state.otherTriesLeft ?? {} };
}

/** The probe's PINs beyond the JPKI ones and the 券面事項入力補助 PIN: [report id, AP, the card's name for it]. */
const OTHER_PINS = [
  ['card-info-input-a', 'card-info-input', 'cardInfoA'], ['card-info-input-b', 'card-info-input', 'cardInfoB'],
  ['card-surface-a', 'card-surface', 'surfaceA'], ['card-surface-b', 'card-surface', 'surfaceB'], ['juki', 'juki', 'juki'],
] as const;

/** The exact findings on the PINs the card may or may not have, from its own counters. */
function expectOptionalPins(report: ProbeReport, card: VirtualMyNumberCard): void {
  const { sign, cardInfo, others } = optionalParts(card);
  // Which APs a sample card has: the 券面事項確認AP with its 照合番号, the 住基AP on every My Number Card.
  const apPresent: Record<string, boolean> = { 'card-info-input': cardInfo !== undefined, 'card-surface': others.surfaceA !== undefined, juki: card.kind === 'my-number-card' };
  let apdus = 22 + (sign === undefined ? 0 : 1) + (cardInfo === undefined ? 0 : 2);
  for (const [ap, present] of Object.entries(apPresent)) {
    expect(apps(report)[ap]).toEqual(present ? [true, '9000'] : [false, '6A82']);
    if (present) apdus += 1;
  }
  for (const [id, ap, name] of OTHER_PINS) {
    const left = others[name];
    expect(pin(report, id)).toMatchObject(!apPresent[ap] ? { triesLeft: null, state: 'absent', sw: null }
      : left === undefined ? { triesLeft: null, state: 'absent', sw: '6A82' } : { triesLeft: left, state: left ? 'available' : 'locked', sw: `63C${left.toString(16).toUpperCase()}` });
    if (apPresent[ap]) apdus += left === undefined ? 1 : 2;
  }
  expect(pin(report, 'jpki-sign')).toMatchObject(
    sign === undefined ? { triesLeft: null, state: 'absent', sw: '6A82' } : { triesLeft: sign, state: sign ? 'available' : 'locked', sw: `63C${sign}` },
  );
  expect(pin(report, 'card-info-input')).toMatchObject(
    cardInfo === undefined ? { triesLeft: null, state: 'absent', sw: null } : { triesLeft: cardInfo, state: cardInfo ? 'available' : 'locked', sw: `63C${cardInfo}` },
  );
  // 22 exchanges for the JPKI parts (the 1,571-byte user certificate read in 7 pieces); an empty VERIFY more for a
  // signature PIN; for each other AP on the card its SELECT, and for each of its PINs SELECT EF and the empty VERIFY
  // (SELECT EF alone when the PIN is not there).
  expect(report.totals.apdus).toBe(apdus);
}

describe('probeCard on the sample personas', () => {
  it('kawasaki-taro: a My Number Card', async () => {
    const { report, card, session } = await probePersona('kawasaki-taro');
    expect(report.format).toBe(PROBE_FORMAT);
    expect(report.generatedAt).toBe('2026-11-24T01:00:00.000Z');
    expect(report.reader).toBe('Test reader');
    expect(report.cardType).toBe('my-number-card');
    expect(report.token).toBe('JPKIAPICCTOKEN2');
    expect(report.atr.hex).toBe('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B');
    expect(apps(report)).toMatchObject({ jpki: [true, '9000'], 'card-surface': [true, '9000'], juki: [true, '9000'], 'unknown-0401': [false, '6A82'] });
    expect(pin(report, 'card-surface-b')).toEqual({
      id: 'card-surface-b', name: '券面事項確認AP 照合番号B (birth, expiry year, security code)', ap: 'card-surface', efid: '0012', maxTries: 10,
      triesLeft: 10, state: 'available', sw: '63CA', detail: '63CA verification failed, 10 tries left',
    });
    const serial = serialFor('kawasaki-taro').toString(16).toUpperCase();
    expect(report.userCertificate).toMatchObject({
      efid: '000A',
      bytes: 1571, // as the real one read from a card (my-number-card.md §13.1)
      subject: `C=JP, CN=${authCommonName(serialFor('kawasaki-taro'))}`,
      serialNumber: serial,
      notBefore: '2025-10-19T15:00:00.000Z', // Japan midnight 400 days before the insertion day
      notAfter: '2030-04-12T14:59:59.000Z', // the end of the 5th birthday after (born 1980-04-12)
      publicKey: 'RSA 2048',
      error: null,
    });
    expect(pin(report, 'jpki-auth')).toEqual({
      id: 'jpki-auth', name: 'JPKI user-authentication PIN (利用者証明用暗証番号)', ap: 'jpki', efid: '0018', maxTries: 3,
      triesLeft: 3, state: 'available', sw: '63C3', detail: '63C3 verification failed, 3 tries left',
    });
    expectOptionalPins(report, card);
    expect(report.extendedApdu).toMatchObject({ supported: true, sw: '9000', responseBytes: report.userCertificate!.bytes, atrAnnounces: true });
    expect(report.totals.ms).toBe(20 * report.totals.apdus);
    expect(report.totals.meanMsPerApdu).toBe(20);
    expect(report.notes).toEqual([]);
    // The probe ends with the JPKI AP selected: EF 0018 selects without a SELECT of the AP.
    const again = await session.transmit(new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Buffer.from('0018', 'hex') }));
    expect(again.sw).toBe(0x9000);
  });

  it('juki-card: the old 住基カード by its token, recognised by its ATR, no card capabilities in the ATR', async () => {
    const { report, card } = await probePersona('juki-card');
    expect(report.cardType).toBe('juki-card');
    expect(report.token).toBe('JPKIAPICCTOKEN');
    expect(report.atr.hex).toBe('3B E0 00 FF 81 31 FE 45 14');
    expect('known' in report.atr && report.atr.known).toMatch(/^住基カード/);
    expect(apps(report).jpki).toEqual([true, '9000']);
    expect(pin(report, 'jpki-auth')).toMatchObject({ triesLeft: 3, state: 'available', sw: '63C3' });
    expectOptionalPins(report, card);
    expect(report.userCertificate).toMatchObject({ subject: `C=JP, CN=${authCommonName(serialFor('juki-card'))}`, error: null });
    expect(report.extendedApdu).toMatchObject({ supported: true, atrAnnounces: null });
  });

  it('city-card: no JPKI AP, so nothing past the five SELECTs', async () => {
    const { report } = await probePersona('city-card');
    expect(report.cardType).toBe('no-jpki');
    expect(report.token).toBeNull();
    expect(report.atr.hex).toBe('3B D8 18 FF 81 31 FE 45 80 66 43 49 54 59 30 31 D4');
    expect(Object.values(apps(report))).toEqual(Array(5).fill([false, '6A82']));
    expect(report.userCertificate).toBeNull();
    expect(report.pins.map((p) => [p.id, p.triesLeft, p.state, p.sw])).toEqual(
      ['jpki-auth', 'jpki-sign', 'card-info-input', 'card-info-input-a', 'card-info-input-b', 'card-surface-a', 'card-surface-b', 'juki'].map((id) => [id, null, 'absent', null]),
    );
    expect(pin(report, 'jpki-auth').detail).toBe('not asked: 公的個人認証AP (JPKI) is not on the card (SELECT answered 6A82)');
    expect(report.extendedApdu).toEqual({
      supported: null, detail: 'not tested: the card has no user-authentication certificate to read', sw: null, responseBytes: null, atrAnnounces: null, readerNote: null,
    });
    expect(report.apdus.map((a) => [a.command, a.sw])).toEqual(Array(5).fill([SELECT_AID, '6A82']));
    expect(report.totals).toEqual({ apdus: 5, ms: 100, meanMsPerApdu: 20 });
  });

  it('smartphone: the GP-SE token, a contactless pseudo-ATR read as ATQB fields', async () => {
    const { report, card } = await probePersona('smartphone');
    expect(report.cardType).toBe('smartphone');
    expect(report.token).toBe('JPKIAPGPSETOKEN');
    expect(report.atr.hex).toBe('3B 88 80 01 00 00 00 00 B3 81 A1 00 9A');
    if ('error' in report.atr) throw new Error('ATR should decode');
    expect(report.atr.protocols).toEqual(['T=0', 'T=1']);
    expect(report.atr.historicalBytes.format).toBe('PC/SC part 3 contactless Type B (ATQB fields)');
    expect(report.atr.known).toMatch(/^kiosk simulator: smartphone/);
    expect(pin(report, 'jpki-auth')).toMatchObject({ triesLeft: 3, state: 'available', sw: '63C3' });
    expectOptionalPins(report, card);
    expect(report.extendedApdu).toMatchObject({ supported: true, atrAnnounces: null });
  });

  it('one-try-left: 1 try left, and the probe does not spend it', async () => {
    const { report, card } = await probePersona('one-try-left');
    const before = card.toJSON();
    expect(report.cardType).toBe('my-number-card');
    expect(pin(report, 'jpki-auth')).toMatchObject({ triesLeft: 1, state: 'available', sw: '63C1', detail: '63C1 verification failed, 1 try left' });
    expectOptionalPins(report, card);
    expect(card.triesLeft).toBe(1);
    expect(card.toJSON()).toEqual(before);
  });

  it('pin-locked: 0 tries left, locked (63C0 as this emulator answers by default)', async () => {
    const { report, card } = await probePersona('pin-locked');
    expect(report.cardType).toBe('my-number-card');
    expect(pin(report, 'jpki-auth')).toEqual({
      id: 'jpki-auth', name: 'JPKI user-authentication PIN (利用者証明用暗証番号)', ap: 'jpki', efid: '0018', maxTries: 3,
      triesLeft: 0, state: 'locked', sw: '63C0', detail: '63C0 verification failed, 0 tries left: locked, only the municipal office can reset it',
    });
    expectOptionalPins(report, card);
    expect(report.userCertificate?.error).toBeNull();
    expect(card.triesLeft).toBe(0);
  });
});

describe('probeCard on a card built here (its APs do not move with the sample data)', () => {
  it('every finding and every exchange, exact; the card is left as it was', async () => {
    const card = fixedCard();
    const { session } = inReader(card);
    const before = card.toJSON();
    const report = await probeCard(session, options());
    expect(report.cardType).toBe('my-number-card');
    expect(apps(report)).toEqual({
      jpki: [true, '9000'], 'card-info-input': [false, '6A82'], 'card-surface': [false, '6A82'], juki: [false, '6A82'], 'unknown-0401': [false, '6A82'],
    });
    expect(report.applications[0]).toEqual({ id: 'jpki', name: '公的個人認証AP (JPKI)', aid: 'D392F000260100000001', present: true, sw: '9000' });
    const { X509Certificate } = await import('node:crypto');
    expect(report.userCertificate).toEqual({
      efid: '000A',
      bytes: FIXED_CERT.length,
      sha256: new X509Certificate(FIXED_CERT).fingerprint256,
      subject: `C=JP, CN=${authCommonName(0x1234567890abcdefn)}`,
      issuer: 'C=JP, O=JPKI-SIM, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems',
      serialNumber: '1234567890ABCDEF',
      notBefore: '2025-10-19T15:00:00.000Z',
      notAfter: '2030-10-19T14:59:59.000Z',
      publicKey: 'RSA 2048',
      error: null,
    });
    expect(report.pins).toEqual([
      {
        id: 'jpki-auth', name: 'JPKI user-authentication PIN (利用者証明用暗証番号)', ap: 'jpki', efid: '0018', maxTries: 3,
        triesLeft: 3, state: 'available', sw: '63C3', detail: '63C3 verification failed, 3 tries left',
      },
      {
        id: 'jpki-sign', name: 'JPKI signature password (署名用パスワード)', ap: 'jpki', efid: '001B', maxTries: 5,
        triesLeft: null, state: 'absent', sw: '6A82', detail: 'SELECT EF 001B answered 6A82 file or application not found: this PIN is not on the card',
      },
      {
        id: 'card-info-input', name: '券面事項入力補助用暗証番号', ap: 'card-info-input', efid: '0011', maxTries: 3,
        triesLeft: null, state: 'absent', sw: null, detail: 'not asked: 券面事項入力補助AP is not on the card (SELECT answered 6A82)',
      },
      ...['card-info-input-a', 'card-info-input-b', 'card-surface-a', 'card-surface-b', 'juki'].map((id) => expect.objectContaining({ id, triesLeft: null, state: 'absent', sw: null })),
    ]);
    expect(report.extendedApdu).toEqual({
      supported: true,
      detail: `one READ BINARY with extended Le 65536 returned the whole ${FIXED_CERT.length}-byte certificate with 9000`,
      sw: '9000',
      responseBytes: FIXED_CERT.length,
      atrAnnounces: true,
      readerNote: null,
    });
    const chunks = Math.ceil((FIXED_CERT.length - 4) / 256);
    const sequence = [
      [SELECT_AID, '9000'], [SELECT_AID, '6A82'], [SELECT_AID, '6A82'], [SELECT_AID, '6A82'], [SELECT_AID, '6A82'],
      [SELECT_AID, '9000'], [SELECT_EF, '9000'], [READ, '9000'],
      [SELECT_EF, '9000'], [READ, '9000'],
      ...Array.from({ length: chunks }, (_, i) => [`00B0${(4 + 256 * i).toString(16).toUpperCase().padStart(4, '0')}`, '9000']),
      [SELECT_EF, '9000'], [READ, '9000'],
      [SELECT_EF, '9000'], ['00200080', '63C3'], [SELECT_EF, '6A82'],
    ];
    expect(report.apdus.map((a) => [a.command, a.sw])).toEqual(sequence);
    expect(report.apdus.map((a) => a.n)).toEqual(sequence.map((_, i) => i + 1));
    expect(report.apdus[0]).toEqual({
      n: 1, step: 'SELECT AP D392F000260100000001 (jpki)', command: '00A4040C', lc: 10, le: null, extended: false, sw: '9000', responseBytes: 0, ms: 20, error: null,
    });
    expect(report.apdus[7]).toMatchObject({ step: 'READ BINARY EF 0006 (token)', lc: null, le: 32, responseBytes: 32 });
    expect(report.apdus[10]).toMatchObject({ step: 'READ BINARY EF 000A at 4', le: 256, responseBytes: 256, extended: false });
    expect(report.apdus.at(-4)).toMatchObject({ command: '00B00000', le: 65536, extended: true, responseBytes: FIXED_CERT.length });
    expect(report.apdus.at(-2)).toMatchObject({ step: 'VERIFY EF 0018 empty (tries left, no try spent)', lc: null, le: null });
    expect(report.totals).toEqual({ apdus: sequence.length, ms: 20 * sequence.length, meanMsPerApdu: 20 });
    expect(report.notes).toEqual([]);
    expect(card.toJSON()).toEqual(before);
  });

  it('the report is plain JSON that survives a round trip', async () => {
    const report = await probeCard(inReader(fixedCard()).session, options());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('probeCard on other cards', () => {
  const fullCard = () =>
    new VirtualMyNumberCard({
      kind: 'my-number-card', pin: '1234', triesLeft: 2, signPin: 'ABC123', signTriesLeft: 4, blockedStatus: '6983',
      cardInfo: { pin: '1234', triesLeft: 0, myNumber: '123456789018', name: '試験 花子', address: '川崎市', birthDate: '1990-01-01', sex: 'female' },
    });

  it('every PIN (the 券面事項入力補助 one through its AP), a locked one answering 6983, no certificate EF', async () => {
    const card = fullCard();
    const { session } = inReader(card);
    const report = await probeCard(session, options());
    expect(apps(report)['card-info-input']).toEqual([true, '9000']);
    expect(report.pins.map((p) => [p.id, p.triesLeft, p.state, p.sw])).toEqual([
      ['jpki-auth', 2, 'available', '63C2'],
      ['jpki-sign', 4, 'available', '63C4'],
      ['card-info-input', 0, 'locked', '6983'],
      ['card-info-input-a', 10, 'available', '63CA'],
      ['card-info-input-b', null, 'absent', '6A82'], // 照合番号B needs the card's surface (its expiry and security code)
      ['card-surface-a', null, 'absent', null],
      ['card-surface-b', null, 'absent', null],
      ['juki', null, 'absent', null],
    ]);
    expect(report.userCertificate).toBeNull();
    expect(report.notes).toEqual(['EF 000A (user-authentication certificate) is not on the card: SELECT answered 6A82']);
    expect(report.extendedApdu.supported).toBeNull();
    // 券面事項入力補助AP first, the JPKI AP last: the card ends with the JPKI AP selected.
    expect(report.apdus.map((a) => a.step)).toEqual([
      'SELECT AP D392F000260100000001 (jpki)', 'SELECT AP D3921000310001010408 (card-info-input)', 'SELECT AP D3921000310001010402 (card-surface)',
      'SELECT AP D3921000310001010100 (juki)', 'SELECT AP D3921000310001010401 (unknown-0401)',
      'SELECT AP D3921000310001010408 (card-info-input)', 'SELECT EF 0011 (card-info-input PIN)', 'VERIFY EF 0011 empty (tries left, no try spent)',
      'SELECT EF 0014 (card-info-input-a PIN)', 'VERIFY EF 0014 empty (tries left, no try spent)', 'SELECT EF 0015 (card-info-input-b PIN)',
      'SELECT AP D392F000260100000001 (jpki)', 'SELECT EF 0006 (token)', 'READ BINARY EF 0006 (token)',
      'SELECT EF 000A (user-authentication certificate)',
      'SELECT EF 0018 (jpki-auth PIN)', 'VERIFY EF 0018 empty (tries left, no try spent)',
      'SELECT EF 001B (jpki-sign PIN)', 'VERIFY EF 001B empty (tries left, no try spent)',
    ]);
    // No VERIFY carried data, and no counter moved.
    expect(report.apdus.filter((a) => a.command.startsWith('0020')).every((a) => a.lc === null)).toBe(true);
    expect(card.toJSON()).toMatchObject({ triesLeft: 2, signTriesLeft: 4, cardInfoTriesLeft: 0, pinVerified: false, signPinVerified: false });
  });

  /** A session over a real virtual card whose answers `override` may replace. */
  function intercepted(override: (c: CommandApdu) => ResponseApdu | Error | undefined, atr?: Buffer): CardSession {
    const { session } = inReader(fixedCard());
    return {
      atr: atr ?? session.atr,
      transmit: async (c) => {
        const r = override(c);
        if (r instanceof Error) throw r;
        return r ?? session.transmit(c);
      },
    };
  }
  const isExtendedRead = (c: CommandApdu) => c.ins === 0xb0 && c.extended;

  it('extended APDU refused (6700), cut short, or lost on the way: not supported, and why', async () => {
    const refused = await probeCard(intercepted((c) => (isExtendedRead(c) ? ResponseApdu.status(0x6700) : undefined)), options());
    expect(refused.extendedApdu).toMatchObject({ supported: false, sw: '6700', responseBytes: 0, detail: 'the extended READ BINARY was refused with 6700 wrong length' });

    const cut = await probeCard(intercepted((c) => (isExtendedRead(c) ? ResponseApdu.status(0x9000, Buffer.alloc(256, 0x30)) : undefined)), options());
    expect(cut.extendedApdu.supported).toBe(false);
    expect(cut.extendedApdu.detail).toMatch(/^the extended READ BINARY returned 256 of the certificate's \d+ bytes: the reader or driver cuts long answers$/);

    const lost = await probeCard(
      intercepted((c) => (isExtendedRead(c) ? new CardCommunicationError(c.describe(), null, 'Transmit: insufficient buffer') : undefined)),
      { ...options(), readerName: 'Virtual PCD 00 00' },
    );
    expect(lost.extendedApdu.supported).toBe(false);
    expect(lost.extendedApdu.detail).toMatch(/^the extended READ BINARY failed on the way \(.*insufficient buffer.*\)/);
    expect(lost.extendedApdu.readerNote).toMatch(/^Debian's vpcd 3\.3 does not announce extended APDU support to pcscd/);
    expect(refused.extendedApdu.readerNote).toBeNull();
    const record = lost.apdus.find((a) => a.extended)!;
    expect(record.sw).toBeNull();
    expect(record.error).toMatch(/insufficient buffer/);
    // The probe went on after the failed exchange.
    expect(lost.pins[0]).toMatchObject({ triesLeft: 3 });
  });

  it('a PIN already verified (9000 to the empty VERIFY) and an odd status word are reported, not guessed', async () => {
    const report = await probeCard(
      intercepted((c) => (c.ins === 0x20 ? ResponseApdu.status(0x9000) : undefined)),
      options(),
    );
    expect(pin(report, 'jpki-auth')).toMatchObject({ triesLeft: null, state: 'verified', sw: '9000' });
    const odd = await probeCard(intercepted((c) => (c.ins === 0x20 ? ResponseApdu.status(0x6d00) : undefined)), options());
    expect(pin(odd, 'jpki-auth')).toMatchObject({ triesLeft: null, state: 'unexpected', sw: '6D00' });
    expect(pin(odd, 'jpki-auth').detail).toMatch(/not a retry counter/);
  });

  it('an unknown token makes the card type unknown, with a note', async () => {
    const report = await probeCard(
      intercepted((c) => (c.ins === 0xb0 && c.le === 32 ? ResponseApdu.status(0x9000, Buffer.from('SOMETOKEN       ')) : undefined)),
      options(),
    );
    expect(report.cardType).toBe('unknown');
    expect(report.token).toBe('SOMETOKEN');
    expect(report.notes).toContain('token EF 0006 holds "SOMETOKEN", which is none of the known JPKI tokens');
  });

  it('a malformed ATR is reported as { hex, error } and the probe goes on', async () => {
    const report = await probeCard(intercepted(() => undefined, Buffer.from('3BDA13FF', 'hex')), options());
    expect(report.atr).toEqual({ hex: '3B DA 13 FF', error: expect.stringMatching(/T0 announces TD\(1\)/) });
    expect(report.cardType).toBe('my-number-card');
    expect(report.extendedApdu.atrAnnounces).toBeNull();
  });

  it('a card pulled out mid-probe ends it with ProbeInterruptedError holding the APDUs so far', async () => {
    let n = 0;
    const session = intercepted(() => (++n === 8 ? new CardRemovedError() : undefined));
    const error = await probeCard(session, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeInterruptedError);
    expect((error as ProbeInterruptedError).message).toMatch(/the card left the reader during the probe \(at "READ BINARY EF 0006 \(token\)", after 8 APDU\(s\)\)/);
    expect((error as ProbeInterruptedError).apdus).toHaveLength(8);
    expect((error as ProbeInterruptedError).apdus[7]!.sw).toBeNull();
  });
});
