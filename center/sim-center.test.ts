// The center's authentication with real cryptography (RSA-2048 keys, X.509 certificates from the test CAs), its
// one-time sessions, its re-check of every request, and its issuance log. Each refusal has its own cause. The center
// trusts no terminal: what one terminal asked for (a challenge, a session, a copy's printed digest) is its own, and
// time is the center's clock, whatever a kiosk claims.
import { generateKeyPairSync, sign, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../machine/types.ts';
import { SimClock } from '../kiosk/clock.ts';
import { ASSETS, loadSampleData } from '../samples/sample-data.ts';
import {
  CenterClockSkewError, CenterUnreachableError, IssuanceRefusedError, PrintedRefusedError, type AuthResult, type IssuanceCenter,
} from './issuance-center.ts';
import { IssuanceLog, IssuanceLogError } from './issuance-log.ts';
import { serialFor } from './registry.ts';
import { TerminalRegistry } from './terminals.ts';
import { MAX_PENDING_PER_TERMINAL, SimCenter } from './sim-center.ts';
import { TestCa } from './x509/test-ca.ts';

const data = loadSampleData();
const AT = '2026-11-24T10:00:00+09:00';
const DAY = 86_400_000;
const key = (id: string) => createPrivateKey(readFileSync(join(ASSETS, 'keys', `${id}.key.pem`)));

/** A center on its own clock (a SimClock at AT unless given). */
const newCenter = (logFile?: string, clock = new SimClock(AT)) =>
  new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock, logFile });

interface Card {
  certificate: Buffer;
  key: KeyObject;
}

/** A persona's card as the test CA issues it: valid from a year ago for five years unless told otherwise. */
function cardOf(persona: string, o: { ca?: TestCa; notBefore?: number; notAfter?: number; serial?: bigint } = {}): Card {
  const k = key(persona);
  const now = Date.parse(AT);
  const certificate = (o.ca ?? data.ca).issueUserAuthCertificate({
    publicKey: createPublicKey(k), serial: o.serial ?? serialFor(persona),
    notBefore: new Date(o.notBefore ?? now - 365 * DAY), notAfter: new Date(o.notAfter ?? now + 4 * 365 * DAY),
  });
  return { certificate, key: k };
}

/** What the kiosk does: get a challenge, have the card sign it, send both with the certificate. */
async function authenticate(center: IssuanceCenter, card: Card, o: { scope?: 'residence' | 'domicile'; city?: string | null; at?: string } = {}): Promise<AuthResult> {
  const challenge = await center.challenge();
  return center.authenticate({
    certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key),
    scope: o.scope ?? 'residence', city: o.city ?? null, at: o.at ?? AT,
  });
}

const causeOf = (r: AuthResult) => (r.ok ? 'ok' : `${r.cause} → ${r.reason}`);

const juminhyo = (over: Partial<CertificateRequest> = {}): CertificateRequest => ({
  scope: 'residence', city: '141305', certificate: 'juminhyo', subtype: { kind: 'juminhyo', scope: 'self', members: [] },
  options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false },
  copies: 1, unitFee: 200, ...over,
});

