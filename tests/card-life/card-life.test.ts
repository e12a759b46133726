// A card's life as the people around it meet it: a real `kiosk start`, the ward-office counter beside it as its own
// `kiosk counter` process on the same folder and through the kiosk's control API, and the stories of journeys/life.
// What the counter does is seen where a resident sees it: on the kiosk's screen, after a restart too.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIOSK, ROOT, daemon, freePort, kiosk, stop, type Daemon } from '../processes.ts';

const MONDAY = '2026-12-07T10:00:00+09:00';

function api(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: () => any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    // A connection of its own each time (no keep-alive): a pooled socket to the kiosk stopped before a restart on the
    // same port would be reused and hang up.
    const req = request({
      host: '127.0.0.1', port, method, path: `/api/v1${path}`, agent: false,
      headers: data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, json: () => JSON.parse(text) });
      });
    });
    req.on('error', fail);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** A resident at the kiosk with the card and a PIN: the screen after the PIN (or after the card, if it goes no further). */
async function visit(port: number, pin: string): Promise<{ screen: string; reason?: string }> {
  const step = async (method: string, path: string, body?: unknown) => {
    const r = await api(port, method, path, body);
    expect(r.status, `${method} ${path}`).toBe(200);
    return r.json().view as { screen: string; reason?: string };
  };
  for (const event of [{ type: 'ui.start' }, { type: 'ui.certificateService' }, { type: 'ui.chooseMedium', medium: 'card' }, { type: 'ui.acceptTerms' }]) await step('POST', '/screen/tap', { event });
  let view = await step('POST', '/reader/card', { persona: 'kawasaki-taro' });
  if (view.screen === 'city-select') {
    await step('POST', '/screen/tap', { event: { type: 'ui.selectCity', scope: 'residence' } });
    view = await step('POST', '/screen/pin', { digits: pin });
  }
  return view;
}

/** Back to the top screen with the card off the reader. */
async function leave(port: number): Promise<void> {
  await api(port, 'DELETE', '/reader/card');
  await api(port, 'POST', '/screen/tap', { event: { type: 'ui.cancel' } });
  await api(port, 'POST', '/screen/tap', { event: { type: 'ui.done' } });
}

const counter = (...args: string[]) => kiosk('counter', ...args);

