// What a hostile tester found in the center, as a user meets it through the commands: one malformed request must not
// end `kiosk center serve`; a log cut short by a crash or a full disk must never make an issuance number come back;
// a program that takes the center's port must learn no token and be believed in nothing; `kiosk verify` must not call
// an unchecked PDF genuine with exit 0, nor trust a damaged log; a hand-edited terminal register must not hang the
// center; and the small things (a Host with another port, a doubled header, a size shown as the limit, a stack trace
// when the output is cut short, a banner listing hundreds of terminals).
import { SqliteCenterRecords, openCenterDatabase } from '../../center/records/sqlite-records.ts';
import { issuanceLogLines } from '../../center/records/sqlite-issuance-log.ts';
import { SqliteTerminals } from '../../center/records/sqlite-terminals.ts';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { daemon, freePort, kiosk, stop } from '../processes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CenterClient } from '../../center/center-client.ts';
import { CenterAuthenticationError } from '../../center/issuance-center.ts';
import { keyOfToken, signRequest } from '../../center/signing.ts';
import { TerminalRegistry } from '../../center/terminals.ts';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { parseJourney } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimReader } from '../../reader/sim-reader.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'kiosk.mjs');
const AT = '2026-11-24T10:00:00+09:00';
const data = loadSampleData();
/** A `kiosk …` run to its end (at most 30 s: a command that should have exited but serves instead is a failure, not a hang). */
/** The same without blocking this process (whose own servers must answer meanwhile). */
const kioskAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) => {
      ok({ status: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
    });
  });
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
/** The lines of a stack trace, which a user must never see. */
const STACK = /^\s+at .*\(.*:\d+:\d+\)$|node:internal|Unhandled 'error' event/m;

const serve = (port: number, dir: string) => daemon(['center', 'serve', '--port', String(port), '--var', dir, '--clock', AT], '(Ctrl+C to stop)');

/** Sends `text` as it is on a fresh connection; resolves with what came back. */
function rawSocket(port: number, text: string): Promise<string> {
  return new Promise((ok, fail) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (c: Buffer) => (got += c.toString('utf8')));
    socket.on('close', () => ok(got));
    socket.on('error', fail);
  });
}

/** A registered terminal in a fresh var folder: its token file and token. */
function registered(id = 'K01'): { dir: string; tokenFile: string; token: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-hostile-'));
  const tokenFile = join(dir, `${id.toLowerCase()}.token`);
  const r = kiosk('center', 'terminal', 'add', id, '--var', dir, '--out', tokenFile);
  expect(r.status, r.stderr).toBe(0);
  return { dir, tokenFile, token: readFileSync(tokenFile, 'utf8').trim() };
}

/** One 住民票 issued to 川崎 太郎 through the center at `url`, as a kiosk asks for it: its issuance number. */
async function issueOne(url: string, token: string): Promise<string> {
  const client = new CenterClient({ url, token });
  const reader = new SimReader();
  reader.insert(data.makeCard('kawasaki-taro', Date.parse(AT)));
  const card = new CardTerminal(reader);
  expect((await card.read()).ok).toBe(true);
  expect((await card.verifyPin(data.persona('kawasaki-taro').card.pin!)).result).toBe('ok');
  const challenge = await client.challenge();
  const auth = await client.authenticate({ challenge, ...(await card.sign(challenge)), scope: 'residence', city: null, at: AT });
  if (!auth.ok) throw new Error(auth.cause);
  const request = { scope: 'residence' as const, city: auth.city.code, certificate: 'juminhyo' as const, subtype: { kind: 'juminhyo' as const, scope: 'self' as const, members: [] }, options: null, copies: 1, unitFee: 200 };
  return (await client.issue({ session: auth.session, holder: 'kawasaki-taro', request, at: AT, terminal: 'K01' })).issuanceNumber;
}

/** Every line of a log, parsed (a line that is not JSON fails the test). */
/** The center's issuance log as lines (center/records/sqlite-issuance-log.ts: the database, read only). */
const logLines = (dir: string) => issuanceLogLines(join(dir, 'center'), { readOnly: true });

