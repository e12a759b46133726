// The center's HTTP API (center-server.ts) and the kiosk's client for it (center-client.ts): what a kiosk gets
// through HTTP is what the SimCenter gives in process, refusals keep their reason, an unreachable or offline center
// is CenterUnreachableError, and a malformed or oversized body is refused naming what is wrong. Nobody but a
// registered terminal gets past /health and /verify, no web page gets anywhere, and what one terminal asked for
// (a session, a copy's printed digest) is its own.
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../machine/types.ts';
import { CardTerminal } from '../kiosk/card-terminal.ts';
import { SimClock } from '../kiosk/clock.ts';
import { loadSampleData } from '../samples/sample-data.ts';
import { SimReader } from '../reader/sim-reader.ts';
import { CenterClient, CenterResponseError } from './center-client.ts';
import { MAX_BODY_BYTES, serveCenter, type CenterServer } from './center-server.ts';
import {
  CenterAuthenticationError, CenterClockSkewError, CenterImpostorError, CenterUnreachableError, IssuanceRefusedError, PrintedRefusedError, type AuthResult, type IssuanceCenter,
} from './issuance-center.ts';
import { SimCenter, contentDigest } from './sim-center.ts';
import { ReplayGuard, keyOfToken, responseSignature, signRequest } from './signing.ts';
import { TerminalRegistry, tokenTerminal } from './terminals.ts';

const data = loadSampleData();
const AT = '2026-11-24T10:00:00+09:00';
const newCenter = (o: { clock?: SimClock; terminalsFile?: string } = {}) =>
  new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: o.clock ?? new SimClock(AT), terminalsFile: o.terminalsFile,
    signCa: data.signCa.certificate,
  });

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
/** K01's client (the kiosk's), K07's, and the tokens the center gave them. */
let client: CenterClient;
let k07: CenterClient;
const tokens: Record<string, string> = {};
const serverLog: string[] = [];
/** The headers of a call signed with `token`'s key, as a CenterClient makes them (the token itself is never sent). */
const signed = (token: string, method: string, path: string, body = '', now?: number) =>
  signRequest(keyOfToken(token), tokenTerminal(token)!, { method, path, body, now }).headers;
const post = (path: string, body: string | object, token: string | null = tokens.K01) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? signed(token, 'POST', path, text) : {}) }, body: text });
};

/** A request with exactly the headers given (a browser's Origin, another Host…), by node:http. */
function raw(o: { method?: string; path: string; headers?: Record<string, string | string[]>; body?: string }): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: o.method ?? 'GET', path: o.path, headers: o.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : {}, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

beforeAll(async () => {
  sim = newCenter();
  for (const id of ['K01', 'K02', 'K07']) tokens[id] = sim.terminals.add(id);
  server = await serveCenter({ center: sim, port: 0, log: (line) => serverLog.push(line) });
  client = new CenterClient({ url: server.url, token: tokens.K01 });
  k07 = new CenterClient({ url: server.url, token: tokens.K07 });
});
afterAll(() => server.close());