describe('authentication', () => {
  let center: IssuanceCenter;
  beforeAll(() => {
    center = newCenter().connectLocal('K01');
  });

  it('a genuine card: the signature over a fresh challenge verifies, the serial names the resident', async () => {
    const r = await authenticate(center, cardOf('kawasaki-taro'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.holder.name).toBe('川崎 太郎');
    expect(r.holder.household.map((m) => m.name)).toEqual(['川崎 太郎', '川崎 花子', '川崎 一郎']);
    expect(r.city.name).toBe('川崎市');
    expect(r.session).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a replayed challenge and signature are refused, and so is a challenge the center never gave', async () => {
    const card = cardOf('kawasaki-taro');
    const challenge = await center.challenge();
    const args = { certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key), scope: 'residence' as const, city: null, at: AT };
    expect((await center.authenticate(args)).ok).toBe(true);
    expect(causeOf(await center.authenticate(args))).toBe('challenge-unknown → card-read-error');
    const invented = Buffer.alloc(32, 7);
    expect(causeOf(await center.authenticate({ ...args, challenge: invented, signature: sign('sha256', invented, card.key) }))).toBe('challenge-unknown → card-read-error');
  });

  it('a forged signature: another key, or one bit changed', async () => {
    const card = cardOf('kawasaki-taro');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(causeOf(await authenticate(center, { certificate: card.certificate, key: stranger }))).toBe('signature-invalid → card-read-error');
    const challenge = await center.challenge();
    const signature = sign('sha256', challenge, card.key);
    signature[100] ^= 1;
    expect(causeOf(await center.authenticate({ certificate: card.certificate, challenge, signature, scope: 'residence', city: null, at: AT })))
      .toBe('signature-invalid → card-read-error');
  });

  it('a certificate from another CA, even one that copies the JPKI CA name, is refused as foreign', async () => {
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { ca: data.foreignCa })))).toBe('foreign-ca → unsupported-card');
    const lookalike = new TestCa({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
    expect(lookalike.subject).toBe(data.ca.subject);
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { ca: lookalike })))).toBe('foreign-ca → unsupported-card');
  });

  it('bytes that are no certificate', async () => {
    const card = cardOf('kawasaki-taro');
    expect(causeOf(await authenticate(center, { ...card, certificate: card.certificate.subarray(0, 200) }))).toBe('certificate-malformed → unsupported-card');
  });

  it('validity against the center clock: expired, and issued today (usable from tomorrow)', async () => {
    const now = Date.parse(AT);
    const clock = new SimClock(AT);
    const own = newCenter(undefined, clock).connectLocal('K01');
    expect(causeOf(await authenticate(own, cardOf('kawasaki-taro', { notBefore: now - 6 * 365 * DAY, notAfter: now - 1000 })))).toBe('certificate-expired → certificate-expired');
    expect(causeOf(await authenticate(own, cardOf('kawasaki-taro', { notBefore: now - 3600_000 })))).toBe('certificate-not-yet-valid → certificate-not-yet-valid');
    // The same card is fine the next morning (the center's clock has moved on, and the kiosk's with it).
    clock.advance(DAY);
    expect(causeOf(await authenticate(own, cardOf('kawasaki-taro', { notBefore: now - 3600_000 }), { at: clock.now() }))).toBe('ok');
  });

  it('a card past its own expiry is refused, even with a certificate that claims to outlive it (card-life.md §6.1, §6.3)', async () => {
    const now = Date.parse(AT);
    // expired-card: the card issued 3,953 days ago (2016-01-28), born 1968-01-25: it ended on 2026-01-25. A
    // certificate issued 2,155 days ago (the persona's), whatever its end, is that card's.
    const outliving = cardOf('expired-card', { notBefore: now - 2155 * DAY, notAfter: now + 4 * 365 * DAY });
    expect(causeOf(await authenticate(center, outliving))).toBe('card-expired → certificate-expired');
    // The same persona's certificate issued a year ago sits on a card issued in 2020 (1,798 days before it): valid.
    expect(causeOf(await authenticate(center, cardOf('expired-card', { notBefore: now - 365 * DAY })))).toBe('ok');
    // A card the counter issued (its certificates have rows at the center) is dated by its earliest certificate.
    const own = newCenter();
    const issuedAt = now - 11 * 365 * DAY;
    const made = cardOf('kawasaki-taro', { serial: 0x1234567890n, notBefore: issuedAt, notAfter: now + 365 * DAY });
    own.life.perform({ card: 'kawasaki-taro-2', persona: 'kawasaki-taro', action: 'issued', by: 'test' }, (c) => c.register({ auth: made.certificate }));
    expect(own.life.cardExpires(data.persona('kawasaki-taro'), data.registry.residents.get('kawasaki-taro')!, 'kawasaki-taro-2', { serial: '1234567890', notBefore: new Date(now).toISOString() }))
      .toBe('2025-04-12T14:59:59.000Z'); // issued 2015-11-26: the 10th birthday after
    expect(causeOf(await authenticate(own.connectLocal('K01'), made))).toBe('card-expired → certificate-expired');
  });

  it('the revocation list: lost and suspended, moved abroad, deceased — each with its own cause', async () => {
    expect(causeOf(await authenticate(center, cardOf('revoked')))).toBe('revoked-lost → certificate-revoked');
    expect(causeOf(await authenticate(center, cardOf('emigrated')))).toBe('revoked-moved-out → certificate-revoked');
    expect(causeOf(await authenticate(center, cardOf('deceased')))).toBe('revoked-deceased → certificate-revoked');
  });

  it('a valid certificate with no resident behind it, and cities that cannot serve', async () => {
    expect(causeOf(await authenticate(center, cardOf('no-record')))).toBe('unknown-certificate → not-registered');
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { serial: 0x1234567890n })))).toBe('unknown-certificate → not-registered');
    expect(causeOf(await authenticate(center, cardOf('fuchu-honseki'), { scope: 'domicile', city: '000000' }))).toBe('domicile-not-registered → domicile-not-registered');
  });

  it('an unreachable center throws, for the kiosk to show its own screen: the center offline, or this terminal’s link cut', async () => {
    const c = newCenter();
    const k01 = c.connectLocal('K01');
    const k02 = c.connectLocal('K02');
    const challenge = await k01.challenge();
    c.online = false;
    await expect(k01.challenge()).rejects.toThrow(CenterUnreachableError);
    const card = cardOf('kawasaki-taro');
    await expect(k01.authenticate({ certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key), scope: 'residence', city: null, at: AT }))
      .rejects.toThrow(CenterUnreachableError);
    c.online = true;
    // A journey's `fault: center-down` cuts one terminal's link, not the center for the others.
    k01.online = false;
    await expect(k01.challenge()).rejects.toThrow(CenterUnreachableError);
    expect(await k02.challenge()).toHaveLength(32);
  });
});