describe('the counter beside a running kiosk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-life-'));
  const varDir = join(dir, 'var');
  let k: Daemon | null = null;
  afterAll(async () => {
    if (k) await stop(k);
  });
  const start = async (port: number) => {
    k = await daemon(['start', '--port', String(port), '--var', varDir, '--spool', join(dir, 'spool'), '--printer', 'null', '--clock', MONDAY], 'Kiosk ready');
  };

  it('a PIN locked at the kiosk is reset by `kiosk counter`, the card lost through the API is refused, and both survive a restart', async () => {
    const port = await freePort();
    await start(port);
    // Three wrong PINs lock the card at the kiosk.
    expect((await visit(port, '1111')).screen).toBe('pin-entry');
    for (const pin of ['2222', '3333']) await api(port, 'POST', '/screen/pin', { digits: pin });
    expect((await api(port, 'GET', '/status')).json().view.screen).toBe('pin-locked');
    // The card is still on the kiosk's reader: the counter cannot have it.
    const busy = counter('reset-pin', '--card', 'kawasaki-taro', '--pin', 'auth', '--new', '4321', '--var', varDir, '--clock', MONDAY);
    expect(busy.status, busy.stderr).toBe(2);
    expect(busy.stderr).toMatch(/on another reader/);
    await leave(port);

    const status = counter('status', '--card', 'kawasaki-taro', '--var', varDir, '--clock', MONDAY, '--json');
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).pins.auth).toEqual({ triesLeft: 0, locked: true });
    // The new PIN from stdin, never on a command line, never printed.
    const reset = spawnSync(process.execPath, [KIOSK, 'counter', 'reset-pin', '--card', 'kawasaki-taro', '--pin', 'auth', '--new', '-', '--var', varDir, '--clock', MONDAY], {
      cwd: ROOT, encoding: 'utf8', input: '4321\n', timeout: 60_000,
    });
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/user-authentication PIN .* is reset: 3 tries/);
    expect(reset.stdout + reset.stderr).not.toContain('4321');
    expect((await visit(port, '4321')).screen).toBe('card-removal');
    await leave(port);

    // The call center, through the kiosk's control API: the card suspended, seen by another process's status.
    const lost = await api(port, 'POST', '/counter/report-lost', { card: 'kawasaki-taro', police: '第1234号' });
    expect(lost.status).toBe(200);
    expect(lost.json().status.center.status).toBe('suspended');
    expect(JSON.parse(counter('status', '--card', 'kawasaki-taro', '--var', varDir, '--json').stdout).center.status).toBe('suspended');
    expect(await visit(port, '4321')).toMatchObject({ screen: 'refused', reason: 'card-suspended' });
    await leave(port);
    // Found again: the counter (open on Monday) cancels the suspension with new certificates, usable tomorrow.
    const found = await api(port, 'POST', '/counter/cancel-suspension', { card: 'kawasaki-taro' });
    expect(found.status).toBe(200);
    expect(await visit(port, '4321')).toMatchObject({ screen: 'refused', reason: 'certificate-not-yet-valid' });
    await leave(port);
    // A precondition not met is a 409 with why; a bad new PIN a 400 that does not quote it.
    const early = await api(port, 'POST', '/counter/renew', { card: 'kawasaki-taro' });
    expect(early.status).toBe(409);
    expect(early.json().error).toMatch(/refused \(too-early\)/);
    const badPin = await api(port, 'POST', '/counter/change-pin', { card: 'kawasaki-taro', pin: 'auth', new: '98765' });
    expect(badPin.status).toBe(400);
    expect(JSON.stringify(badPin.json())).not.toContain('98765');

    // A restart: the card's lock and the center's records are where they were.
    expect(await stop(k!)).toBe(0);
    await start(port);
    expect(JSON.parse(counter('status', '--card', 'kawasaki-taro', '--var', varDir, '--json').stdout).center.status).toBe('active');
    const after = (await api(port, 'POST', '/counter/status', { card: 'kawasaki-taro' })).json();
    expect(after.center.actions.map((a: { action: string }) => a.action)).toEqual(['reset-pin', 'report-lost', 'cancel-suspension']);
    expect(after.pins.auth).toEqual({ triesLeft: 3, locked: false });

    // A move to 横浜市 through the API: refused at the kiosk until the 継続利用; a PIN never quoted back.
    expect((await api(port, 'POST', '/counter/move-out', { card: 'kawasaki-taro' })).status).toBe(200);
    expect((await api(port, 'POST', '/counter/move-in', { card: 'kawasaki-taro' })).status).toBe(400);
    expect((await api(port, 'POST', '/counter/move-in', { card: 'kawasaki-taro', to: '大阪市' })).status).toBe(400);
    const moved = await api(port, 'POST', '/counter/move-in', { card: 'kawasaki-taro', to: '横浜市' });
    expect(moved.status).toBe(200);
    expect(moved.json().status.center.continueBy).toBe('2027-03-07');
    expect(JSON.parse(counter('status', '--card', 'kawasaki-taro', '--var', varDir, '--clock', MONDAY, '--json').stdout))
      .toMatchObject({ holder: { cityName: '横浜市' }, center: { continueBy: '2027-03-07' } });
    for (const [pin, code] of [['43210', 400], ['9876', 409]] as const) {
      const r = await api(port, 'POST', '/counter/continue-card', { card: 'kawasaki-taro', pin });
      expect(r.status, pin).toBe(code);
      expect(JSON.stringify(r.json())).not.toContain(pin);
    }
    const continued = await api(port, 'POST', '/counter/continue-card', { card: 'kawasaki-taro', pin: '4321' });
    expect(continued.status).toBe(200);
    expect(JSON.stringify(continued.json())).not.toContain('4321');
    expect(continued.json().status.center).toMatchObject({ status: 'active', continueBy: null, usableFrom: '2026-12-07T15:00:00.000Z' });
  }, 120_000);
});

