// One issuance center shared by several kiosks, as `kiosk center serve` runs it: four terminals, each with its own
// CenterClient, sell 住民票 to different people at the same time (two of them from one household), round after
// round, every issuance held until all four kiosks hold an open session at the center. Every printed copy must be
// the session's person's, numbered by its own kiosk, with a verification code the center can find; a session token
// works once, for its own person and at its own kiosk only. Each kiosk is a terminal registered with the center and
// proves it with its token. Then the same through real processes: `kiosk center serve` (on its own clock) and
// `kiosk journey run --center URL --center-token FILE`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuanceLogLines } from '../../center/records/sqlite-issuance-log.ts';
import { CenterClient } from '../../center/center-client.ts';
import { serveCenter, type CenterServer } from '../../center/center-server.ts';
import type { Issuance, IssueRequest } from '../../center/issuance-center.ts';
import { SimCenter } from '../../center/sim-center.ts';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney, type JourneyResult } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimReader } from '../../reader/sim-reader.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const data = loadSampleData();
const AT = '2026-11-24T10:00:00+09:00';
const KIOSKS = ['K01', 'K02', 'K03', 'K04'];
/** Two members of one household among them: their sessions are open side by side in every round. */
const PERSONAS = ['kawasaki-taro', 'kawasaki-hanako', 'takasaki-yoshiko', 'silva-ana'];
const ROUNDS = 3;