describe('issuance', () => {
  async function session(center: IssuanceCenter, persona: string, o?: { scope?: 'residence' | 'domicile'; city?: string | null }) {
    const r = await authenticate(center, cardOf(persona), o);
    if (!r.ok) throw new Error(causeOf(r));
    return r;
  }
  const refusal = (p: Promise<unknown>) => p.then(() => 'issued', (e) => (e instanceof IssuanceRefusedError ? e.refusal : String(e)));

  it('only with the session of an authentication, once, and for that session’s person and city', async () => {
    const center = newCenter().connectLocal('K01');
    const taro = await session(center, 'kawasaki-taro');
    const issue = (s: string, holder: string, request = juminhyo()) => center.issue({ session: s, holder, request, at: AT, terminal: 'K01' });
    expect(await refusal(issue('made-up', 'kawasaki-taro'))).toBe('session-unknown');
    expect(await refusal(issue(taro.session, 'kawasaki-hanako'))).toBe('session-mismatch');
    // A refused attempt used the session up: a stolen token is good for one try at most.
    expect(await refusal(issue(taro.session, 'kawasaki-taro'))).toBe('session-unknown');
    const again = await session(center, 'kawasaki-taro');
    const issued = await issue(again.session, 'kawasaki-taro');
    expect(issued.certificates[0].people[0][0]).toEqual({ label: '氏名', value: '川崎 太郎' });
    expect(await refusal(issue(again.session, 'kawasaki-taro'))).toBe('session-unknown');
  });

  it('re-checks what the kiosk let through: members outside the household, a person outside the register, 個人番号 where the city does not print it', async () => {
    const center = newCenter().connectLocal('K01');
    const cases: Array<[string, CertificateRequest, string]> = [
      ['kawasaki-taro', juminhyo({ subtype: { kind: 'juminhyo', scope: 'members', members: ['kawasaki-hanako'] } }), 'issued'],
      ['kawasaki-taro', juminhyo({ subtype: { kind: 'juminhyo', scope: 'members', members: ['takasaki-yoshiko'] } }), 'member-not-in-household'],
      ['kawasaki-taro', juminhyo({ options: { ...juminhyo().options!, myNumber: true } }), 'my-number-not-allowed'],
      ['kawasaki-taro', juminhyo({ options: { ...juminhyo().options!, nationality: true } }), 'options'],
      ['kawasaki-taro', juminhyo({ certificate: 'koseki', subtype: { kind: 'koseki', form: 'kojin', person: 'fuchu-mari' }, options: null, unitFee: 350 }), 'person-not-in-register'],
      ['kawasaki-taro', juminhyo({ certificate: 'koseki', subtype: { kind: 'koseki', form: 'kojin', person: 'kawasaki-ichiro' }, options: null, unitFee: 350 }), 'issued'],
      ['kawasaki-taro', juminhyo({ certificate: 'kazei', subtype: { kind: 'kazei', year: 2025 }, options: null }), 'subtype'],
      ['kawasaki-taro', juminhyo({ copies: 11 }), 'copies'],
      ['kawasaki-hanako', juminhyo({ certificate: 'inkan', subtype: null, options: null }), 'unavailable'],
      ['kawasaki-taro', juminhyo({ certificate: 'kisai', subtype: { kind: 'juminhyo', scope: 'self', members: [] } }), 'unavailable'],
    ];
    for (const [persona, request, expected] of cases) {
      const s = await session(center, persona);
      expect(await refusal(center.issue({ session: s.session, holder: persona, request, at: AT, terminal: 'K01' })), JSON.stringify(request)).toBe(expected);
    }
  });

  it('the log: unique numbers that survive a restart, a code per copy, the printed file’s digest', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'center-log-')), 'issuance-log.jsonl');
    const first = newCenter(logFile).connectLocal('K07');
    const s = await session(first, 'kawasaki-taro');
    const a = await first.issue({ session: s.session, holder: 'kawasaki-taro', request: juminhyo({ copies: 2 }), at: AT, terminal: 'K07' });
    expect(a.issuanceNumber).toBe('K07-20261124-000001');
    const [c1, c2] = a.certificates.map((c) => c.verificationCode);
    expect(c1).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(c1).not.toBe(c2);
    await first.recordPrinted({ verificationCode: c1, pdfSha256: 'ab'.repeat(32) });

    const restarted = newCenter(logFile).connectLocal('K07');
    const s2 = await session(restarted, 'kawasaki-taro');
    const b = await restarted.issue({ session: s2.session, holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K07' });
    expect(b.issuanceNumber).toBe('K07-20261124-000002');
    expect(await restarted.verify(c1)).toMatchObject({ issuanceNumber: a.issuanceNumber, holder: 'kawasaki-taro', copy: 1, copies: 2, pdfSha256: 'ab'.repeat(32) });
    expect((await restarted.verify(c2))?.pdfSha256).toBeUndefined();
    expect(await restarted.verify('0000-0000-0000-0000')).toBeNull();
  });
});