describe('through HTTP, the same answers as the center in process', () => {
  it('authenticates a real card: the same holder and city as the SimCenter gives directly', async () => {
    const remote = await authenticate(client, 'kawasaki-taro');
    const local = await authenticate(sim.connectLocal('K09'), 'kawasaki-taro');
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
    const local = await authenticate(sim.connectLocal('K09'), lost!.id);
    expect(remote).toEqual(local);
    expect(remote).toEqual({ ok: false, reason: 'certificate-revoked', cause: 'revoked-lost' });
  });

  it('issues the same certificates as the SimCenter does directly, and verify finds each code with its content digest', async () => {
    const request = juminhyo();
    const remote = await k07.issue({ session: await session(k07, 'kawasaki-taro'), holder: 'kawasaki-taro', request, at: AT, terminal: 'K07' });
    const local7 = sim.connectLocal('K07');
    const local = await local7.issue({ session: await session(local7, 'kawasaki-taro'), holder: 'kawasaki-taro', request, at: AT, terminal: 'K07' });
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

  it('records the printed file digest, which verify then shows (verify needs no token)', async () => {
    const issued = await client.issue({ session: await session(client, 'kawasaki-taro'), holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' });
    const code = issued.certificates[0].verificationCode;
    await client.recordPrinted({ verificationCode: code, pdfSha256: 'ab'.repeat(32) });
    expect((await new CenterClient({ url: server.url }).verify(code))?.pdfSha256).toBe('ab'.repeat(32));
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

  it('registers a 本籍地 for 戸籍 at the kiosk over the API: once per session, never for the city one lives in, never with another terminal’s session', async () => {
    const domicile = async (center: IssuanceCenter, persona: string, city: string) => {
      const r = await center.authenticate({ ...(await signedChallenge(center, persona)), scope: 'domicile', city, at: AT });
      if (!r.ok) throw new Error(`${persona}: ${r.cause}`);
      return r.session;
    };
    // bunkyo-honseki lives in 川崎市 with the 本籍 in 文京区: usable after 2 business days (Tuesday 11-24 → Thursday 11-26).
    const s = await domicile(client, 'bunkyo-honseki', '131059');
    await expect(client.registerDomicile({ session: s, at: AT, terminal: 'K01' })).resolves.toEqual({ city: '131059', usableFrom: '2026-11-25T15:00:00.000Z' });
    await expect(client.registerDomicile({ session: s, at: AT, terminal: 'K01' })).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
    expect(sim.life.records.domiciles('bunkyo-honseki')).toMatchObject([{ city: '131059', usableFrom: '2026-11-25T15:00:00.000Z' }]);
    // The city one lives in needs no registration.
    const home = await domicile(client, 'kawasaki-taro', '141305');
    await expect(client.registerDomicile({ session: home, at: AT, terminal: 'K01' })).rejects.toMatchObject({ refusal: 'unavailable' });
    // K07 cannot use K01's session, and burns it.
    const stolen = await domicile(client, 'bunkyo-honseki', '131059');
    await expect(k07.registerDomicile({ session: stolen, at: AT, terminal: 'K07' })).rejects.toMatchObject({ refusal: 'session-mismatch' });
    await expect(client.registerDomicile({ session: stolen, at: AT, terminal: 'K01' })).rejects.toMatchObject({ refusal: 'session-unknown' });
  });
});

describe('暗証番号リセット at a kiosk, over the API', () => {
  /** A kiosk's proof for a reset of `pin`: the card read, the other PIN verified, the center's challenge signed. */
  async function proof(center: IssuanceCenter, persona: string, pin: 'auth' | 'sign') {
    const reader = new SimReader();
    reader.insert(data.makeCard(persona, Date.parse(AT)));
    const terminal = new CardTerminal(reader);
    if (!(await terminal.read()).ok) throw new Error('unreadable card');
    const card = data.persona(persona).card;
    const verified = await terminal.verifyPin(pin === 'auth' ? card.signPin! : card.pin!, pin === 'auth' ? 'sign' : 'auth');
    if (verified.result !== 'ok') throw new Error('the other PIN was refused');
    const challenge = await center.challenge();
    return { pin, challenge, ...(await terminal.proveForReset(pin, challenge)), at: AT, terminal: 'K01' };
  }
  /** What the JPKI app records: a reservation for `pin` on the persona's card, its certificates registered. */
  function reserve(persona: string, pin: 'auth' | 'sign') {
    const { certificates } = data.mintCard(persona, Date.parse(AT));
    sim.life.perform({ card: `${persona}-1`, persona, action: 'reserve-pin-reset', by: 'JPKI app (test)', detail: { pin } }, (change) => change.register(certificates));
  }

  it('allowed once per reservation, for the PIN reserved, with the other PIN\'s signature; refused without one, for the other PIN, or replayed', async () => {
    // No reservation at all: refused after the proof was checked.
    await expect(client.resetPin(await proof(client, 'kawasaki-hanako', 'auth'))).resolves.toEqual({ ok: false, reason: 'no-reset-reservation', cause: 'no-reset-reservation' });
    reserve('kawasaki-hanako', 'auth');
    // A reservation of the user PIN does not reset the password.
    await expect(client.resetPin(await proof(client, 'kawasaki-hanako', 'sign'))).resolves.toMatchObject({ ok: false, cause: 'no-reset-reservation' });
    const good = await proof(client, 'kawasaki-hanako', 'auth');
    await expect(client.resetPin(good)).resolves.toEqual({ ok: true });
    // The same request again: its challenge is used up. A new one: the reservation is.
    await expect(client.resetPin(good)).resolves.toMatchObject({ ok: false, cause: 'challenge-unknown' });
    await expect(client.resetPin(await proof(client, 'kawasaki-hanako', 'auth'))).resolves.toMatchObject({ ok: false, cause: 'no-reset-reservation' });
    expect(sim.life.records.actions('kawasaki-hanako-1').map((a) => [a.action, a.by, a.detail.pin])).toEqual([
      ['reserve-pin-reset', 'JPKI app (test)', 'auth'], ['reset-pin', 'kiosk K01', 'auth'],
    ]);
  });

  it('a proof made with another card\'s key or certificate is refused, and a reservation is not spent by it', async () => {
    reserve('takasaki-yoshiko', 'auth');
    const mine = await proof(client, 'takasaki-yoshiko', 'auth');
    const theirs = await proof(client, 'kawasaki-taro', 'auth');
    // Another card's signature certificate with its own signature, under this card's certificate.
    await expect(client.resetPin({ ...mine, proof: theirs.proof })).resolves.toMatchObject({ ok: false, cause: 'proof-mismatch' });
    // This card's signature certificate with a signature over another challenge.
    const fresh = await proof(client, 'takasaki-yoshiko', 'auth');
    await expect(client.resetPin({ ...fresh, proof: { ...fresh.proof, signature: mine.proof.signature } })).resolves.toMatchObject({ ok: false, cause: 'signature-invalid' });
    await expect(client.resetPin(await proof(client, 'takasaki-yoshiko', 'auth'))).resolves.toEqual({ ok: true });
  });

  it('a body that is no reset request is 400 naming the field, and spends nothing', async () => {
    const r = await post('/reset-pin', { pin: 'kenhojo', certificate: '', challenge: '', proof: { certificate: '', signature: '' }, at: AT, terminal: 'K01' });
    expect(r.status).toBe(400);
    expect((await r.json()).message).toMatch(/field "pin"/);
  });
});

describe('a photo booth’s application, over the API', () => {
  const PHOTO = 'cd'.repeat(32);
  const form = () => sim.applications.printForm('kawasaki-taro').id;

  it('checks a form, counts wrong birth dates on it, takes one application, and refuses the same form again, from any terminal', async () => {
    expect(await client.checkForm({ form: '1'.repeat(23), at: AT, terminal: 'K01' })).toEqual({ ok: false, reason: 'form-unknown' });
    expect(await client.checkForm({ form: 'not a form', at: AT, terminal: 'K01' })).toEqual({ ok: false, reason: 'form-malformed' });
    const id = form();
    expect(await client.checkForm({ form: id, at: AT, terminal: 'K01' })).toEqual({ ok: true });
    expect(await client.checkForm({ form: id, birthDate: '1980-04-13', at: AT, terminal: 'K01' })).toEqual({ ok: false, wrongBirthDate: true });
    expect(await client.checkForm({ form: id, birthDate: '1980-04-12', at: AT, terminal: 'K01' })).toEqual({ ok: true });
    const applied = await client.applyForCard({ form: id, birthDate: '1980-04-12', certificates: true, braille: false, photoSha256: PHOTO, at: AT, terminal: 'K01' });
    expect(applied).toEqual({ ok: true, application: expect.any(Number), arrivesOn: '2026-12-23' });
    expect(await k07.applyForCard({ form: id, birthDate: '1980-04-12', certificates: true, braille: false, photoSha256: PHOTO, at: AT, terminal: 'K07' })).toEqual({ ok: false, reason: 'form-used' });
    expect(sim.life.records.applications('kawasaki-taro').map((a) => [a.route, a.by])).toEqual([['booth', 'K01']]);
  });

  it('a form whose birth date was guessed wrong 10 times is refused for good, even with the right one', async () => {
    const id = sim.applications.printForm('takasaki-yoshiko').id;
    for (let i = 0; i < 10; i++) expect(await k07.checkForm({ form: id, birthDate: `1975-01-${String(i + 1).padStart(2, '0')}`, at: AT, terminal: 'K07' })).toEqual({ ok: false, wrongBirthDate: true });
    expect(await client.checkForm({ form: id, birthDate: '1975-01-20', at: AT, terminal: 'K01' })).toEqual({ ok: false, reason: 'birth-date-mismatch' });
  });

  it('unsigned, for another terminal, or malformed: 401, 409 and 400, and nothing recorded', async () => {
    const id = sim.applications.printForm('kawasaki-hanako').id;
    const body = { form: id, birthDate: '1982-09-30', certificates: true, braille: false, photoSha256: PHOTO, at: AT, terminal: 'K01' };
    expect((await post('/apply', body, null)).status).toBe(401);
    expect((await post('/apply', { ...body, terminal: 'K07' })).status).toBe(409);
    const bad = await post('/apply', { ...body, birthDate: 'yesterday' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/field "birthDate"/);
    expect((await post('/apply', { ...body, certificates: 'yes' })).status).toBe(400);
    expect(sim.life.records.applications('kawasaki-hanako')).toEqual([]);
  });
});

describe('an unreachable center', () => {
  it('a stopped server is CenterUnreachableError naming its URL', async () => {
    const center = newCenter();
    const other = await serveCenter({ center, port: 0 });
    const c = new CenterClient({ url: other.url, token: center.terminals.add('K01') });
    expect(await c.challenge()).toHaveLength(32);
    await other.close();
    await expect(c.challenge()).rejects.toBeInstanceOf(CenterUnreachableError);
    await expect(c.verify('0000-0000-0000-0000')).rejects.toThrow(other.url);
  });

  it('the kiosk’s link cut (client.online = false) is CenterUnreachableError, and the center is not asked', async () => {
    const counting = newCenter();
    const own = await serveCenter({ center: counting, port: 0 });
    try {
      const c = new CenterClient({ url: own.url, token: counting.terminals.add('K01') });
      c.online = false;
      await expect(c.challenge()).rejects.toBeInstanceOf(CenterUnreachableError);
      await expect(c.challenge()).rejects.toThrow(own.url);
      expect(counting.pending('K01').challenges).toBe(0);
      c.online = true;
      expect(await c.challenge()).toHaveLength(32);
      expect(counting.pending('K01').challenges).toBe(1);
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
      ['/issue', { session: 's', holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K_01' }, '"terminal" must be a terminal id of 1-16 letters and digits'],
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
    expect((await fetch(`${server.url}/challenge`, { headers: signed(tokens.K01, 'GET', '/challenge') })).status).toBe(405);
    expect(await client.health()).toEqual({ online: true });
  });
});

describe('who may call the center', () => {
  const routes: Array<[string, string, object | undefined]> = [
    ['POST', '/challenge', {}],
    ['POST', '/authenticate', { certificate: 'AAAA', challenge: 'AAAA', signature: 'AAAA', scope: 'residence', city: null, at: AT }],
    ['POST', '/issue', { session: 's', holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K01' }],
    ['POST', '/printed', { verificationCode: '1111-2222-3333-4444', pdfSha256: 'ab'.repeat(32) }],
    ['GET', '/whoami', undefined],
  ];

  it('no signature, a made-up or removed terminal’s key, a bearer token, a tampered call, a stale time, a doubled header: 401 on every route but /health and /verify, saying what to do', async () => {
    const pendingBefore = sim.pending('K01').challenges;
    const removable = sim.terminals.add('K99');
    expect(sim.terminals.remove('K99')).toBe(true);
    const madeUp = `K01.${Buffer.alloc(32, 1).toString('base64url')}`;
    for (const [method, path, body] of routes) {
      const text = body === undefined ? '' : JSON.stringify(body);
      const good = () => signed(tokens.K01, method, path, text);
      const variants: Array<[string, Record<string, string | string[]>, string?]> = [
        ['nothing', {}],
        ['the token itself as a bearer token', { authorization: `Bearer ${tokens.K01}` }],
        ['a made-up key for K01', signed(madeUp, method, path, text)],
        ['a removed terminal’s key', signed(removable, method, path, text)],
        ...(method === 'POST' ? [['another body than the one signed', good(), JSON.stringify({ tampered: true })] as [string, Record<string, string>, string]] : []),
        ['signed for another path', signed(tokens.K01, method, '/verify/0000-0000-0000-0000', text)],
        ['signed 6 minutes ago', signed(tokens.K01, method, path, text, Date.now() - 6 * 60_000)],
        ['signed 6 minutes ahead', signed(tokens.K01, method, path, text, Date.now() + 6 * 60_000)],
        ['no terminal header', (({ 'x-kiosk-terminal': _t, ...rest }) => rest)(good())],
        ['two signature headers', (({ 'x-kiosk-signature': sig, ...rest }) => ({ ...rest, 'x-kiosk-signature': [sig, sig] }))(good())],
        ['two Authorization headers', { ...good(), authorization: ['Bearer a', 'Bearer b'] }],
      ];
      for (const [what, headers, sent] of variants) {
        const res = await raw({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : sent ?? text });
        expect(res.status, `${method} ${path}: ${what}`).toBe(401);
        expect(res.json.error).toBe('unauthenticated');
        expect(res.json.message).toContain('kiosk center terminal add ID');
        expect(res.headers['x-center-signature'], `${method} ${path}: ${what}`).toBeUndefined();
        // Never whether the id or the key was wrong, never what was sent.
        expect(JSON.stringify(res.json)).not.toMatch(/K01|K99|unknown token|expired/);
        for (const secret of [madeUp, removable, tokens.K01]) expect(JSON.stringify(res.json)).not.toContain(secret);
      }
    }
    // Nothing of it reached the center: no challenge more is pending.
    expect(sim.pending('K01').challenges).toBe(pendingBefore);
    // The open routes answer without a token.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await post('/verify', { code: '0000-0000-0000-0000' }, null)).status).toBe(200);
    expect((await fetch(`${server.url}/verify/0000-0000-0000-0000`)).status).toBe(200);
    // The client turns the 401 into a typed error that says how to register the terminal and start the kiosk.
    for (const c of [new CenterClient({ url: server.url }), new CenterClient({ url: server.url, token: madeUp })]) {
      const refused = c.challenge();
      await expect(refused).rejects.toBeInstanceOf(CenterAuthenticationError);
      await expect(refused).rejects.toThrow(/kiosk center terminal add ID --var DIR --out FILE.*--center-token FILE/);
    }
  });

  it('GET /whoami names the terminal the token belongs to', async () => {
    expect(await client.whoami()).toBe('K01');
    expect(await k07.whoami()).toBe('K07');
    expect(await (await fetch(`${server.url}/whoami`, { headers: signed(tokens.K02, 'GET', '/whoami') })).json()).toEqual({ terminal: 'K02' });
  });

  it('a Host that is not this machine is 403, on every route (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1.nip.io:${server.port}`, `localhost.evil.example:${server.port}`, '10.0.0.1',
      // This machine, but not the center's port (a page on another local port, rebound): refused as well.
      `127.0.0.1:${server.port + 1}`, `localhost:${server.port - 1}`, '127.0.0.1', `127.0.0.1:0${server.port}0`]) {
      for (const [method, path, body] of [['GET', '/health', undefined], ['GET', '/verify/0000-0000-0000-0000', undefined], ...routes] as typeof routes) {
        const res = await raw({ method, path, headers: { host, 'content-type': 'application/json', ...signed(tokens.K01, method, path, body && JSON.stringify(body)) }, body: body && JSON.stringify(body) });
        expect(res.status, `${host} ${method} ${path}`).toBe(403);
      }
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      expect((await raw({ path: '/whoami', headers: { host, ...signed(tokens.K01, 'GET', '/whoami') } })).json, host).toEqual({ terminal: 'K01' });
    }
  });

  it('any Origin header is 403: no web page may call the center, not even /verify, not even with a token', async () => {
    const pendingBefore = sim.pending('K01').challenges;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port}`, 'null', 'http://localhost:8080']) {
      for (const [method, path, body] of [['GET', '/health', undefined], ['POST', '/verify', { code: '0000-0000-0000-0000' }], ...routes] as typeof routes) {
        const res = await raw({ method, path, headers: { origin, 'content-type': 'application/json', ...signed(tokens.K01, method, path, body && JSON.stringify(body)) }, body: body && JSON.stringify(body) });
        expect(res.status, `${origin} ${method} ${path}`).toBe(403);
      }
    }
    // A page's plain GET (an image, a script) carries no Origin, but a browser marks it with Sec-Fetch-Site.
    expect((await raw({ path: '/verify/0000-0000-0000-0000', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(sim.pending('K01').challenges).toBe(pendingBefore);
  });

  it('a POST body not declared application/json is 415 (text/plain is what a page could send without asking)', async () => {
    const pendingBefore = sim.pending('K01').challenges;
    const body = JSON.stringify({ code: '0000-0000-0000-0000' });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json; charset=latin1', undefined]) {
      for (const path of ['/challenge', '/verify', '/printed']) {
        const res = await raw({ method: 'POST', path, headers: { ...(type ? { 'content-type': type } : {}), ...signed(tokens.K01, 'POST', path, body) }, body });
        expect(res.status, `${type} ${path}`).toBe(415);
        expect(res.json.error).toBe('unsupported-media-type');
      }
    }
    expect(sim.pending('K01').challenges).toBe(pendingBefore);
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      expect((await raw({ method: 'POST', path: '/verify', headers: { 'content-type': type }, body })).status, type).toBe(200);
    }
  });

  it('K02’s token cannot redeem K01’s session: refused, and the session is burned for K01 too', async () => {
    const s = await session(client, 'kawasaki-taro');
    const asK02 = new CenterClient({ url: server.url, token: tokens.K02 });
    const request = juminhyo({ copies: 1 });
    await expect(asK02.issue({ session: s, holder: 'kawasaki-taro', request, at: AT, terminal: 'K02' })).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-mismatch' });
    await expect(client.issue({ session: s, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' })).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
    // Naming K01 in the request does not help K02 either.
    const s2 = await session(client, 'kawasaki-taro');
    const res = await post('/issue', { session: s2, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }, tokens.K02);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'issuance-refused', refusal: 'terminal-mismatch' });
    await expect(client.issue({ session: s2, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' })).rejects.toMatchObject({ refusal: 'session-unknown' });
  });

  it('a copy’s digest is recorded once, by its terminal: a second report, from it or from another, is 409 printed-refused', async () => {
    const issued = await client.issue({ session: await session(client, 'kawasaki-taro'), holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: AT, terminal: 'K01' });
    const code = issued.certificates[0].verificationCode;
    const [real, forged] = ['12'.repeat(32), 'fe'.repeat(32)];
    const fromK02 = await post('/printed', { verificationCode: code, pdfSha256: forged }, tokens.K02);
    expect(fromK02.status).toBe(409);
    expect(await fromK02.json()).toMatchObject({ error: 'printed-refused', reason: 'not-this-terminal' });
    await client.recordPrinted({ verificationCode: code, pdfSha256: real });
    const again = await post('/printed', { verificationCode: code, pdfSha256: forged });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'printed-refused', reason: 'already-recorded' });
    const unknown = await post('/printed', { verificationCode: '1111-2222-3333-4444', pdfSha256: forged });
    expect(await unknown.json()).toMatchObject({ error: 'printed-refused', reason: 'unknown-code' });
    await expect(client.recordPrinted({ verificationCode: code, pdfSha256: forged })).rejects.toBeInstanceOf(PrintedRefusedError);
    await expect(new CenterClient({ url: server.url, token: tokens.K02 }).recordPrinted({ verificationCode: code, pdfSha256: forged }))
      .rejects.toMatchObject({ name: 'PrintedRefusedError', reason: 'not-this-terminal' });
    expect((await fetch(`${server.url}/verify/${code}`).then((r) => r.json())).record.pdfSha256).toBe(real);
  });

  it('a terminal claiming 03:00 on December 31 while the center says November 24, 10:00: 409 clock-skew, which the client makes CenterClockSkewError', async () => {
    const signed = await signedChallenge(client, 'kawasaki-taro');
    const claim = '2026-12-31T03:00:00+09:00';
    const body = { ...signed, certificate: signed.certificate.toString('base64'), challenge: signed.challenge.toString('base64'), signature: signed.signature.toString('base64'), scope: 'residence', city: null, at: claim };
    const res = await post('/authenticate', body);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'clock-skew', centerTime: '2026-11-24T10:00:00.000+09:00', terminalTime: claim });
    const s = await session(client, 'kawasaki-taro');
    const refused = client.issue({ session: s, holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: claim, terminal: 'K01' });
    await expect(refused).rejects.toBeInstanceOf(CenterClockSkewError);
    await expect(refused).rejects.toBeInstanceOf(CenterUnreachableError);
    await expect(refused).rejects.toThrow(/36 days 17 h ahead of the issuance center's/);
  });

  it('the issuance is dated by the center’s clock, not the kiosk’s (within the tolerance)', async () => {
    const kioskTime = '2026-11-24T10:04:00+09:00';
    const s = await session(client, 'kawasaki-taro');
    const issued = await client.issue({ session: s, holder: 'kawasaki-taro', request: juminhyo({ copies: 1 }), at: kioskTime, terminal: 'K01' });
    expect(issued.certificates[0].issuedAt).toBe('2026-11-24T10:00:00.000+09:00');
    expect((await client.verify(issued.certificates[0].verificationCode))?.issuedAt).toBe('2026-11-24T10:00:00.000+09:00');
  });

  it('10,000 challenges from K02 do not evict K01’s pending authentication', async () => {
    const asK02 = new CenterClient({ url: server.url, token: tokens.K02 });
    const pending = await signedChallenge(client, 'kawasaki-hanako');
    for (let i = 0; i < 10_000; i += 100) await Promise.all(Array.from({ length: 100 }, () => asK02.challenge()));
    expect(sim.pending('K02').challenges).toBe(64);
    const r = await client.authenticate({ ...pending, scope: 'residence', city: null, at: AT });
    expect(r.ok).toBe(true);
  }, 60_000);

  it('a terminal added to the register file while the center runs is served at once; one removed, or given a new token, is refused at once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'center-terminals-')), 'terminals.json');
    const center = newCenter({ terminalsFile: file });
    const own = await serveCenter({ center, port: 0 });
    try {
      // What `kiosk center terminal add` does, from another process: the register file changes under the center.
      const cli = new TerminalRegistry(file);
      const token = cli.add('K05');
      expect(await new CenterClient({ url: own.url, token }).whoami()).toBe('K05');
      const renewed = cli.add('K05', { replace: true });
      await expect(new CenterClient({ url: own.url, token }).whoami()).rejects.toBeInstanceOf(CenterAuthenticationError);
      expect(await new CenterClient({ url: own.url, token: renewed }).whoami()).toBe('K05');
      cli.remove('K05');
      await expect(new CenterClient({ url: own.url, token: renewed }).whoami()).rejects.toBeInstanceOf(CenterAuthenticationError);
      // The file holds the tokens' digests only.
      expect(readFileSync(file, 'utf8')).not.toContain(token);
    } finally {
      await own.close();
    }
  });

  it('the server’s log has routes and statuses only: no token, no body', () => {
    expect(serverLog.length).toBeGreaterThan(10);
    expect(serverLog.some((l) => l.includes('→ 401'))).toBe(true);
    for (const line of serverLog) {
      expect(line).toMatch(/^(GET|POST|PUT|DELETE) \S+ → \d{3}( \(\w+\))?$/);
      for (const token of Object.values(tokens)) expect(line).not.toContain(token);
    }
  });
});

describe('signed calls, signed answers: the token never travels and only the center can answer', () => {
  const text = JSON.stringify({});

  it('the answer to a signed call carries the center’s signature over its nonce, status and body, whatever the status; a call is taken once', async () => {
    const headers = signed(tokens.K01, 'POST', '/challenge', text);
    const first = await raw({ method: 'POST', path: '/challenge', headers: { 'content-type': 'application/json', ...headers }, body: text });
    expect(first.status).toBe(200);
    const body = Buffer.from(JSON.stringify(first.json));
    expect(first.headers['x-center-signature']).toBe(responseSignature(keyOfToken(tokens.K01), { nonce: headers['x-kiosk-nonce'], status: 200, body }));
    // The very same call again (a replay by whoever saw it): refused, unsigned, and nothing reaches the center.
    const pending = sim.pending('K01').challenges;
    const again = await raw({ method: 'POST', path: '/challenge', headers: { 'content-type': 'application/json', ...headers }, body: text });
    expect(again.status).toBe(401);
    expect(again.headers['x-center-signature']).toBeUndefined();
    expect(sim.pending('K01').challenges).toBe(pending);
    // A 400 and a 409 to a signed call are signed too; an unsigned /verify is answered unsigned.
    for (const [path, payload, status] of [['/printed', '{"verificationCode":"1"}', 400], ['/printed', JSON.stringify({ verificationCode: '1111-2222-3333-4444', pdfSha256: 'ab'.repeat(32) }), 409]] as const) {
      const h = signed(tokens.K01, 'POST', path, payload);
      const r = await raw({ method: 'POST', path, headers: { 'content-type': 'application/json', ...h }, body: payload });
      expect(r.status).toBe(status);
      expect(r.headers['x-center-signature']).toBe(responseSignature(keyOfToken(tokens.K01), { nonce: h['x-kiosk-nonce'], status, body: Buffer.from(JSON.stringify(r.json)) }));
    }
    expect((await raw({ path: '/verify/0000-0000-0000-0000' })).headers['x-center-signature']).toBeUndefined();
    const sv = signed(tokens.K02, 'GET', '/verify/0000-0000-0000-0000');
    const verified = await raw({ path: '/verify/0000-0000-0000-0000', headers: sv });
    expect(verified.json).toEqual({ record: null });
    expect(verified.headers['x-center-signature']).toBe(responseSignature(keyOfToken(tokens.K02), { nonce: sv['x-kiosk-nonce'], status: 200, body: Buffer.from('{"record":null}') }));
  });

  it('a client with a token gets the center’s signed verify answer (lastVerifySigned); without one it is told the answer is unsigned', async () => {
    await client.verify('0000-0000-0000-0000');
    expect(client.lastVerifySigned).toBe(true);
    const open = new CenterClient({ url: server.url });
    await open.verify('0000-0000-0000-0000');
    expect(open.lastVerifySigned).toBe(false);
  });

  it('a program on the center’s port learns no token and cannot answer: every call is CenterImpostorError ("not this terminal’s center"), which the kiosk treats as unreachable', async () => {
    const seen: string[] = [];
    const forged = { terminal: 'K01', challenge: Buffer.alloc(32).toString('base64'), record: null, ok: true };
    const squatter = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push(JSON.stringify(req.headers) + body);
        const json = req.url === '/health' ? { service: 'konbini-issuance-center', online: true } : forged;
        // Signing with a key of its own making is all it could do.
        res.writeHead(200, { 'content-type': 'application/json', 'x-center-signature': responseSignature(Buffer.alloc(32, 7), { nonce: String(req.headers['x-kiosk-nonce']), status: 200, body: JSON.stringify(json) }) });
        res.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((ok) => squatter.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(squatter.address() as { port: number }).port}`;
    try {
      const victim = new CenterClient({ url, token: tokens.K01 });
      expect(await victim.health()).toEqual({ online: true });
      for (const call of [() => victim.whoami(), () => victim.challenge(), () => victim.verify('1111-2222-3333-4444'),
        () => victim.issue({ session: 's', holder: 'kawasaki-taro', request: juminhyo(), at: AT, terminal: 'K01' })]) {
        const refused = call();
        await expect(refused).rejects.toBeInstanceOf(CenterImpostorError);
        await expect(refused).rejects.toBeInstanceOf(CenterUnreachableError);
        await expect(refused).rejects.toThrow(`The server at ${url} is not this terminal's issuance center`);
      }
      expect(seen.length).toBe(5);
      for (const request of seen) {
        expect(request).not.toContain(tokens.K01);
        expect(request).not.toContain(tokens.K01.split('.')[1]);
        expect(request).not.toContain(keyOfToken(tokens.K01).toString('hex'));
        expect(request).not.toMatch(/authorization/i);
      }
    } finally {
      await new Promise((ok) => squatter.close(ok));
    }
  });

  it('the window is real time, not the center’s clock: a center whose clock says 2026 takes a call made now, and refuses one made 6 minutes before its real time', async () => {
    let now = Date.now();
    const own = await serveCenter({ center: sim, port: 0, realTime: () => now });
    try {
      const k01 = new CenterClient({ url: own.url, token: tokens.K01 });
      expect(await k01.whoami()).toBe('K01');
      now += 6 * 60_000;
      await expect(k01.whoami()).rejects.toBeInstanceOf(CenterAuthenticationError);
    } finally {
      await own.close();
    }
  });

  it('the nonces a center keeps are bounded per terminal, and a nonce it let go of is still refused', () => {
    const guard = new ReplayGuard(5 * 60_000, 8);
    const now = 1_000_000;
    for (let i = 0; i < 100; i++) expect(guard.take('K01', `nonce-${i}`.padEnd(22, 'x'), now + i, now + i)).toBe(true);
    expect(guard.count('K01')).toBe(8);
    // The first nonces were let go of, but their time is at or below the floor: a replay is refused all the same.
    for (let i = 0; i < 100; i++) expect(guard.take('K01', `nonce-${i}`.padEnd(22, 'x'), now + i, now + 200)).toBe(false);
    // Another terminal's nonces are its own.
    expect(guard.take('K02', 'nonce-0'.padEnd(22, 'x'), now, now)).toBe(true);
  });

  it('a request target that is no path (an absolute URL with a bad host or port) is 400, and the center goes on serving', async () => {
    for (const target of ['http://[/', 'http://x:99999/', 'http://127.0.0.1:1/health', '*']) {
      const answer = await rawSocket(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(await client.whoami()).toBe('K01');
    expect(serverLog).toContain('GET (not a path) → 400');
  });
});

/** Sends `text` as it is on a fresh connection and resolves with everything that comes back. */
function rawSocket(port: number, text: string): Promise<string> {
  return new Promise((ok, fail) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (c: Buffer) => (got += c.toString('utf8')));
    socket.on('end', () => ok(got));
    socket.on('close', () => ok(got));
    socket.on('error', fail);
  });
}

describe('binding', () => {
  it('refuses to listen anywhere but 127.0.0.1', async () => {
    await expect(serveCenter({ center: newCenter(), port: 0, host: '0.0.0.0' })).rejects.toThrow('127.0.0.1 only');
  });
});
