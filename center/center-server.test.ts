// The center's HTTP API (center-server.ts) and the kiosk's client for it (center-client.ts): what a kiosk gets
// through HTTP is what the SimCenter gives in process, refusals keep their reason, an unreachable or offline center
// is CenterUnreachableError, and a malformed or oversized body is refused naming what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../machine/types.ts';
import { CardTerminal } from '../kiosk/card-terminal.ts';
import { loadSampleData } from '../kiosk/sample-data.ts';
import { SimReader } from '../reader/sim-reader.ts';
import { CenterClient, CenterResponseError } from './center-client.ts';
import { MAX_BODY_BYTES, serveCenter, type CenterServer } from './center-server.ts';
import { CenterUnreachableError, IssuanceRefusedError, type AuthResult, type IssuanceCenter } from './issuance-center.ts';
import { SimCenter, contentDigest } from './sim-center.ts';

const data = loadSampleData();
const AT = '2026-11-24T10:00:00+09:00';
const newCenter = () => new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca });

/** What the kiosk does with a persona's card: read its certificate, verify the PIN, sign the center's challenge. */
async function signedChallenge(center: IssuanceCenter, persona: string) {
  const reader = new SimReader();
  reader.insert(data.makeCard(persona, Date.parse(AT)));
  const card = new CardTerminal(reader);
  const read = await card.read();
  if (!read.ok) throw new Error(`${persona}: card not read (${read.reason})`);
  const verified = await card.verifyPin(data.persona(persona).card.pin!);
  if (verified.result !== 'ok') throw new Error(`${persona}: PIN refused (${verified.result})`);
  const challenge = await center.challenge();
  return { challenge, ...(await card.sign(challenge)) };
}

async function authenticate(center: IssuanceCenter, persona: string): Promise<AuthResult> {
  const signed = await signedChallenge(center, persona);
  return center.authenticate({ ...signed, scope: 'residence', city: null, at: AT });
}

async function session(center: IssuanceCenter, persona: string): Promise<string> {
  const r = await authenticate(center, persona);
  if (!r.ok) throw new Error(`${persona}: authentication refused (${r.cause})`);
  return r.session;
}

const juminhyo = (over: Partial<CertificateRequest> = {}): CertificateRequest => ({
  scope: 'residence', city: '141305', certificate: 'juminhyo', subtype: { kind: 'juminhyo', scope: 'household', members: [] },
  options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false },
  copies: 2, unitFee: 200, ...over,
});

/** Issued copies without what differs between two issuances of the same request. */
const content = (certificates: Array<{ issuanceNumber: string; verificationCode: string }>) =>
  certificates.map(({ issuanceNumber: _n, verificationCode: _c, ...rest }) => rest);

let sim: SimCenter;
let server: CenterServer;
let client: CenterClient;
const post = (path: string, body: string | object) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  sim = newCenter();
  server = await serveCenter({ center: sim, port: 0 });
  client = new CenterClient({ url: server.url });
});
afterAll(() => server.close());

