// The center trusts nobody it has not authenticated, as a user meets it through the commands: terminals are
// registered with `kiosk center terminal add|list|remove` (the token in a file only its owner reads, never listed),
// `kiosk center serve` refuses every call without a registered terminal's token, any call from a web page (an Origin,
// a foreign Host, a body that is not declared JSON), a session redeemed by another terminal, a second report of a
// printed copy's file (so `kiosk verify` still tells the real PDF from a forged one), and a kiosk whose clock is off.
// Kiosks and journeys reach it with `--center URL --center-token FILE`. And in process, the center's clock passing
// 23:00 between authentication and payment refuses the issuance and the kiosk refunds everything.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { daemon, freePort, kiosk } from '../processes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CenterClient } from '../../center/center-client.ts';
import { CenterAuthenticationError, CenterClockSkewError } from '../../center/issuance-center.ts';
import { keyOfToken, signRequest } from '../../center/signing.ts';
import { tokenTerminal } from '../../center/terminals.ts';
import { issuanceLogLines } from '../../center/records/sqlite-issuance-log.ts';
import { openCenterDatabase } from '../../center/records/sqlite-records.ts';
import { SqliteTerminals } from '../../center/records/sqlite-terminals.ts';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimReader } from '../../reader/sim-reader.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AT = '2026-11-24T10:00:00+09:00';
const data = loadSampleData();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The headers of a call signed with `token`'s key, as a kiosk makes them (the token itself never travels). */
const signed = (token: string, method: string, path: string, body = '') => signRequest(keyOfToken(token), tokenTerminal(token)!, { method, path, body }).headers;


/** A request with exactly the headers given (node:http: a browser's Origin, another Host…). */
function raw(port: number, o: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => ok({ status: res.statusCode!, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', fail);
    req.end(o.body);
  });
}

/** What a kiosk does with a persona's card before it asks the center: read it, verify the PIN. */
async function cardOf(persona: string) {
  const reader = new SimReader();
  reader.insert(data.makeCard(persona, Date.parse(AT)));
  const card = new CardTerminal(reader);
  expect((await card.read()).ok).toBe(true);
  expect((await card.verifyPin(data.persona(persona).card.pin!)).result).toBe('ok');
  return card;
}