describe('the center records file, damaged', () => {
  it('a center.sqlite that is not SQLite stops kiosk start and kiosk counter with exit 2 and what to do, and is left as it was', async () => {
    const varDir = join(mkdtempSync(join(tmpdir(), 'kiosk-life-damaged-')), 'var');
    mkdirSync(join(varDir, 'center'), { recursive: true });
    const file = join(varDir, 'center', 'center.sqlite');
    writeFileSync(file, 'not a database\n'.repeat(300));
    const port = await freePort();
    const start = kiosk('start', '--port', String(port), '--var', varDir, '--printer', 'null', '--spool', join(varDir, '..', 'spool'), '--clock', MONDAY);
    expect(start.status, start.stdout + start.stderr).toBe(2);
    expect(start.stderr).toMatch(/center\.sqlite: cannot be used as the center's records .*restore it from a backup/);
    expect(start.stderr).not.toMatch(/\n\s+at /);
    const status = counter('status', '--card', 'kawasaki-taro', '--var', varDir);
    expect(status.status).toBe(2);
    expect(status.stderr).toMatch(/restore it from a backup/);
    expect(readFileSync(file, 'utf8')).toBe('not a database\n'.repeat(300));
  }, 60_000);
});

describe('kiosk counter on the command line', () => {
  const varDir = join(mkdtempSync(join(tmpdir(), 'kiosk-counter-')), 'var');

  it('refuses with exit 1 and why (the counter closed, the card suspended), exit 2 for bad input, and never prints a PIN', () => {
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', varDir, '--clock', MONDAY).status).toBe(0);
    const sunday = counter('reset-pin', '--card', 'kawasaki-taro', '--pin', 'auth', '--new', '2468', '--var', varDir, '--clock', '2026-12-06T10:00:00+09:00');
    expect(sunday.status).toBe(1);
    expect(sunday.stderr).toMatch(/Refused \(counter-weekend\): 川崎市's counter is closed now .*weekdays 09:00-17:00, Saturdays of weeks 2 and 4 08:30-12:30/);
    const badPin = counter('reset-pin', '--card', 'kawasaki-taro', '--pin', 'auth', '--new', '24680', '--var', varDir, '--clock', MONDAY);
    expect(badPin.status).toBe(2);
    expect(badPin.stderr).toMatch(/a PIN is 4 digits/);
    expect(badPin.stderr).not.toContain('24680');
    for (const args of [['renew'], ['renew', '--card'], ['frobnicate', '--card', 'x'], ['status', '--card', 'nobody-at-all', '--var', varDir], ['reset-pin', '--card', 'kawasaki-taro', '--pin', 'jukinet', '--new', '1234']]) {
      const r = counter(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /); // no stack trace
    }
    const lost = counter('report-lost', '--card', 'kawasaki-taro', '--var', varDir, '--clock', '2026-12-06T03:00:00+09:00');
    expect(lost.status).toBe(0);
    expect(lost.stdout).toMatch(/suspended/);
    const again = counter('reset-pin', '--card', 'kawasaki-taro', '--pin', 'auth', '--new', '2468', '--var', varDir, '--clock', MONDAY, '--json');
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ refused: 'card-suspended' });
  }, 120_000);
});