describe('through HTTP, the same answers as the center in process', () => {
  it('authenticates a real card: the same holder and city as the SimCenter gives directly', async () => {
    const remote = await authenticate(client, 'kawasaki-taro');
    const local = await authenticate(sim, 'kawasaki-taro');
    expect(remote.ok && local.ok).toBe(true);
    if (!remote.ok || !local.ok) return;
    expect(remote.holder).toEqual(local.holder);
    expect(remote.holder.name).toBe('川崎 太郎');
    expect(remote.city).toEqual(local.city);
    expect(remote.session).not.toBe(local.session);
  });

  it('a challenge comes back as the 32 bytes the center will accept once, and a replay is refused as in process', async () => {
    const signed = await signedChallenge(client, 'kawasaki-hanako');
    expect(signed.challenge).toBeInstanceOf(Buffer);
    expect(signed.challenge).toHaveLength(32);
    const args = { ...signed, scope: 'residence' as const, city: null, at: AT };
    expect((await client.authenticate(args)).ok).toBe(true);
    expect(await client.authenticate(args)).toEqual({ ok: false, reason: 'card-read-error', cause: 'challenge-unknown' });
  });

  it('a refused authentication keeps its reason and cause (a revoked card)', async () => {
    const lost = data.personas.find((p) => data.registry.revocations.get(p.id)?.reason === 'lost');
    expect(lost, 'a persona whose card was reported lost').toBeDefined();
    const remote = await authenticate(client, lost!.id);
    const local = await authenticate(sim, lost!.id);
    expect(remote).toEqual(local);
    expect(remote).toEqual({ ok: false, reason: 'certificate-revoked', cause: 'revoked-lost' });
  });

  it('issues the same certificates as the SimCenter does directly, and verify finds each code with its content digest', async () => {
    const request = juminhyo();
    const remote = await client.issue({ session: await session(client, 'kawasaki-taro'), holder: 'kawasaki-taro', request, at: AT, terminal: 'K07' });
    const local = await sim.issue({ session: await session(sim, 'kawasaki-taro'), holder: 'kawasaki-taro', request, at: AT, terminal: 'K07' });
    expect(remote.issuanceNumber).toMatch(/^K07-20261124-\d{6}$/);
    expect(remote.certificates).toHaveLength(2);
    expect(remote.certificates[0].people.map((p) => p.find((f) => f.label === '氏名')?.value)).toEqual(['川崎 太郎', '川崎 花子', '川崎 一郎']);
    expect(content(remote.certificates)).toEqual(content(local.certificates));
    for (const c of remote.certificates) {
      const record = await client.verify(c.verificationCode);
      expect(record).toEqual(await sim.verify(c.verificationCode));
      expect(record).toMatchObject({ issuanceNumber: remote.issuanceNumber, holder: 'kawasaki-taro', terminal: 'K07', copy: c.copyIndex, contentSha256: contentDigest(c) });
    }
    expect(await client.verify('0000-0000-0000-0000')).toBeNull();
  });

  it('records the printed file digest, which verify then shows', async () => {
    const issued = await client.issue({ session: await session(client, 'kawasaki-taro'), holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' });
    const code = issued.certificates[0].verificationCode;
    await client.recordPrinted({ verificationCode: code, pdfSha256: 'ab'.repeat(32) });
    expect((await client.verify(code))?.pdfSha256).toBe('ab'.repeat(32));
    const byPath = await fetch(`${server.url}/verify/${code}`);
    expect(byPath.status).toBe(200);
    expect((await byPath.json()).record.pdfSha256).toBe('ab'.repeat(32));
  });

  it('a refused issuance keeps its refusal: copies over the limit, a used session, another person’s holder id', async () => {
    const tooMany = client.issue({ session: await session(client, 'kawasaki-taro'), holder: 'kawasaki-taro', request: juminhyo({ copies: 99 }), at: AT, terminal: 'K01' });
    await expect(tooMany).rejects.toBeInstanceOf(IssuanceRefusedError);
    await expect(tooMany).rejects.toMatchObject({ refusal: 'copies' });

    const s = await session(client, 'kawasaki-taro');
    await client.issue({ session: s, holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' });
    await expect(client.issue({ session: s, holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });

    const other = await session(client, 'kawasaki-taro');
    await expect(client.issue({ session: other, holder: 'kawasaki-hanako', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-mismatch' });
  });
});

describe('an unreachable center', () => {
  it('a stopped server is CenterUnreachableError naming its URL', async () => {
    const other = await serveCenter({ center: newCenter(), port: 0 });
    const c = new CenterClient({ url: other.url });
    expect(await c.challenge()).toHaveLength(32);
    await other.close();
    await expect(c.challenge()).rejects.toBeInstanceOf(CenterUnreachableError);
    await expect(c.verify('0000-0000-0000-0000')).rejects.toThrow(other.url);
  });

  it('the kiosk’s link cut (client.online = false) is CenterUnreachableError, and the center is not asked', async () => {
    const counting = newCenter();
    let asked = 0;
    const challenge = counting.challenge.bind(counting);
    counting.challenge = () => {
      asked++;
      return challenge();
    };
    const own = await serveCenter({ center: counting, port: 0 });
    try {
      const c = new CenterClient({ url: own.url });
      c.online = false;
      await expect(c.challenge()).rejects.toBeInstanceOf(CenterUnreachableError);
      await expect(c.challenge()).rejects.toThrow(own.url);
      expect(asked).toBe(0);
      c.online = true;
      expect(await c.challenge()).toHaveLength(32);
      expect(asked).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('the center offline (center.online = false) answers 503, which the client reports as unreachable', async () => {
    sim.online = false;
    try {
      expect((await post('/challenge', {})).status).toBe(503);
      await expect(client.challenge()).rejects.toBeInstanceOf(CenterUnreachableError);
      await expect(client.verify('0000-0000-0000-0000')).rejects.toBeInstanceOf(CenterUnreachableError);
      const health = await (await fetch(`${server.url}/health`)).json();
      expect(health.online).toBe(false);
    } finally {
      sim.online = true;
    }
    expect(await client.challenge()).toHaveLength(32);
  });
});

describe('malformed requests', () => {
  const messageOf = async (res: Response) => ({ status: res.status, message: (await res.json()).message as string });

  it('a body that is not JSON is 400', async () => {
    expect(await messageOf(await post('/authenticate', '{"certificate": '))).toEqual({ status: 400, message: 'authenticate: the body is not valid JSON' });
    expect((await messageOf(await post('/issue', '[1, 2]'))).status).toBe(400);
  });

  it('a missing or wrong-typed field is 400 naming the field', async () => {
    const good = { certificate: 'AAAA', challenge: 'AAAA', signature: 'AAAA', scope: 'residence', city: null, at: AT };
    const cases: Array<[string, object, string]> = [
      ['/authenticate', { ...good, certificate: undefined }, '"certificate" is missing'],
      ['/authenticate', { ...good, signature: 'not base64!' }, '"signature" must be a base64 string'],
      ['/authenticate', { ...good, scope: 'everywhere' }, '"scope" must be one of residence, domicile'],
      ['/authenticate', { ...good, at: 'tomorrow' }, '"at" must be an ISO time'],
      ['/issue', { session: 's', holder: 'kawasaki-taro', request: { ...juminhyo(), copies: '2' }, at: AT, terminal: 'K01' }, '"request.copies" must be a whole number'],
      ['/issue', { session: 's', holder: 'kawasaki-taro', request: { ...juminhyo(), subtype: { kind: 'juminhyo', scope: 'self' } }, at: AT, terminal: 'K01' }, '"request.subtype.members" is missing'],
      ['/issue', { session: 's', holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: '../../etc' }, '"terminal" must be a terminal id'],
      ['/issue', { session: 's', holder: 'kawasaki-taro', at: AT, terminal: 'K01' }, '"request" is missing'],
      ['/printed', { verificationCode: '1234-5678-9012-3456', pdfSha256: 42 }, '"pdfSha256" must be a SHA-256'],
      ['/verify', {}, '"code" is missing'],
    ];
    for (const [path, body, message] of cases) {
      const r = await messageOf(await post(path, body));
      expect(r.status, `${path} ${message}`).toBe(400);
      expect(r.message, path).toContain(message);
    }
  });

  it('the client reports a 400 with the server’s message', async () => {
    const bad = client.issue({ session: 's', holder: 'kawasaki-taro', request: juminhyo({ copies: 1.5 }), at: AT, terminal: 'K01' });
    await expect(bad).rejects.toBeInstanceOf(CenterResponseError);
    await expect(bad).rejects.toThrow('"request.copies" must be a whole number');
  });

  it('a body over 64 KB is refused with 413, and the center still serves', async () => {
    const huge = JSON.stringify({ code: 'x'.repeat(MAX_BODY_BYTES + 10) });
    const r = await messageOf(await post('/verify', huge));
    expect(r.status).toBe(413);
    expect(r.message).toContain('64 KB');
    expect(await client.challenge()).toHaveLength(32);
  });

  it('an unknown path is 404, a wrong method 405, and /health says it is the center', async () => {
    expect((await post('/issue-everything', {})).status).toBe(404);
    expect((await fetch(`${server.url}/challenge`)).status).toBe(405);
    expect(await client.health()).toEqual({ online: true });
  });
});

describe('binding', () => {
  it('refuses to listen anywhere but 127.0.0.1', async () => {
    await expect(serveCenter({ center: newCenter(), port: 0, host: '0.0.0.0' })).rejects.toThrow('127.0.0.1 only');
  });
});
