// Inputs are checked at the edge, once: clock times strictly and within range (flags, operator messages, journeys),
// ids bounded and never echoed whole, journey names without their control characters on a terminal, screens capped
// per kiosk, the spool serving only its own PDFs. Each as a user meets it: a real `kiosk start`, its WebSocket and
// HTTP, the `kiosk` command.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_SCREENS } from '../../kiosk/server.ts';
import { Screen, T, freePort, kiosk, startKiosk, type KioskProcess } from './kiosk-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-edges-'));
const spool = join(dir, 'spool');
let k: KioskProcess;
beforeAll(async () => {
  k = await startKiosk(['--var', join(dir, 'var'), '--spool', spool, '--clock', T, '--printer', 'null']);
}, 30_000);
afterAll(async () => {
  await k?.stop();
});

const get = (path: string) =>
  new Promise<{ status: number; body: string }>((ok, fail) => {
    request({ host: '127.0.0.1', port: k.port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    }).on('error', fail).end();
  });

describe('clock times', () => {
  it('kiosk start refuses a clock at the end of time and a day that does not exist, with exit 2 and what to give', async () => {
    const port = String(await freePort());
    for (const [clock, why] of [
      ['+275760-09-13T00:00:00Z', 'it is not of the form YYYY-MM-DDTHH:MM[:SS] with an offset'],
      ['2026-02-30T10:00+09:00', '2026-02 has 28 days'],
      ['2150-01-01T10:00:00+09:00', 'the year is outside 2000–2099'],
      ['2026-11-24T24:00:00+09:00', 'hours run to 23'],
    ]) {
      const r = kiosk('start', '--port', port, '--var', join(dir, 'never'), '--clock', clock);
      expect(r.status, clock).toBe(2);
      expect(r.stderr, clock).toContain(why);
      expect(r.stderr, clock).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('the operator setting the clock to the end of time is told no, and the kiosk keeps serving on its clock', async () => {
    const s = await Screen.open(k.url);
    await s.screen('top');
    const clockBefore = (s.devices as unknown as { clock: string }).clock;
    for (const time of ['+275760-09-13T00:00:00Z', '2026-02-30T10:00:00+09:00', 'tomorrow', 12, null]) {
      s.operator('clock-set', { time });
      expect(await s.error()).toMatch(/^Bad request: time: .* is not a clock time: /);
    }
    s.operator('clock-advance', { seconds: 1e12 });
    expect(await s.error()).toMatch(/seconds is above 0 and at most a week/);
    // Still alive and on its own clock: a new screen gets its greeting, the UI still answers.
    const again = await Screen.open(k.url);
    await again.screen('top');
    expect(Date.parse((again.devices as unknown as { clock: string }).clock) - Date.parse(clockBefore)).toBeLessThan(60_000);
    expect((await get('/')).status).toBe(200);
    s.close();
    again.close();
  });
});

describe('what a screen or a file can say', () => {
  it('a 60 KB persona id is refused in a bounded message that does not repeat it', async () => {
    const s = await Screen.open(k.url);
    const id = 'x'.repeat(60_000);
    s.operator('insert-card', { persona: id });
    const message = await s.error();
    expect(message).toMatch(/^No persona "x{40}…"\. Known personas: kawasaki-taro, /);
    expect(message.length).toBeLessThan(1000);
    s.close();
  });

  it('a journey named with terminal control characters is shown with them escaped', () => {
    const file = join(dir, 'evil.yaml');
    writeFileSync(file, 'name: "\\e[2J\\e[31mPASS everything\\rFAIL"\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - tap: government-service\n');
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\r]/);
    expect(r.stdout).toContain('\\x1b[2J\\x1b[31mPASS everything\\x0dFAIL');
  }, 30_000);
});

describe('screens and files the kiosk serves', () => {
  it(`takes at most ${MAX_SCREENS} screens at once, refuses more with 503, and takes new ones when others leave`, async () => {
    const open = () => new Promise<WebSocket | number>((ok) => {
      const ws = new WebSocket(`${k.url.replace('http', 'ws')}ws`);
      ws.once('open', () => ok(ws));
      ws.once('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
      ws.once('error', () => undefined);
    });
    const sockets: WebSocket[] = [];
    for (let i = 0; i < MAX_SCREENS; i++) {
      const ws = await open();
      expect(ws).toBeInstanceOf(WebSocket);
      sockets.push(ws as WebSocket);
    }
    expect(await open()).toBe(503);
    sockets.pop()!.close();
    await new Promise((r) => setTimeout(r, 200));
    const late = await open();
    expect(late).toBeInstanceOf(WebSocket);
    for (const ws of [...sockets, late as WebSocket]) ws.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(await open()).toBeInstanceOf(WebSocket);
  });

  it('the spool serves only the regular files directly inside it: no link, subfolder or hidden file', async () => {
    mkdirSync(join(spool, 'sub'), { recursive: true });
    writeFileSync(join(spool, 'K01-20261124-000001-receipt.pdf'), '%PDF-1.3\n');
    writeFileSync(join(spool, 'sub', 'inner.pdf'), '%PDF-1.3\n');
    writeFileSync(join(spool, '.hidden.pdf'), '%PDF-1.3\n');
    symlinkSync('/etc/passwd', join(spool, 'passwd.pdf'));
    symlinkSync('/etc', join(spool, 'etc'));
    expect((await get('/spool/K01-20261124-000001-receipt.pdf')).status).toBe(200);
    for (const path of ['/spool/sub/inner.pdf', '/spool/.hidden.pdf', '/spool/passwd.pdf', '/spool/etc/passwd', '/spool/.lock', '/spool/%2e%2e/var/journal.jsonl']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('root:');
    }
  });
});