describe('the issuance log in the center’s database', () => {
  async function session(center: IssuanceCenter, persona: string) {
    const r = await authenticate(center, cardOf(persona));
    if (!r.ok) throw new Error(causeOf(r));
    return r;
  }
  const inDatabase = (dir: string) => new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: new SimClock(AT),
    logFile: join(dir, 'issuance-log.jsonl'), recordsFile: join(dir, 'center.sqlite'),
  });

  it('a log kept as JSON lines is imported at start and renamed; numbers and digests go on from it across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'center-db-'));
    const old = newCenter(join(dir, 'issuance-log.jsonl'));
    const k07 = old.connectLocal('K07');
    const a = await k07.issue({ session: (await session(k07, 'kawasaki-taro')).session, holder: 'kawasaki-taro', request: juminhyo({ copies: 2 }), at: AT, terminal: 'K07' });
    await k07.recordPrinted({ verificationCode: a.certificates[0].verificationCode, pdfSha256: 'ab'.repeat(32) });

    const first = inDatabase(dir);
    expect(existsSync(join(dir, 'issuance-log.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'issuance-log.jsonl.imported'))).toBe(true);
    expect((await first.verify(a.certificates[0].verificationCode))?.pdfSha256).toBe('ab'.repeat(32));
    const k = first.connectLocal('K07');
    const b = await k.issue({ session: (await session(k, 'kawasaki-taro')).session, holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K07' });
    expect(b.issuanceNumber).toBe('K07-20261124-000002');
    await expect(k.recordPrinted({ verificationCode: a.certificates[0].verificationCode, pdfSha256: 'cd'.repeat(32) })).rejects.toThrow(PrintedRefusedError);
    first.close();

    const restarted = inDatabase(dir);
    const r = restarted.connectLocal('K07');
    const c = await r.issue({ session: (await session(r, 'kawasaki-taro')).session, holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K07' });
    expect(c.issuanceNumber).toBe('K07-20261124-000003');
    expect(await restarted.verify(b.certificates[0].verificationCode)).toMatchObject({ issuanceNumber: b.issuanceNumber, holder: 'kawasaki-taro', terminal: 'K07' });
    expect(await restarted.verify(a.certificates[1].verificationCode)).toMatchObject({ copy: 2, copies: 2 });
    restarted.close();
  });

  it('a terminals.json of before is imported into the database and deleted: its terminals are served', () => {
    const dir = mkdtempSync(join(tmpdir(), 'center-db-'));
    const token = new TerminalRegistry(join(dir, 'terminals.json')).add('K05');
    const center = new SimCenter({
      municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: new SimClock(AT),
      terminalsFile: join(dir, 'terminals.json'), recordsFile: join(dir, 'center.sqlite'),
    });
    expect(existsSync(join(dir, 'terminals.json'))).toBe(false);
    expect(center.terminals.terminalOf(token)).toBe('K05');
    center.close();
  });

  it('a damaged JSON-lines log stops the center with IssuanceLogError, as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'center-db-'));
    writeFileSync(join(dir, 'issuance-log.jsonl'), 'GARBAGE\n{"type":"issued"}\n');
    expect(() => inDatabase(dir)).toThrow(IssuanceLogError);
    expect(existsSync(join(dir, 'issuance-log.jsonl'))).toBe(true);
  });
});

describe('what a terminal asked for is its own', () => {
  const request = juminhyo();
  async function signedBy(center: IssuanceCenter, persona: string) {
    const card = cardOf(persona);
    const challenge = await center.challenge();
    return { certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key), scope: 'residence' as const, city: null, at: AT };
  }
  const refusal = (p: Promise<unknown>) => p.then(() => 'issued', (e) => (e instanceof IssuanceRefusedError ? e.refusal : String(e)));

  it('a challenge issued to K01 and used by K02 is unknown, and the attempt burns it for K01 too', async () => {
    const center = newCenter();
    const [k01, k02] = [center.connectLocal('K01'), center.connectLocal('K02')];
    const args = await signedBy(k01, 'kawasaki-taro');
    expect(causeOf(await k02.authenticate(args))).toBe('challenge-unknown → card-read-error');
    expect(causeOf(await k01.authenticate(args))).toBe('challenge-unknown → card-read-error');
    // K01's next challenge, used by K01, is fine.
    expect(causeOf(await k01.authenticate(await signedBy(k01, 'kawasaki-taro')))).toBe('ok');
  });

  it('a session opened at K01 and used at K02 is refused (session-mismatch) and burned; a request naming another terminal is terminal-mismatch', async () => {
    const center = newCenter();
    const [k01, k02] = [center.connectLocal('K01'), center.connectLocal('K02')];
    const auth = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!auth.ok) throw new Error(causeOf(auth));
    // K02 has the token and even names itself honestly: refused, and K01 cannot use it any more either.
    expect(await refusal(k02.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K02' }))).toBe('session-mismatch');
    expect(await refusal(k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))).toBe('session-unknown');
    // K02 pretending to be K01 in the request: refused as terminal-mismatch (and that session is gone too).
    const again = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!again.ok) throw new Error(causeOf(again));
    expect(await refusal(k02.issue({ session: again.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))).toBe('terminal-mismatch');
    expect(await refusal(k01.issue({ session: again.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))).toBe('session-unknown');
    // K01 asking under another terminal's name is refused as well, whoever's session it is.
    const third = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!third.ok) throw new Error(causeOf(third));
    expect(await refusal(k01.issue({ session: third.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K02' }))).toBe('terminal-mismatch');
  });

  it('10,000 challenges from K02 evict only K02’s own oldest: K01’s pending challenge still authenticates', async () => {
    const center = newCenter();
    const [k01, k02] = [center.connectLocal('K01'), center.connectLocal('K02')];
    const pendingAtK01 = await signedBy(k01, 'kawasaki-taro');
    const firstOfK02 = await signedBy(k02, 'kawasaki-hanako');
    for (let i = 0; i < 10_000; i++) await k02.challenge();
    expect(center.pending('K02').challenges).toBe(MAX_PENDING_PER_TERMINAL);
    expect(center.pending('K01').challenges).toBe(1);
    expect(causeOf(await k01.authenticate(pendingAtK01))).toBe('ok');
    // The flood pushed out K02's own early challenge.
    expect(causeOf(await k02.authenticate(firstOfK02))).toBe('challenge-unknown → card-read-error');
  });

  it('open sessions are bounded per terminal: 100 sessions at K02 leave K01’s session usable', async () => {
    const center = newCenter();
    const [k01, k02] = [center.connectLocal('K01'), center.connectLocal('K02')];
    const mine = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!mine.ok) throw new Error(causeOf(mine));
    for (let i = 0; i < 100; i++) expect((await k02.authenticate(await signedBy(k02, 'kawasaki-hanako'))).ok).toBe(true);
    expect(center.pending('K02').sessions).toBe(MAX_PENDING_PER_TERMINAL);
    expect(await refusal(k01.issue({ session: mine.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))).toBe('issued');
  });

  it('a copy’s printed digest is recorded once, and only from the terminal that printed it', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'center-printed-')), 'issuance-log.jsonl');
    const center = newCenter(logFile);
    const [k01, k02] = [center.connectLocal('K01'), center.connectLocal('K02')];
    const auth = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!auth.ok) throw new Error(causeOf(auth));
    const issued = await k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' });
    const code = issued.certificates[0].verificationCode;
    const [real, forged] = ['ab'.repeat(32), 'cd'.repeat(32)];
    const reason = (p: Promise<unknown>) => p.then(() => 'recorded', (e) => (e instanceof PrintedRefusedError ? e.reason : String(e)));
    expect(await reason(k02.recordPrinted({ verificationCode: code, pdfSha256: forged }))).toBe('not-this-terminal');
    expect(await reason(k01.recordPrinted({ verificationCode: '1111-2222-3333-4444', pdfSha256: real }))).toBe('unknown-code');
    expect(await reason(k01.recordPrinted({ verificationCode: code, pdfSha256: real }))).toBe('recorded');
    expect(await reason(k01.recordPrinted({ verificationCode: code, pdfSha256: forged }))).toBe('already-recorded');
    expect(await reason(k02.recordPrinted({ verificationCode: code, pdfSha256: forged }))).toBe('not-this-terminal');
    expect((await center.verify(code))?.pdfSha256).toBe(real);
    // And after a restart, from the log.
    expect((await newCenter(logFile).verify(code))?.pdfSha256).toBe(real);
    expect(readFileSync(logFile, 'utf8')).not.toContain(forged);
  });

  it('reading a log again, a printed line from another terminal, without a terminal, or a second one for a copy is damage: no forged line can win', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'center-replay-')), 'issuance-log.jsonl');
    const center = newCenter(logFile);
    const k01 = center.connectLocal('K01');
    const auth = await k01.authenticate(await signedBy(k01, 'kawasaki-taro'));
    if (!auth.ok) throw new Error(causeOf(auth));
    const code = (await k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' })).certificates[0].verificationCode;
    const issued = readFileSync(logFile, 'utf8');
    const line = (pdfSha256: string, terminal?: string) => JSON.stringify({ type: 'printed', verificationCode: code, pdfSha256, ...(terminal ? { terminal } : {}) }) + '\n';
    const cases: Array<[string, string, RegExp]> = [
      ['another terminal’s report', line('ee'.repeat(32), 'K02'), /:2: the printed record for .* names terminal K02, but terminal K01 issued that copy/],
      ['a report without a terminal (hand-forged)', line('cd'.repeat(32)), /:2: the printed record for .* names no terminal, but terminal K01 issued that copy/],
      ['a forged report before the real one', line('cd'.repeat(32), 'K01') + line('ab'.repeat(32), 'K01'), /:3: the printed file of .* is recorded twice/],
    ];
    for (const [what, lines, message] of cases) {
      writeFileSync(logFile, issued + lines);
      expect(() => new IssuanceLog(logFile), what).toThrow(IssuanceLogError);
      expect(() => new IssuanceLog(logFile), what).toThrow(message);
    }
    writeFileSync(logFile, issued + line('ab'.repeat(32), 'K01'));
    expect(new IssuanceLog(logFile).find(code)?.pdfSha256).toBe('ab'.repeat(32));
    expect(new IssuanceLog(logFile).printed(code, 'cd'.repeat(32), 'K01')).toBe('already-recorded');
  });
});