describe('kiosk counter move-in and continue-card on the command line', () => {
  const varDir = join(mkdtempSync(join(tmpdir(), 'kiosk-move-')), 'var');

  it('a move to 横浜市: exit 2 for an unknown city or a malformed PIN, exit 1 for the same city or a wrong PIN, 0 when done; no PIN printed', () => {
    const at = (...args: string[]) => counter(...args, '--var', varDir, '--clock', MONDAY);
    const withStdin = (input: string, ...args: string[]) => spawnSync(process.execPath, [KIOSK, 'counter', ...args, '--var', varDir, '--clock', MONDAY], {
      cwd: ROOT, encoding: 'utf8', input, timeout: 60_000,
    });
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', varDir, '--clock', MONDAY).status).toBe(0);
    const early = at('move-in', '--card', 'kawasaki-taro', '--to', '横浜市');
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/Refused \(not-moved-out\)/);
    expect(at('move-out', '--card', 'kawasaki-taro').status).toBe(0);
    for (const args of [['move-in', '--card', 'kawasaki-taro'], ['move-in', '--card', 'kawasaki-taro', '--to', '大阪市'], ['continue-card', '--card', 'kawasaki-taro']]) {
      const r = at(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    expect(at('move-in', '--card', 'kawasaki-taro', '--to', '川崎市').status).toBe(1);
    const moved = at('move-in', '--card', 'kawasaki-taro', '--to', '横浜市', '--address', '横浜市中区日本大通1');
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/moved in to 横浜市/);
    expect(moved.stdout).toMatch(/continuation \(継続利用\) pending: at the counter by 2027-03-07/);
    const malformed = at('continue-card', '--card', 'kawasaki-taro', '--pin', '86420');
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).not.toContain('86420');
    const wrong = withStdin('1111\n', 'continue-card', '--card', 'kawasaki-taro', '--pin', '-', '--json');
    expect(wrong.status).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ refused: 'wrong-pin' });
    expect(wrong.stdout + wrong.stderr).not.toContain('1111');
    const done = withStdin('8642\n', 'continue-card', '--card', 'kawasaki-taro', '--pin', '-');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/continued in 横浜市: usable at the kiosk from 0:00 tomorrow/);
    expect(done.stdout + done.stderr).not.toContain('8642');
    const status = JSON.parse(at('status', '--card', 'kawasaki-taro', '--json').stdout);
    expect(status).toMatchObject({ holder: { cityName: '横浜市' }, center: { status: 'active', continueBy: null } });
  }, 120_000);
});

