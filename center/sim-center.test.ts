// The center's authentication with real cryptography (RSA-2048 keys, X.509 certificates from the test CAs), its
// one-time sessions, its re-check of every request, and its issuance log. Each refusal has its own cause.
import { generateKeyPairSync, sign, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../machine/types.ts';
import { ASSETS, loadSampleData } from '../kiosk/sample-data.ts';
import { CenterUnreachableError, IssuanceRefusedError, type AuthResult } from './issuance-center.ts';
import { serialFor } from './registry.ts';
import { SimCenter } from './sim-center.ts';
import { TestCa } from './x509/test-ca.ts';

const data = loadSampleData();
const AT = '2026-11-24T10:00:00+09:00';
const DAY = 86_400_000;
const key = (id: string) => createPrivateKey(readFileSync(join(ASSETS, 'keys', `${id}.key.pem`)));

const newCenter = (logFile?: string) =>
  new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, logFile });

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
async function authenticate(center: SimCenter, card: Card, o: { scope?: 'residence' | 'domicile'; city?: string | null; at?: string } = {}): Promise<AuthResult> {
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
  let center: SimCenter;
  beforeAll(() => {
    center = newCenter();
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

  it('validity against the kiosk clock: expired, and issued today (usable from tomorrow)', async () => {
    const now = Date.parse(AT);
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { notBefore: now - 6 * 365 * DAY, notAfter: now - 1000 })))).toBe('certificate-expired → certificate-expired');
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { notBefore: now - 3600_000 })))).toBe('certificate-not-yet-valid → certificate-not-yet-valid');
    // The same card is fine the next morning.
    const tomorrow = new Date(now + DAY).toISOString();
    expect(causeOf(await authenticate(center, cardOf('kawasaki-taro', { notBefore: now - 3600_000 }), { at: tomorrow }))).toBe('ok');
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

  it('an unreachable center throws, for the kiosk to show its own screen', async () => {
    const c = newCenter();
    const challenge = await c.challenge();
    c.online = false;
    await expect(c.challenge()).rejects.toThrow(CenterUnreachableError);
    const card = cardOf('kawasaki-taro');
    await expect(c.authenticate({ certificate: card.certificate, challenge, signature: sign('sha256', challenge, card.key), scope: 'residence', city: null, at: AT }))
      .rejects.toThrow(CenterUnreachableError);
  });
});

describe('issuance', () => {
  async function session(center: SimCenter, persona: string, o?: { scope?: 'residence' | 'domicile'; city?: string | null }) {
    const r = await authenticate(center, cardOf(persona), o);
    if (!r.ok) throw new Error(causeOf(r));
    return r;
  }
  const refusal = (p: Promise<unknown>) => p.then(() => 'issued', (e) => (e instanceof IssuanceRefusedError ? e.refusal : String(e)));

  it('only with the session of an authentication, once, and for that session’s person and city', async () => {
    const center = newCenter();
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
    const center = newCenter();
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
    const first = newCenter(logFile);
    const s = await session(first, 'kawasaki-taro');
    const a = await first.issue({ session: s.session, holder: 'kawasaki-taro', request: juminhyo({ copies: 2 }), at: AT, terminal: 'K07' });
    expect(a.issuanceNumber).toBe('K07-20261124-000001');
    const [c1, c2] = a.certificates.map((c) => c.verificationCode);
    expect(c1).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(c1).not.toBe(c2);
    await first.recordPrinted({ verificationCode: c1, pdfSha256: 'ab'.repeat(32) });

    const restarted = newCenter(logFile);
    const s2 = await session(restarted, 'kawasaki-taro');
    const b = await restarted.issue({ session: s2.session, holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K07' });
    expect(b.issuanceNumber).toBe('K07-20261124-000002');
    expect(await restarted.verify(c1)).toMatchObject({ issuanceNumber: a.issuanceNumber, holder: 'kawasaki-taro', copy: 1, copies: 2, pdfSha256: 'ab'.repeat(32) });
    expect((await restarted.verify(c2))?.pdfSha256).toBeUndefined();
    expect(await restarted.verify('0000-0000-0000-0000')).toBeNull();
  });
});