/** A one-page PDF whose text is `lines` (what a forger makes with any PDF tool). */
function minimalPdf(lines: string[]): Buffer {
  const content = `BT /F1 12 Tf 50 750 Td ${lines.map((l) => `(${l.replace(/[()\\]/g, (c) => `\\${c}`)}) Tj 0 -20 Td`).join(' ')} ET`;
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

describe('kiosk center serve: nothing a request carries ends it', () => {
  let port = 0;
  let center: Awaited<ReturnType<typeof daemon>>;
  let dir = '';
  let token = '';

  beforeAll(async () => {
    ({ dir, token } = registered('K01'));
    // 24 more terminals: the banner names ten and counts the rest.
    const database = openCenterDatabase(join(dir, 'center', 'center.sqlite'));
    const register = new TerminalRegistry(new SqliteTerminals(database));
    for (let i = 2; i <= 25; i++) register.add(`K${String(i).padStart(2, '0')}`);
    database.db.close();
    port = await freePort();
    center = await serve(port, dir);
  }, 30_000);
  afterAll(() => {
    if (center?.child.exitCode === null) center.child.kill('SIGKILL');
  });

  it('a request target that is no URL (GET http://[/, a port of 99999) is answered 400 and logged; the center goes on serving', async () => {
    for (const request of ['GET http://[/ HTTP/1.1\r\nHost: x\r\n\r\n', 'GET http://x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n', `GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`]) {
      expect(await rawSocket(port, request), request).toMatch(/^HTTP\/1\.1 400 /);
    }
    await new Promise((ok) => setTimeout(ok, 200));
    expect(center.child.exitCode).toBeNull();
    expect(await new CenterClient({ url: `http://127.0.0.1:${port}`, token }).whoami()).toBe('K01');
    expect(center.output()).toContain('center: GET (not a path) → 400');
    expect(center.output()).not.toMatch(/TypeError|Invalid URL/);
  });

  it('a Host naming another port is 403; two Authorization headers or two signature headers are 401', async () => {
    const signed = () => signRequest(keyOfToken(token), 'K01', { method: 'GET', path: '/whoami', body: '' }).headers;
    const head = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const ask = (extra: string, host = `127.0.0.1:${port}`, h = signed()) => rawSocket(port, `GET /whoami HTTP/1.1\r\nHost: ${host}\r\n${head(h)}${extra}Connection: close\r\n\r\n`);
    expect(await ask('')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await ask('', `127.0.0.1:${port + 1}`)).toMatch(/^HTTP\/1\.1 403 /);
    expect(await ask('', `localhost:${port}0`)).toMatch(/^HTTP\/1\.1 403 /);
    expect(await ask('Authorization: Bearer x\r\nAuthorization: Bearer y\r\n')).toMatch(/^HTTP\/1\.1 401 /);
    const h = signed();
    expect(await ask(`X-Kiosk-Signature: ${h['x-kiosk-signature']}\r\n`, undefined, h)).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('its banner names at most ten terminals, then how many more', () => {
    expect(center.output()).toContain('terminals: K01, K02, K03, K04, K05, K06, K07, K08, K09, K10 and 15 more (kiosk center terminal list --var');
    expect(center.output()).not.toContain('K11');
  });
});

describe('a program that takes the center’s port learns no token and is believed in nothing', () => {
  let port = 0;
  let url = '';
  let reg: ReturnType<typeof registered>;
  let squatter: Server | null = null;
  const seen: string[] = [];

  beforeAll(async () => {
    reg = registered('K01');
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The real center first: a signed verify says so.
    const center = await serve(port, reg.dir);
    const genuine = await kioskAsync('verify', '0000-0000-0000-0000', '--center', url, '--center-token', reg.tokenFile);
    expect(genuine.stdout).toContain('NOT GENUINE: no certificate with verification code 0000-0000-0000-0000 was issued');
    expect(genuine.stdout).toContain("The answer was signed by the center (checked with terminal K01's key)");
    expect(genuine.status).toBe(1);
    expect(await stop(center)).toBe(0);
    // Then, the center down, something else takes its port and answers like it.
    const record = {
      issuanceNumber: 'K01-20261124-777777', verificationCode: '9999-8888-7777-6666', terminal: 'K01', holder: 'kawasaki-taro', city: '141305', title: '住民票の写し',
      copy: 1, copies: 1, issuedAt: AT, contentSha256: '0'.repeat(64), pdfSha256: '1'.repeat(64),
    };
    squatter = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
        const json = req.url === '/health' ? { service: 'konbini-issuance-center', online: true }
          : req.url === '/whoami' ? { terminal: 'K01' }
          : req.url?.startsWith('/verify') ? { record }
          : { challenge: Buffer.alloc(32).toString('base64') };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((ok) => squatter!.listen(port, '127.0.0.1', ok));
  }, 60_000);
  afterAll(() => squatter?.close());

  it('kiosk journey run --center stops with exit 2: the server is not this terminal’s center', async () => {
    const run = await kioskAsync('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--center', url, '--center-token', reg.tokenFile);
    expect(run.stderr).toContain(`The server at ${url} is not this terminal's issuance center`);
    expect(run.stdout).not.toContain('PASS');
    expect(run.status).toBe(2);
  }, 60_000);

  it('kiosk start --center stops with exit 2 before it serves anybody', async () => {
    const start = await kioskAsync('start', '--port', String(await freePort()), '--center', url, '--terminal', 'K01', '--center-token', reg.tokenFile, '--var', join(reg.dir, 'kiosk-var'));
    expect(start.stderr).toContain(`The server at ${url} is not this terminal's issuance center`);
    expect(start.stdout).not.toContain('Kiosk ready');
    expect(start.status).toBe(2);
  }, 60_000);

  it('kiosk verify --center-token refuses its answer (exit 2); without a token it says the answer is unsigned, from whatever listens there', async () => {
    const checked = await kioskAsync('verify', '9999-8888-7777-6666', '--center', url, '--center-token', reg.tokenFile);
    expect(checked.stderr).toContain(`NOT VERIFIED: The server at ${url} is not this terminal's issuance center`);
    expect(checked.stdout).not.toContain('GENUINE');
    expect(checked.status).toBe(2);
    const open = await kioskAsync('verify', '9999-8888-7777-6666', '--center', url);
    expect(open.stdout).toContain(`The answer was not signed: it comes from whatever listens at ${url}`);
  }, 60_000);

  it('it never saw the token, nor anything it could sign with', () => {
    expect(seen.some((r) => r.startsWith('GET /whoami'))).toBe(true);
    const secret = reg.token.split('.')[1];
    for (const request of seen) {
      expect(request).not.toContain(secret);
      expect(request).not.toContain(keyOfToken(reg.token).toString('hex'));
      expect(request).not.toMatch(/authorization/i);
    }
  });
});

describe('an issuance log cut short never gives an issuance number twice', () => {
  it('a JSON-lines log whose last line a crash cut short: the center imports it without that line, and the numbers go on across restarts', async () => {
    const { dir, token } = registered('K01');
    mkdirSync(join(dir, 'center'), { recursive: true });
    writeFileSync(join(dir, 'center', 'issuance-log.jsonl'), '{"type":"issued","sequence":1,"issuanceNumber":"K01-2026');
    const port = await freePort();
    const numbers: string[] = [];
    for (let run = 0; run < 2; run++) {
      const center = await serve(port, dir);
      numbers.push(await issueOne(`http://127.0.0.1:${port}`, token));
      expect(await stop(center)).toBe(0);
    }
    expect(numbers).toEqual(['K01-20261124-000001', 'K01-20261124-000002']);
    expect(logLines(dir).map((l) => l.issuanceNumber)).toEqual(numbers);
  }, 60_000);

  it('a full disk in the middle of a write leaves nothing of it: after restarts every number is new', async () => {
    const { dir, token } = registered('K01');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const database = join(dir, 'center', 'center.sqlite');
    // The center's database (its records and its issuance log) is made beforehand, at its full schema (about 84 KB).
    new SqliteCenterRecords(database).close();
    // The center may write no file past that size (a disk that is full): what fits in the pages it has goes in (a
    // dozen issuances or so), then every issuance that needs a new page fails (SQLITE_FULL or SQLITE_IOERR).
    const kb = Math.floor(statSync(database).size / 1024);
    const full = await daemon([], '(Ctrl+C to stop)', { shell: `trap '' XFSZ; ulimit -f ${kb}; exec "${process.execPath}" "${BIN}" center serve --port ${port} --var "${dir}" --clock ${AT}` });
    const numbers: string[] = [];
    let refused = 0;
    for (let i = 0; i < 60 && refused < 3; i++) {
      const before = logLines(dir);
      try {
        numbers.push(await issueOne(url, token));
      } catch {
        refused += 1;
        // Nothing of the failed issuance is kept.
        expect(logLines(dir)).toEqual(before);
      }
    }
    expect(statSync(database).size).toBeLessThanOrEqual(kb * 1024);
    expect(refused).toBeGreaterThan(0);
    expect(numbers.length).toBeGreaterThan(3);
    expect(await stop(full)).toBe(0);
    // Room again; two restarts, an issuance after each.
    for (let run = 0; run < 2; run++) {
      const center = await serve(port, dir);
      numbers.push(await issueOne(url, token));
      expect(await stop(center)).toBe(0);
    }
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(logLines(dir).map((l) => l.issuanceNumber)).toEqual(numbers);
  }, 90_000);
});

describe('a damaged issuance log stops every command that reads it: exit 2 with what to do, never a stack trace', () => {
  const good = (sequence: number, code: string) => JSON.stringify({
    type: 'issued', sequence, issuanceNumber: `K01-20261124-${String(sequence).padStart(6, '0')}`, verificationCode: code, terminal: 'K01', holder: 'kawasaki-taro',
    city: '141305', title: '住民票の写し', copy: 1, copies: 1, issuedAt: AT, contentSha256: sha256(code),
  });
  const cases: Array<[string, string, RegExp]> = [
    ['a line without its sequence number', JSON.stringify({ ...JSON.parse(good(2, '2222-2222-2222-2222')), sequence: undefined }), /issuance-log\.jsonl:2: an issued record's field "sequence" is missing/],
    ['a sequence number as a string', JSON.stringify({ ...JSON.parse(good(2, '2222-2222-2222-2222')), sequence: '2' }), /issuance-log\.jsonl:2: an issued record's field "sequence" must be a whole number/],
    ['a null line', 'null', /issuance-log\.jsonl:2: not a record of the issuance log/],
    ['a hand-forged printed line (no terminal)', JSON.stringify({ type: 'printed', verificationCode: '1111-1111-1111-1111', pdfSha256: 'ab'.repeat(32) }), /issuance-log\.jsonl:2: the printed record for 1111-1111-1111-1111 names no terminal/],
  ];

  for (const [what, line, message] of cases) {
    it(`${what}: kiosk center serve, kiosk start and kiosk verify --var`, async () => {
      const { dir } = registered('K01');
      writeFileSync(join(dir, 'center', 'issuance-log.jsonl'), `${good(1, '1111-1111-1111-1111')}\n${line}\n${good(3, '3333-3333-3333-3333')}\n`);
      const port = String(await freePort());
      for (const args of [['center', 'serve', '--port', port, '--var', dir], ['start', '--port', port, '--var', dir, '--spool', join(dir, 'spool')], ['verify', '1111-1111-1111-1111', '--var', dir]]) {
        const r = kiosk(...args);
        expect(r.stderr, `${what}: kiosk ${args[0]}`).toMatch(message);
        expect(r.stderr, `${what}: kiosk ${args[0]}`).toContain('restore it from a backup before issuing again');
        expect(r.stderr).not.toMatch(STACK);
        expect(r.stdout).not.toMatch(/ready|GENUINE/i);
        expect(r.status, `${what}: kiosk ${args[0]}`).toBe(2);
      }
    }, 60_000);
  }

  it('kiosk verify --var on a log that is no regular file (a FIFO): exit 2 at once, not a hang', () => {
    const { dir } = registered('K01');
    spawnSync('mkfifo', [join(dir, 'center', 'issuance-log.jsonl')]);
    const started = Date.now();
    const r = kiosk('verify', '1111-1111-1111-1111', '--var', dir);
    expect(r.stderr).toContain('is not a regular file (a FIFO)');
    expect(r.status).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('kiosk verify FILE.pdf says what it checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-hostile-verify-'));
  const varDir = join(dir, 'var');
  const noDigest = join(dir, 'no-digest');
  let pdf = '';
  let record: { issuanceNumber: string; verificationCode: string } = { issuanceNumber: '', verificationCode: '' };

  beforeAll(async () => {
    const journey = parseJourney(join(ROOT, 'journeys', '01-juminhyo-happy-path.yaml'), data.personas.map((p) => p.id));
    const r = await runJourney(journey, { printer: 'spool', spoolDir: join(dir, 'spool'), varDir });
    expect(r.failure).toBeNull();
    pdf = r.documents.find((d) => !d.endsWith('-receipt.pdf'))!;
    [record] = logLines(varDir).filter((l) => l.type === 'issued') as typeof record[];
    // The same log without the printed files' digests (their reports were lost): the codes are genuine, no file is on record.
    mkdirSync(join(noDigest, 'center'), { recursive: true });
    writeFileSync(join(noDigest, 'center', 'issuance-log.jsonl'), logLines(varDir).filter((l) => l.type === 'issued').map((l) => JSON.stringify(l) + '\n').join(''));
  }, 60_000);

  it('a forged PDF carrying a genuine code whose file the center never recorded: exit 3, FILE NOT CHECKED, never exit 0', () => {
    const forged = join(dir, 'forged.pdf');
    writeFileSync(forged, minimalPdf(['FORGED CERTIFICATE', record.issuanceNumber, record.verificationCode]));
    const r = kiosk('verify', forged, '--var', noDigest);
    expect(r.stdout).toContain(`GENUINE CODE, FILE NOT CHECKED: the center holds no digest of the printed file for ${record.verificationCode}`);
    expect(r.stdout).toContain('itself could not be checked (exit 3)');
    expect(r.status).toBe(3);
    // The genuine file against the full log is checked, exit 0.
    const genuine = kiosk('verify', pdf, '--var', varDir);
    expect(genuine.stdout).toContain('is the certificate the center issued, unchanged');
    expect(genuine.status).toBe(0);
  });

  it('its help lists the exit codes, 3 among them', () => {
    const r = kiosk('verify', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*0 +genuine[\s\S]*1 +not genuine[\s\S]*2 +bad input[\s\S]*3 +the code is genuine but the center holds no digest/);
    expect(r.stdout).toContain('--center-token FILE');
  });

  it('a file one byte over the limit is not said to be as large as the limit', () => {
    const big = join(dir, 'big.pdf');
    writeFileSync(big, '%PDF-1.7\n');
    truncateSync(big, 16 * 2 ** 20 + 1);
    const r = kiosk('verify', big, '--var', varDir);
    expect(r.stderr).toContain('big.pdf is 16,777,217 bytes: a printed certificate is far smaller (at most 16 MB = 16,777,216 bytes is read)');
    expect(r.stderr).not.toMatch(/is 16 MB/);
    expect(r.status).toBe(2);
  });

  it('kiosk verify … | head -1 prints the verdict and no EPIPE stack trace', () => {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" verify "${pdf}" --var "${varDir}" | head -1`], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout).toMatch(/^GENUINE: .* is the certificate the center issued, unchanged\.\n$/);
      expect(r.stderr).toBe('');
    }
  });
});

describe('a hand-edited terminal register cannot hang the center', () => {
  // The register is in the center's database; a terminals.json is only ever the register of an older version, read
  // (and imported) at start through the same checks as before.
  it('at start: a terminals.json that is a link to a FIFO, names an id twice, or gives two terminals one key: exit 2 at once, saying what is wrong', async () => {
    const { dir } = registered('K01');
    const file = join(dir, 'center', 'terminals.json');
    const [entry] = new SqliteTerminals(openCenterDatabase(join(dir, 'center', 'center.sqlite'), { readOnly: true })).load();
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    const cases: Array<[string, () => void, string]> = [
      ['a link to a FIFO', () => symlinkSync(join(dir, 'fifo'), file), 'not a regular file (a symbolic link)'],
      ['K01 twice', () => writeFileSync(file, JSON.stringify({ version: 1, terminals: [entry, { ...entry, tokenSha256: 'a'.repeat(64) }] })), 'terminal K01 is listed twice'],
      ['one key for two terminals', () => writeFileSync(file, JSON.stringify({ version: 1, terminals: [entry, { ...entry, id: 'K99' }] })), 'two terminals share one key'],
    ];
    for (const [what, make, message] of cases) {
      rmSync(file, { force: true });
      make();
      const started = Date.now();
      const r = kiosk('center', 'serve', '--port', String(await freePort()), '--var', dir);
      expect(r.stderr, what).toContain(message);
      expect(r.stderr, what).toContain('Restore it from a backup');
      expect(r.status, what).toBe(2);
      expect(Date.now() - started, what).toBeLessThan(15_000);
    }
  }, 60_000);

  it('while it runs: a terminals.json put beside its database is never read, so a key written into it lets nobody in', async () => {
    const { dir, token } = registered('K01');
    const port = await freePort();
    const center = await serve(port, dir);
    try {
      const client = new CenterClient({ url: `http://127.0.0.1:${port}`, token, timeoutMs: 3_000 });
      expect(await client.whoami()).toBe('K01');
      const forged = `K66.${'A'.repeat(43)}`;
      writeFileSync(join(dir, 'center', 'terminals.json'), JSON.stringify({ version: 1, terminals: [{ id: 'K66', tokenSha256: sha256(forged), addedAt: AT }] }), { mode: 0o600 });
      await expect(new CenterClient({ url: `http://127.0.0.1:${port}`, token: forged, timeoutMs: 3_000 }).whoami()).rejects.toBeInstanceOf(CenterAuthenticationError);
      expect(await client.whoami()).toBe('K01');
    } finally {
      await stop(center);
    }
  }, 60_000);
});