describe('kiosk center terminal add | list | remove', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-terminals-'));
  // The register is in the center's database (read only here, as kiosk center status reads it).
  const database = join(dir, 'center', 'center.sqlite');
  const registeredIds = () => (existsSync(database) ? new SqliteTerminals(openCenterDatabase(database, { readOnly: true })).load().map((t) => t.id) : []);

  it('add writes the token to a file only its owner may read, and says what to pass to kiosk start', () => {
    const out = join(dir, 'k01.token');
    const r = kiosk('center', 'terminal', 'add', 'K01', '--var', dir, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const token = readFileSync(out, 'utf8').trim();
    expect(token).toMatch(/^K01\.[A-Za-z0-9_-]{43}$/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(`kiosk start --center http://127.0.0.1:PORT --terminal K01 --center-token ${out}`);
    expect(r.stdout).not.toContain(token);
    // The register holds the token's digest, never the token.
    expect(readFileSync(database).includes(Buffer.from(token))).toBe(false);
    expect(new SqliteTerminals(openCenterDatabase(database, { readOnly: true })).load()).toEqual([{ id: 'K01', tokenSha256: sha256(Buffer.from(token)), addedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(statSync(database).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'center')).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('without --out the token alone goes to stdout (for a redirection), what to do with it to stderr', () => {
    const r = kiosk('center', 'terminal', 'add', 'K02', '--var', dir);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^K02\.[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain('shown this once');
    expect(r.stderr).toContain('--terminal K02 --center-token FILE');
  });

  it('an id already registered is refused (exit 2, saying --replace), and --replace gives it a new token', () => {
    const out = join(dir, 'k01.token');
    const old = readFileSync(out, 'utf8');
    const again = kiosk('center', 'terminal', 'add', 'K01', '--var', dir, '--out', join(dir, 'other.token'));
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('terminal K01 is already registered');
    expect(again.stderr).toContain('--replace');
    expect(existsSync(join(dir, 'other.token'))).toBe(false);
    // An existing token file is not written over without --replace either.
    const clobber = kiosk('center', 'terminal', 'add', 'K03', '--var', dir, '--out', out);
    expect(clobber.status).toBe(2);
    expect(clobber.stderr).toContain(`${out} exists already`);
    expect(readFileSync(out, 'utf8')).toBe(old);
    expect(registeredIds()).not.toContain('K03');
    const replaced = kiosk('center', 'terminal', 'add', 'K01', '--var', dir, '--out', out, '--replace');
    expect(replaced.status).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe(old);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('list shows ids and dates, never a token; --json too', () => {
    const token = readFileSync(join(dir, 'k01.token'), 'utf8').trim();
    const r = kiosk('center', 'terminal', 'list', '--var', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/K01 +added \d{4}-/);
    expect(r.stdout).toMatch(/K02 +added \d{4}-/);
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).not.toMatch(/[0-9a-f]{64}/);
    const json = kiosk('center', 'terminal', 'list', '--var', dir, '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).map((t: { id: string }) => t.id)).toEqual(['K01', 'K02']);
    expect(json.stdout).not.toContain('tokenSha256');
    const empty = kiosk('center', 'terminal', 'list', '--var', mkdtempSync(join(tmpdir(), 'kiosk-terminals-empty-')));
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain('No terminals registered');
  });

  it('remove takes a terminal off the register; an unknown one exits 2', () => {
    const r = kiosk('center', 'terminal', 'remove', 'K02', '--var', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Terminal K02 removed');
    expect(kiosk('center', 'terminal', 'list', '--var', dir).stdout).not.toContain('K02');
    const again = kiosk('center', 'terminal', 'remove', 'K02', '--var', dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('terminal K02 is not registered');
  });

  it('bad input exits 2 with what to do', () => {
    const cases: Array<[string[], RegExp]> = [
      [['center', 'terminal', 'add', 'K_01', '--var', dir], /terminal id "K_01": expected 1-16 letters and digits/],
      [['center', 'terminal', 'add', 'K'.repeat(17), '--var', dir], /expected 1-16 letters and digits/],
      [['center', 'terminal', 'add', '--var', dir], /name the terminal, e.g. kiosk center terminal add K01/],
      [['center', 'terminal', 'add', 'K04', 'K05', '--var', dir], /one terminal id at a time/],
      [['center', 'terminal', 'add', 'K04', '--var', dir, '--out', join(dir, 'nowhere', 'k04.token')], /no folder .*nowhere.* for the token file/],
      [['center', 'terminal', 'list', '--var', dir, '--replace'], /unknown flag --replace/],
      [['center', 'terminal', 'rename', 'K01'], /expected: kiosk center terminal add\|list\|remove/],
      [['center', 'serve', '--clock-tolerance', 'lots'], /--clock-tolerance lots: expected a number of seconds/],
      [['center', 'serve', '--clock', '2026-11-24T10:00:00'], /--clock 2026-11-24T10:00:00: .*offset/],
    ];
    for (const [args, message] of cases) {
      const r = kiosk(...args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.status, args.join(' ')).toBe(2);
    }
    expect(registeredIds()).not.toContain('K04');
  });
});

describe('kiosk center serve trusts nobody it has not authenticated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-center-auth-'));
  const tokenFile = (id: string) => join(dir, `${id.toLowerCase()}.token`);
  const token = (id: string) => readFileSync(tokenFile(id), 'utf8').trim();
  let port = 0;
  let url = '';
  let center: Awaited<ReturnType<typeof daemon>>;

  beforeAll(async () => {
    for (const id of ['K01', 'K02']) expect(kiosk('center', 'terminal', 'add', id, '--var', dir, '--out', tokenFile(id)).status).toBe(0);
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    center = await daemon(['center', 'serve', '--port', String(port), '--var', dir, '--clock', AT], '(Ctrl+C to stop)');
  }, 30_000);
  afterAll(() => {
    if (center?.child.exitCode === null) center.child.kill('SIGKILL');
  });

  it('says which terminals it serves and on what clock', () => {
    expect(center.output()).toContain('terminals: K01, K02');
    expect(center.output()).toContain('clock: 2026-11-24T10:00:');
    expect(center.output()).toContain("a kiosk's clock may differ by 5 min 0 s at most");
  });

  it('no signature, a made-up key, or the token itself as a bearer token: 401 saying what to do; /health and /verify stay open', async () => {
    const body = JSON.stringify({});
    for (const headers of [{}, signed(`K01.${Buffer.alloc(32, 9).toString('base64url')}`, 'POST', '/challenge', body), { authorization: `Bearer ${token('K01')}` }]) {
      const r = await raw(port, { method: 'POST', path: '/challenge', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: 'unauthenticated' });
      expect(String(r.json.message)).toContain('kiosk center terminal add ID');
    }
    expect((await raw(port, { path: '/whoami', headers: signed(token('K02'), 'GET', '/whoami') })).json).toEqual({ terminal: 'K02' });
    expect((await raw(port, { path: '/health' })).status).toBe(200);
    expect((await raw(port, { path: '/verify/0000-0000-0000-0000' })).json).toEqual({ record: null });
  });

  it('a foreign Host or any Origin is 403, a body that is not declared JSON is 415, even signed', async () => {
    expect((await raw(port, { path: '/whoami', headers: { ...signed(token('K01'), 'GET', '/whoami'), host: `attacker.example:${port}` } })).status).toBe(403);
    expect((await raw(port, { path: '/verify/0000-0000-0000-0000', headers: { host: 'attacker.example' } })).status).toBe(403);
    expect((await raw(port, { path: '/whoami', headers: { ...signed(token('K01'), 'GET', '/whoami'), origin: 'http://attacker.example' } })).status).toBe(403);
    expect((await raw(port, { method: 'POST', path: '/verify', headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' }, body: '{"code":"0000-0000-0000-0000"}' })).status).toBe(403);
    expect((await raw(port, { method: 'POST', path: '/challenge', headers: { ...signed(token('K01'), 'POST', '/challenge', '{}'), 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await raw(port, { method: 'POST', path: '/verify', headers: { 'content-type': 'text/plain' }, body: '{"code":"0000-0000-0000-0000"}' })).status).toBe(415);
  });

  it('K02’s token cannot redeem a session K01 opened: refused, and burned for K01 too', async () => {
    const k01 = new CenterClient({ url, token: token('K01') });
    const k02 = new CenterClient({ url, token: token('K02') });
    const card = await cardOf('kawasaki-taro');
    const challenge = await k01.challenge();
    const auth = await k01.authenticate({ challenge, ...(await card.sign(challenge)), scope: 'residence', city: null, at: AT });
    if (!auth.ok) throw new Error(auth.cause);
    const request = { scope: 'residence' as const, city: auth.city.code, certificate: 'juminhyo' as const, subtype: { kind: 'juminhyo' as const, scope: 'self' as const, members: [] }, options: null, copies: 1, unitFee: 200 };
    await expect(k02.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K02' })).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-mismatch' });
    await expect(k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' })).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
  });

  it('a kiosk claiming 03:00 on December 31 is refused as clock skew; a journey a day ahead of the center ends "center unreachable"', async () => {
    const k01 = new CenterClient({ url, token: token('K01') });
    const card = await cardOf('kawasaki-taro');
    const challenge = await k01.challenge();
    const claim = await k01.authenticate({ challenge, ...(await card.sign(challenge)), scope: 'residence', city: null, at: '2026-12-31T03:00:00+09:00' }).catch((e) => e);
    expect(claim).toBeInstanceOf(CenterClockSkewError);
    // The center's clock runs on from 10:00 while the test runs: 36 days 17 h less the seconds since it started.
    expect(claim.message).toMatch(/36 days 1[67] h ahead of/);
    const journey = join(dir, 'tomorrow.yaml');
    writeFileSync(journey, [
      'name: "A kiosk whose clock is a day ahead of the center"', 'persona: kawasaki-taro', 'clock: 2026-11-25T10:00:00+09:00', 'steps:',
      ...['tap: government-service', 'tap: certificate-service', 'tap: my-number-card', 'tap: accept-terms', 'insert-card', 'tap: residence', 'pin: "8642"',
        'expect: { screen: refused, reason: center-unreachable }'].map((s) => `  - ${s}`),
    ].join('\n'));
    const run = kiosk('journey', 'run', journey, '--center', url, '--center-token', tokenFile('K01'));
    expect(run.stdout).toContain('journeys: 1 passed, 0 failed');
    expect(run.status).toBe(0);
  });

  it('the journey library runs through the center with the token (in worker threads too); a forged digest reported afterwards changes nothing for kiosk verify', async () => {
    const spool = join(dir, 'spool');
    // All but the maintenance journey, which is set on December 6 (the center, on November 24, refuses its clock).
    const files = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml') && f !== '14-maintenance.yaml').map((f) => join('journeys', f));
    const run = kiosk('journey', 'run', ...files, '--center', url, '--center-token', tokenFile('K01'), '--workers', '2', '--printer', 'spool', '--spool', spool);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`journeys: ${files.length} passed, 0 failed`);
    expect(run.status).toBe(0);
    const folder = join(spool, '01-juminhyo-happy-path');
    const real = join(folder, readdirSync(folder).find((f) => f.endsWith('.pdf') && !f.endsWith('-receipt.pdf'))!);
    expect(real).toMatch(/K01-20261124-\d{6}/);
    // Somebody makes a forged copy (same code, same issuance number, other bytes) and reports its digest, from
    // another terminal and from the printing terminal itself: both refused.
    const code = /\d{4}-\d{4}-\d{4}-\d{4}/.exec((await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', real, '-'])).stdout)![0];
    expect((await new CenterClient({ url }).verify(code))?.pdfSha256).toBe(sha256(readFileSync(real)));
    const forged = join(dir, 'forged.pdf');
    copyFileSync(real, forged);
    appendFileSync(forged, '\n% edited after printing\n');
    for (const id of ['K02', 'K01']) {
      const body = JSON.stringify({ verificationCode: code, pdfSha256: sha256(readFileSync(forged)) });
      const r = await raw(port, { method: 'POST', path: '/printed', headers: { 'content-type': 'application/json', ...signed(token(id), 'POST', '/printed', body) }, body });
      expect(r.status, id).toBe(409);
      expect(r.json, id).toMatchObject({ error: 'printed-refused', reason: id === 'K02' ? 'not-this-terminal' : 'already-recorded' });
    }
    for (const where of [['--center', url], ['--var', dir]]) {
      const genuine = kiosk('verify', real, ...where);
      expect(genuine.stdout, where.join(' ')).toContain('GENUINE: ');
      expect(genuine.status).toBe(0);
      const changed = kiosk('verify', forged, ...where);
      expect(changed.stdout, where.join(' ')).toContain(`CHANGED: the code ${code} is genuine, but ${forged} is not the file that was printed`);
      expect(changed.status).toBe(1);
    }
  }, 60_000);

  it('journey run without --center-token, or with a token the center does not know, exits 2 saying what to do', () => {
    const none = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--center needs --center-token FILE');
    expect(none.stderr).toContain('kiosk center terminal add K01 --var DIR --out FILE');
    expect(none.stdout).not.toContain('PASS');
    const bogus = join(dir, 'bogus.token');
    writeFileSync(bogus, `K01.${Buffer.alloc(32, 3).toString('base64url')}\n`, { mode: 0o600 });
    const unknown = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url, '--center-token', bogus);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(`does not accept the token in ${bogus}`);
    expect(unknown.stderr).not.toContain(readFileSync(bogus, 'utf8').trim());
    const garbage = join(dir, 'garbage.token');
    writeFileSync(garbage, 'PIN 8642 and other secrets\n');
    const notToken = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url, '--center-token', garbage);
    expect(notToken.status).toBe(2);
    expect(notToken.stderr).toContain('does not hold a center token');
    expect(notToken.stderr).not.toContain('8642');
    const huge = join(dir, 'huge.token');
    writeFileSync(huge, 'x'.repeat(2048));
    expect(kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url, '--center-token', huge).stderr).toContain('larger than 1 KB');
    expect(kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center-token', tokenFile('K01')).stderr).toContain('--center-token goes with --center URL');
  });

  it('kiosk start with another terminal’s token, or none, exits 2; with its own it serves, naming the center', async () => {
    const mismatch = kiosk('start', '--port', String(await freePort()), '--center', url, '--terminal', 'K02', '--center-token', tokenFile('K01'), '--var', join(dir, 'kiosk-var'));
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain(`the token in ${tokenFile('K01')} is terminal K01's, not K02's`);
    const none = kiosk('start', '--port', String(await freePort()), '--center', url, '--terminal', 'K02');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--center needs --center-token FILE');
    const kioskPort = await freePort();
    const started = await daemon(['start', '--port', String(kioskPort), '--center', url, '--terminal', 'K02', '--center-token', tokenFile('K02'), '--var', join(dir, 'kiosk-var'),
      '--spool', join(dir, 'kiosk-spool'), '--clock', AT], `center: ${url}`);
    try {
      expect(started.output()).toContain('Kiosk ready: http://127.0.0.1:');
      expect(started.output()).not.toContain(token('K02'));
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  }, 30_000);

  it('a terminal removed while the center runs is refused at its next call', async () => {
    const k02 = new CenterClient({ url, token: token('K02') });
    expect(await k02.whoami()).toBe('K02');
    expect(kiosk('center', 'terminal', 'remove', 'K02', '--var', dir).status).toBe(0);
    await expect(k02.challenge()).rejects.toBeInstanceOf(CenterAuthenticationError);
  });

  it('its log names routes and statuses, never a token', () => {
    expect(center.output()).toContain('POST /challenge → 401');
    for (const id of ['K01', 'K02']) expect(center.output()).not.toContain(token(id));
  });
});

describe('the center decides by its own clock, in process too', () => {
  const journey = (jump: boolean) => parseJourneyText('closing.yaml', [
    `name: "Authenticated at 22:58; ${jump ? 'the clock passes 23:00 before' : 'pays at once:'} payment"`, 'persona: kawasaki-taro', 'clock: 2026-11-24T22:58:00+09:00', 'steps:',
    ...['tap: government-service', 'tap: certificate-service', 'tap: my-number-card', 'tap: accept-terms', 'insert-card', 'tap: residence', 'pin: "8642"',
      'expect: { screen: card-removal, holder: 川崎 太郎 }', 'remove-card', ...(jump ? ['clock: 2026-11-24T23:00:30+09:00'] : []),
      'certificate: inkan', 'copies: 1', 'tap: confirm', 'insert-cash: [500]'].map((s) => `  - ${s}`),
  ].join('\n'), data.personas.map((p) => p.id));

  it('the center’s clock passing 23:00 between authentication and issuance: refused (service-closed), the whole payment refunded', async () => {
    const log: string[] = [];
    const varDir = mkdtempSync(join(tmpdir(), 'kiosk-closing-'));
    const r = await runJourney(journey(true), { log: (line) => log.push(line), varDir });
    expect(r.failure).toBeNull();
    const last = r.steps.at(-1)!.view!;
    expect(last.screen).toBe('print-failed');
    expect(last.printed).toBe(0);
    expect(r.printed).toEqual([]);
    expect(log.join('\n')).toContain('service-closed');
    // Every yen back: the journal's cash.out charged nothing and returned the 500-yen coin.
    const records = readFileSync(join(varDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.find((x) => x.type === 'print.failed')).toMatchObject({ reason: 'issuance-refused', printed: 0 });
    const out = records.filter((x) => x.type === 'cash.out');
    expect(out).toHaveLength(1);
    expect(out[0].charged).toBe(0);
    expect((out[0].change ?? 0) + (out[0].refunded ?? 0)).toBe(500);
    // Nothing in the center's log either.
    expect(issuanceLogLines(join(varDir, 'center'), { readOnly: true }).filter((l) => l.type === 'issued')).toEqual([]);
  });

  it('control: the same purchase without the jump prints', async () => {
    const r = await runJourney(journey(false));
    expect(r.failure).toBeNull();
    expect(r.printed).toHaveLength(1);
  });
});