describe('the center keeps its own clock', () => {
  const request = juminhyo();
  async function signed(center: IssuanceCenter, persona: string, at: string, o: { notBefore?: number } = {}) {
    const card = cardOf(persona, o);
    const challenge = await center.challenge();
    return { certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key), scope: 'residence' as const, city: null, at };
  }

  it('a kiosk that claims 03:00 on December 31 while the center says November 24, 10:00 is refused: clock skew, unreachable for the kiosk', async () => {
    const center = newCenter();
    const k01 = center.connectLocal('K01');
    const claim = '2026-12-31T03:00:00+09:00';
    const auth = k01.authenticate(await signed(k01, 'kawasaki-taro', claim));
    await expect(auth).rejects.toBeInstanceOf(CenterClockSkewError);
    await expect(auth).rejects.toBeInstanceOf(CenterUnreachableError);
    await expect(auth).rejects.toThrow(/is 36 days 17 h ahead of the issuance center's \(2026-11-24T10:00:00\.000\+09:00\).*Set the kiosk's clock right/);
    const ok = await k01.authenticate(await signed(k01, 'kawasaki-taro', AT));
    if (!ok.ok) throw new Error(causeOf(ok));
    await expect(k01.issue({ session: ok.session, holder: 'kawasaki-taro', request, at: claim, terminal: 'K01' })).rejects.toBeInstanceOf(CenterClockSkewError);
    // Nothing was issued for the claimed time.
    expect(center.log.nextSequence()).toBe(1);
  });

  it('the tolerance is the center’s: 5 minutes by default, or as configured', async () => {
    const k01 = newCenter().connectLocal('K01');
    const plus = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();
    expect((await k01.authenticate(await signed(k01, 'kawasaki-taro', plus(5 * 60_000)))).ok).toBe(true);
    await expect(k01.authenticate(await signed(k01, 'kawasaki-taro', plus(-(5 * 60_000 + 1000))))).rejects.toThrow(/5 min 1 s behind/);
    const strict = new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: new SimClock(AT), clockToleranceMs: 30_000 }).connectLocal('K01');
    await expect(strict.authenticate(await signed(strict, 'kawasaki-taro', plus(31_000)))).rejects.toBeInstanceOf(CenterClockSkewError);
  });

  it('within the tolerance the center still decides by its own time: a card valid only from 2 minutes on, and the issuance’s date and time', async () => {
    const center = newCenter();
    const k01 = center.connectLocal('K01');
    const now = Date.parse(AT);
    const later = new Date(now + 4 * 60_000).toISOString();
    // The kiosk claims 10:04; the card is valid from 10:02; the center says 10:00.
    expect(causeOf(await k01.authenticate(await signed(k01, 'kawasaki-taro', later, { notBefore: now + 2 * 60_000 })))).toBe('certificate-not-yet-valid → certificate-not-yet-valid');
    const auth = await k01.authenticate(await signed(k01, 'kawasaki-taro', later));
    if (!auth.ok) throw new Error(causeOf(auth));
    const issued = await k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: later, terminal: 'K01' });
    expect(issued.certificates[0].issuedAt).toBe(center.clock.now());
    expect((await center.verify(issued.certificates[0].verificationCode))?.issuedAt).toBe('2026-11-24T10:00:00.000+09:00');
  });

  it('service hours at authentication and again at issuance, by the center’s clock', async () => {
    const clock = new SimClock('2026-11-24T22:59:00+09:00');
    const k01 = newCenter(undefined, clock).connectLocal('K01');
    const auth = await k01.authenticate(await signed(k01, 'kawasaki-taro', clock.now()));
    if (!auth.ok) throw new Error(causeOf(auth));
    // 23:00:30 at the center; the kiosk still says 22:59:00 (within the tolerance): closed all the same.
    clock.advance(90_000);
    const closed = k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: '2026-11-24T22:59:00+09:00', terminal: 'K01' });
    await expect(closed).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'service-closed' });
    expect(causeOf(await k01.authenticate(await signed(k01, 'kawasaki-taro', '2026-11-24T22:59:00+09:00')))).toBe('service-closed → center-unreachable');
    // The year-end closure too.
    const newYear = newCenter(undefined, new SimClock('2026-12-31T10:00:00+09:00')).connectLocal('K01');
    expect(causeOf(await authenticate(newYear, cardOf('kawasaki-taro'), { at: '2026-12-31T10:00:00+09:00' }))).toBe('service-closed → center-unreachable');
  });

  it('maintenance and tax years by the center’s clock', async () => {
    // 川崎市's maintenance window is in EXPECTATIONS.md's "maint" time; the kiosk claims a minute within it.
    const maint = '2026-12-06T09:00:00+09:00';
    const clock = new SimClock(maint);
    const k01 = newCenter(undefined, clock).connectLocal('K01');
    const city = data.municipalities.find((m) => m.maintenance.some((w) => Date.parse(maint) >= Date.parse(w.from) && Date.parse(maint) < Date.parse(w.to)));
    expect(city, 'a city in maintenance at the "maint" time').toBeDefined();
    const persona = data.personas.find((p) => p.resident && data.registry.residents.get(p.resident) && !data.registry.revocations.get(p.id)
      && [...data.registry.residents.values()].some((r) => r.id === p.resident && data.registry.households.get(r.household)?.city === city!.code));
    expect(persona, `a persona living in ${city!.name}`).toBeDefined();
    const auth = await k01.authenticate(await signed(k01, persona!.id, maint));
    if (!auth.ok) throw new Error(causeOf(auth));
    const issue = k01.issue({ session: auth.session, holder: persona!.resident!, request: juminhyo({ city: city!.code, subtype: { kind: 'juminhyo', scope: 'self', members: [] } }), at: maint, terminal: 'K01' });
    await expect(issue).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'maintenance' });
  });
});