describe('kiosk counter collect on the command line', () => {
  const varDir = join(mkdtempSync(join(tmpdir(), 'kiosk-collect-')), 'var');

  it('a new card made uncollected is handed over with its PINs from stdin: exit 2 for a malformed PIN or no line, 1 for a refusal, 0 when done; no PIN printed', () => {
    const withStdin = (input: string, ...args: string[]) => spawnSync(process.execPath, [KIOSK, 'counter', ...args, '--var', varDir, '--clock', MONDAY], {
      cwd: ROOT, encoding: 'utf8', input, timeout: 60_000,
    });
    const made = kiosk('card', 'new', '--persona', 'kawasaki-hanako', '--uncollected', '--var', varDir, '--clock', MONDAY);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/kawasaki-hanako-1: .*waiting at the office without certificates or PINs: kiosk counter collect --card kawasaki-hanako-1/);
    const waiting = counter('status', '--card', 'kawasaki-hanako', '--var', varDir, '--clock', MONDAY);
    expect(waiting.stdout).toMatch(/awaiting collection \(交付待ち\): kept at the office until 2027-03-07/);
    expect(waiting.stdout).toMatch(/PINs: none/);
    const malformed = withStdin('25801\nHANA2580\n', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--password', '-');
    expect(malformed.status).toBe(2);
    expect(malformed.stdout + malformed.stderr).not.toMatch(/25801|HANA2580/);
    const oneLine = withStdin('2580\n', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--password', '-');
    expect(oneLine.status).toBe(2);
    expect(oneLine.stderr).toMatch(/--password - reads a line from stdin, and there was none: give 2 lines \(--new, then --password\)/);
    const noPassword = withStdin('2580\n', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--json');
    expect(noPassword.status).toBe(1);
    expect(JSON.parse(noPassword.stdout)).toMatchObject({ refused: 'password-needed' });
    const done = withStdin('2580\nHANA2580\n', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--password', '-');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/kawasaki-hanako-1 is handed over to its holder: its PINs are set, its certificates issued, usable at the kiosk from 0:00 tomorrow/);
    expect(done.stdout).toMatch(/PINs: auth 3 tries, sign 5 tries, kenhojo 3 tries/);
    expect(done.stdout + done.stderr).not.toMatch(/2580|HANA2580/);
    const again = withStdin('2580\nHANA2580\n', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--password', '-');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/Refused \(already-collected\)/);
    // Nothing of the PINs is in the card's file but their salted digests.
    expect(readFileSync(join(varDir, 'cards', 'kawasaki-hanako-1.json'), 'utf8')).not.toMatch(/2580|HANA2580/);
  }, 120_000);
});

describe('kiosk start --pin-reset sign (a chain that resets the signature password only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-reset-chain-'));
  let k: Daemon | null = null;
  afterAll(async () => {
    if (k) await stop(k);
  });

  it('offers only the signature password, ignores a tap on the user PIN, and keeps the setting after a session ends', async () => {
    const port = await freePort();
    k = await daemon(['start', '--port', String(port), '--var', join(dir, 'var'), '--spool', join(dir, 'spool'), '--printer', 'null', '--clock', MONDAY, '--pin-reset', 'sign'], 'Kiosk ready');
    const tap = async (event: unknown) => (await api(port, 'POST', '/screen/tap', { event })).json().view;
    for (let visit = 0; visit < 2; visit++) {
      for (const event of [{ type: 'ui.start' }, { type: 'ui.pinResetService' }, { type: 'ui.chooseMedium', medium: 'card' }, { type: 'ui.acceptTerms' }]) await tap(event);
      const view = (await api(port, 'POST', '/reader/card', { persona: 'kawasaki-taro' })).json().view;
      expect(view).toMatchObject({ screen: 'pin-reset', step: 'choosing', reset: { offered: ['sign'] } });
      expect(await tap({ type: 'ui.choosePinToReset', pin: 'auth' })).toMatchObject({ screen: 'pin-reset', step: 'choosing' });
      expect(await tap({ type: 'ui.choosePinToReset', pin: 'sign' })).toMatchObject({ screen: 'pin-reset', step: 'other', reset: { pin: 'sign' } });
      await leave(port);
    }
    const bad = kiosk('start', '--pin-reset', 'auth', '--port', '0', '--var', join(dir, 'other'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--pin-reset/);
  }, 120_000);
});

describe('the 行政サービス at the kiosk, in Chromium', () => {
  it('戸籍証明書交付の利用登録申請 and 暗証番号リセット by touch: registered, refused the next day, 戸籍 the day after; a locked PIN reset with the signature password typed on the A-Z keyboard', () => {
    const run = kiosk('journey', 'run', 'journeys/life/11-domicile-registration-at-the-kiosk.yaml', 'journeys/life/12-registration-not-needed.yaml', 'journeys/life/17-pin-reset-at-the-kiosk.yaml', '--browser');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/journeys: 3 passed, 0 failed/);
  }, 120_000);
});

describe('journeys/life: the stories of a card across visits', () => {
  it('all pass, and their report holds no PIN the counter set', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'kiosk-life-report-')), 'report.json');
    const run = kiosk('journey', 'run', 'journeys/life/', '--json', report);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.journeys.map((r: { file: string; passed: boolean }) => `${r.file.split('/').at(-1)} ${r.passed}`)).toEqual(
      readdirSync(join(ROOT, 'journeys', 'life')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${f} true`),
    );
    expect(json.journeys.length).toBeGreaterThanOrEqual(8);
    const text = readFileSync(report, 'utf8');
    for (const pin of ['4321', '5555', '1357']) expect(text).not.toContain(pin);
    expect(text).toContain('new ****');
    // The PIN the holder enters for the 継続利用 (life/14, life/15) is masked as well.
    expect(text).toContain('continue-card kawasaki-taro (pin ****)');
    expect(text).not.toContain('8642');
    // The JPKI app's reservation and the kiosk's reset (life/17): neither the signature password nor a new PIN shows.
    expect(text).toContain('reserve-pin-reset kawasaki-taro (pin auth, other ****)');
    for (const secret of ['SIGN01PW', '2468']) expect(text).not.toContain(secret);
    // The PINs set at a collection (life/18).
    expect(text).toContain('collect kawasaki-hanako (new ****, password ****)');
    for (const secret of ['HANA2580', '2580']) expect(text).not.toContain(secret);
  }, 120_000);
});