const resident = (persona: string) => data.registry.residents.get(data.persona(persona).resident!)!;
const squash = (s: string) => s.replace(/\s+/g, '');
const pdfText = async (file: string) => (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every kiosk arrives once per round (at its issuance, or at the end of a journey that got no further). */
class Rendezvous {
  readonly #rounds = new Map<number, { arrived: number; open: Promise<void>; release: () => void }>();
  constructor(readonly parties: number) {}

  arrive(round: number): Promise<void> {
    let r = this.#rounds.get(round);
    if (!r) {
      let release!: () => void;
      const open = new Promise<void>((ok) => (release = ok));
      r = { arrived: 0, open, release };
      this.#rounds.set(round, r);
    }
    if (++r.arrived === this.parties) r.release();
    return r.open;
  }
}

/** A kiosk's CenterClient that keeps what it asked and got, and holds each issuance until every kiosk has a session. */
class KioskClient extends CenterClient {
  round = 0;
  #arrived = -1;
  readonly issued: Array<{ round: number; args: IssueRequest; issuance: Issuance }> = [];

  constructor(url: string, token: string, readonly rendezvous: Rendezvous) {
    super({ url, token });
  }

  async arrive(): Promise<void> {
    if (this.#arrived === this.round) return;
    this.#arrived = this.round;
    await this.rendezvous.arrive(this.round);
  }

  override async issue(args: IssueRequest): Promise<Issuance> {
    await this.arrive();
    const issuance = await super.issue(args);
    this.issued.push({ round: this.round, args, issuance });
    return issuance;
  }
}

/** A self 住民票, one copy, paid with a 1000-yen bill: a whole purchase at the kiosk. */
function purchase(kiosk: string, round: number, persona: string) {
  const p = data.persona(persona);
  const text = [
    `name: "${kiosk} round ${round}: ${persona} buys a 住民票"`, `persona: ${persona}`, `clock: ${AT}`, 'steps:',
    ...['tap: government-service', 'tap: certificate-service', 'tap: my-number-card', 'tap: accept-terms', 'insert-card', 'tap: residence',
      `pin: "${p.card.pin}"`, `expect: { screen: card-removal, holder: ${resident(persona).name} }`, 'remove-card',
      'certificate: juminhyo', 'type: { scope: self }', 'info: { householdHead: false }', 'copies: 1', 'tap: confirm',
      'insert-cash: [1000]', 'expect: { screen: printing, printed: 1, charged: 200, change: 800, refunded: 0 }', 'tap: done'].map((s) => `  - ${s}`),
  ].join('\n');
  return parseJourneyText(`${kiosk}-round${round}-${persona}.yaml`, text, data.personas.map((x) => x.id));
}

describe('one center, four kiosks selling at the same time', () => {
  let sim: SimCenter;
  let server: CenterServer;
  const spool = mkdtempSync(join(tmpdir(), 'kiosk-shared-center-'));
  const rendezvous = new Rendezvous(KIOSKS.length);
  const clients = new Map<string, KioskClient>();
  const tokens = new Map<string, string>();
  const runs: Array<{ kiosk: string; round: number; persona: string; result: JourneyResult }> = [];

  beforeAll(async () => {
    sim = new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: new SimClock(AT) });
    server = await serveCenter({ center: sim, port: 0 });
    for (const k of KIOSKS) tokens.set(k, sim.terminals.add(k));
    for (const k of KIOSKS) clients.set(k, new KioskClient(server.url, tokens.get(k)!, rendezvous));
    await Promise.all(KIOSKS.map(async (kiosk, i) => {
      const client = clients.get(kiosk)!;
      for (let round = 1; round <= ROUNDS; round++) {
        client.round = round;
        // Each round every kiosk serves somebody else; 川崎 太郎 and 川崎 花子 are always at two kiosks at once.
        const persona = PERSONAS[(i + round) % PERSONAS.length];
        const result = await runJourney(purchase(kiosk, round, persona), { printer: 'spool', spoolDir: spool, center: client, terminalId: kiosk });
        await client.arrive();
        runs.push({ kiosk, round, persona, result });
      }
    }));
  }, 120_000);
  afterAll(() => server?.close());

  it('every purchase completes: paid, printed, change given', () => {
    expect(runs).toHaveLength(KIOSKS.length * ROUNDS);
    expect(runs.filter((r) => !r.result.passed).map((r) => `${r.result.file}:${r.result.failure?.line}: ${r.result.failure?.message}`)).toEqual([]);
  });

  it('each certificate the center handed a kiosk is its session’s person’s, numbered with that kiosk’s id', () => {
    for (const { kiosk, round, persona } of runs) {
      const got = clients.get(kiosk)!.issued.filter((x) => x.round === round);
      expect(got, `${kiosk} round ${round}`).toHaveLength(1);
      const { args, issuance } = got[0];
      expect(args.holder).toBe(resident(persona).id);
      expect(issuance.issuanceNumber.startsWith(`${kiosk}-20261124-`), issuance.issuanceNumber).toBe(true);
      expect(issuance.certificates).toHaveLength(1);
      const people = issuance.certificates[0].people;
      expect(people.map((block) => block.find((f) => f.label === '氏名')?.value), `${kiosk} round ${round}`).toEqual([resident(persona).name]);
    }
  });

  it('each printed PDF names its person (and no one else of the four), carries its kiosk’s issuance number, and is what the center recorded', async () => {
    const numbers: string[] = [];
    const codes: string[] = [];
    for (const { kiosk, round, persona, result } of runs) {
      const copies = result.documents.filter((d) => !d.endsWith('-receipt.pdf'));
      expect(copies, `${kiosk} round ${round}`).toHaveLength(1);
      const text = await pdfText(copies[0]);
      const flat = squash(text);
      expect(flat, `${kiosk} round ${round}`).toContain(squash(resident(persona).name));
      for (const other of PERSONAS.filter((x) => x !== persona)) expect(flat, `${kiosk} round ${round}: ${other}`).not.toContain(squash(resident(other).name));
      const number = new RegExp(`${kiosk}-20261124-\\d{6}`).exec(text)?.[0];
      const code = /\d{4}-\d{4}-\d{4}-\d{4}/.exec(text)?.[0];
      expect(number, `${kiosk} round ${round}: issuance number on the paper`).toBeDefined();
      expect(code, `${kiosk} round ${round}: verification code on the paper`).toBeDefined();
      const record = await clients.get(kiosk)!.verify(code!);
      expect(record, `${kiosk} round ${round}: ${code}`).toMatchObject({ holder: resident(persona).id, terminal: kiosk, issuanceNumber: number, copy: 1, copies: 1 });
      // The kiosk reported the printed file's digest: the center knows this very PDF.
      expect(record!.pdfSha256).toBe(sha256(copies[0]));
      numbers.push(number!);
      codes.push(code!);
    }
    expect(new Set(numbers).size).toBe(runs.length);
    expect(new Set(codes).size).toBe(runs.length);
  });

  it('a used session token cannot be replayed, not even by the kiosk that had it', async () => {
    const used = [...clients.values()].flatMap((client) => client.issued.map(({ args }) => ({ client, args })));
    expect(used).toHaveLength(KIOSKS.length * ROUNDS);
    for (const { client, args } of used) {
      await expect(client.issue({ ...args }), args.session).rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
    }
  });

  it('a stolen session token cannot buy another person’s papers, and is burned by the attempt', async () => {
    // 川崎 太郎 authenticates at K01; somebody at K02 gets hold of his session and asks for 川崎 花子's 住民票.
    const k01 = new CenterClient({ url: server.url, token: tokens.get('K01') });
    const k02 = new CenterClient({ url: server.url, token: tokens.get('K02') });
    const reader = new SimReader();
    reader.insert(data.makeCard('kawasaki-taro', Date.parse(AT)));
    const card = new CardTerminal(reader);
    expect((await card.read()).ok).toBe(true);
    expect((await card.verifyPin(data.persona('kawasaki-taro').card.pin!)).result).toBe('ok');
    const challenge = await k01.challenge();
    const auth = await k01.authenticate({ challenge, ...(await card.sign(challenge)), scope: 'residence', city: null, at: AT });
    expect(auth.ok).toBe(true);
    if (!auth.ok) return;
    const request = {
      scope: 'residence' as const, city: auth.city.code, certificate: 'juminhyo' as const, subtype: { kind: 'juminhyo' as const, scope: 'self' as const, members: [] },
      options: null, copies: 1, unitFee: 200,
    };
    await expect(k02.issue({ session: auth.session, holder: 'kawasaki-hanako', request, at: AT, terminal: 'K02' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-mismatch' });
    await expect(k01.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
    await expect(k02.issue({ session: 'a-guessed-token', holder: 'kawasaki-hanako', request, at: AT, terminal: 'K02' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
    // Nor can K02 buy 太郎's own papers with it: the session is K01's, whoever it names.
    const second = await k01.challenge();
    const again = await k01.authenticate({ challenge: second, ...(await card.sign(second)), scope: 'residence', city: null, at: AT });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    await expect(k02.issue({ session: again.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K02' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-mismatch' });
    await expect(k01.issue({ session: again.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' }))
      .rejects.toMatchObject({ name: 'IssuanceRefusedError', refusal: 'session-unknown' });
  });
});

describe('kiosk center serve and kiosk journey run --center, as processes', () => {
  const kiosk = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-center-serve-'));
  const tokenFile = join(dir, 'k01.token');
  let port = 0;
  let center: ChildProcess;
  let centerOut = '';
  let exited: Promise<number | null>;

  /** A port nobody listens on (found by listening on 0 and letting it go). */
  const freePort = () =>
    new Promise<number>((ok, fail) => {
      const s = createServer();
      s.once('error', fail);
      s.listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
      });
    });

  beforeAll(async () => {
    port = await freePort();
    // The kiosk that will run journeys against it is registered first; the center runs on the journeys' day.
    const added = kiosk('center', 'terminal', 'add', 'K01', '--var', dir, '--out', tokenFile);
    expect(added.status, added.stderr).toBe(0);
    center = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'center', 'serve', '--port', String(port), '--var', dir, '--clock', AT], { cwd: ROOT });
    exited = new Promise((ok) => center.once('exit', (code) => ok(code)));
    await new Promise<void>((ok, fail) => {
      center.stdout!.on('data', (chunk: Buffer) => {
        centerOut += chunk.toString('utf8');
        // Its last line of the start-up (the first, "Center ready", may come in a chunk of its own).
        if (centerOut.includes('(Ctrl+C to stop)')) ok();
      });
      center.stderr!.on('data', (chunk: Buffer) => (centerOut += chunk.toString('utf8')));
      void exited.then((code) => fail(new Error(`kiosk center serve exited with ${code} before it was ready:\n${centerOut}`)));
    });
  }, 30_000);
  afterAll(() => {
    if (center.exitCode === null) center.kill('SIGKILL');
  });

  it('says where it listens and where its issuance log is', () => {
    expect(centerOut).toContain(`Center ready: http://127.0.0.1:${port}  (issuance log: ${join(dir, 'center', 'center.sqlite')})`);
    expect(centerOut).toContain(`terminals: K01 (${join(dir, 'center', 'center.sqlite')})`);
    expect(centerOut).toContain('clock: 2026-11-24T10:00:');
  });

  it('a second center on the same port exits 2 saying the port is in use', () => {
    const r = kiosk('center', 'serve', '--port', String(port), '--var', mkdtempSync(join(tmpdir(), 'kiosk-center-2-')));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`port ${port} is already in use`);
  });

  it('a journey through the center process passes, and its printed PDF verifies as genuine at that center', () => {
    const spool = join(dir, 'spool');
    const url = `http://127.0.0.1:${port}`;
    const run = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url, '--center-token', tokenFile, '--printer', 'spool', '--spool', spool);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('journeys: 1 passed, 0 failed');
    expect(run.status).toBe(0);
    const pdfs = readdirSync(join(spool, '01-juminhyo-happy-path')).filter((f) => f.endsWith('.pdf') && !f.endsWith('-receipt.pdf'));
    expect(pdfs).toHaveLength(2);
    const verify = kiosk('verify', join(spool, '01-juminhyo-happy-path', pdfs[0]), '--center', url);
    expect(verify.stdout).toContain('GENUINE');
    expect(verify.status).toBe(0);
    // The center process wrote its log where it said it would.
    const log = issuanceLogLines(join(dir, 'center'), { readOnly: true });
    expect(log.filter((l) => l.type === 'issued').map((l) => l.holder)).toEqual(['kawasaki-taro', 'kawasaki-taro']);
  });

  it('stops on SIGTERM with exit 0; a journey to it then exits 2 saying how to start it', async () => {
    center.kill('SIGTERM');
    expect(await exited).toBe(0);
    const r = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', `http://127.0.0.1:${port}`, '--center-token', tokenFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`the center at http://127.0.0.1:${port} does not answer: start it with \`kiosk center serve --port ${port}\``);
    expect(r.stdout).not.toContain('PASS');
  });

  it('--center must be a loopback http URL with a port', () => {
    for (const url of ['http://example.com', 'https://127.0.0.1:8090', 'http://127.0.0.1', 'not a url']) {
      const r = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url);
      expect(r.status, url).toBe(2);
      expect(r.stderr, url).toContain('expected http://127.0.0.1:PORT or http://localhost:PORT');
    }
    const start = kiosk('start', '--center', 'http://example.com');
    expect(start.status).toBe(2);
    expect(start.stderr).toContain('--center http://example.com');
  });
});
