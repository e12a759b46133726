// `kiosk start --booth` as a real process, beside the other parties on the same folder: J-LIS prints a form
// (`kiosk print application-form`), a resident applies at the booth over its API, and four weeks later the ward
// office (`kiosk counter`, another process on the same center database) finds the card and hands it over. The booth
// keeps its folder to itself and refuses the konbini kiosk's flags.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIOSK, ROOT, daemon, freePort, kiosk, stop, type Daemon } from '../processes.ts';
import { Disks, fill } from '../ownership/disks.ts';

const MONDAY = '2026-12-07T10:00:00+09:00';

describe('kiosk start --booth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'booth-process-'));
  const varDir = join(dir, 'var');
  let booth: Daemon | null = null;
  afterAll(async () => {
    if (booth) await stop(booth);
  });

  it('takes an application from a form J-LIS printed; the counter, another process, hands the card over four weeks later', async () => {
    const port = await freePort();
    booth = await daemon(['start', '--booth', '--port', String(port), '--var', varDir, '--clock', MONDAY], 'Photo booth ready');
    const second = kiosk('start', '--booth', '--port', String(await freePort()), '--var', varDir);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/booth is in use by kiosk start --booth \(terminal B01\)/);
    const stray = kiosk('start', '--booth', '--reader', 'sim', '--var', join(dir, 'other'));
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/--reader is the konbini kiosk's/);
    const camera = kiosk('start', '--camera', 'browser', '--var', join(dir, 'other'));
    expect(camera.status).toBe(2);
    expect(camera.stderr).toMatch(/--camera is a booth's/);

    const printed = kiosk('print', 'application-form', '--persona', 'kawasaki-hanako', '--var', varDir, '--out', join(dir, 'form.pdf'), '--clock', MONDAY);
    expect(printed.status, printed.stderr).toBe(0);
    const form = /申請書ID ([\d ]+) \(/.exec(printed.stdout)![1].replaceAll(' ', '');
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/booth${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };
    const tap = (event: unknown) => api('/tap', { event });
    await tap({ type: 'ui.start' });
    expect((await api('/cash', { yen: 1000 })).json.view.screen).toBe('scan');
    expect((await api('/scan', { text: form })).json.screen).toBe('birth-date');
    await tap({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' });
    await tap({ type: 'ui.setOptions', certificates: true, braille: false });
    await tap({ type: 'ui.takePhoto' });
    await tap({ type: 'ui.acceptPhoto' });
    const sent = await tap({ type: 'ui.confirm' });
    expect(sent.json).toMatchObject({ screen: 'done', application: { arrivesOn: '2027-01-05' } });
    expect((await api('/slips')).json).toEqual([`slip-B01-${sent.json.application.id}.pdf`]);
    // A bad tap, a bad coin, a scan when the scanner is off: refused with what to do, nothing changed.
    expect((await tap({ type: 'ui.frobnicate' })).status).toBe(400);
    expect((await api('/cash', { yen: 3 })).status).toBe(400);
    expect((await api('/scan', { text: form })).status).toBe(409);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/booth/view`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);

    const early = kiosk('counter', 'status', '--card', 'kawasaki-hanako', '--var', varDir, '--clock', '2027-01-04T10:00:00+09:00');
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/card is being made: it reaches the office on 2027-01-05/);
    // The office mails the 交付通知書 when the card arrives: where, until when, what to bring, and the proxy's inquiry.
    const notice = kiosk('counter', 'notice', '--card', 'kawasaki-hanako', '--var', varDir, '--clock', '2027-01-05T10:00:00+09:00', '--out', join(dir, 'notice.pdf'));
    expect(notice.status, notice.stderr).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'notice.pdf'), '-'], { encoding: 'utf8' });
    for (const t of ['個人番号カード交付通知書 兼 照会書', '川崎 花子 様', '中原区役所 区民課', '令和9年4月5日', '照会書']) expect(text).toContain(t);
    const collect = spawnSync(process.execPath, [
      KIOSK, 'counter', 'collect', '--card', 'kawasaki-hanako', '--new', '-', '--password', '-', '--var', varDir, '--clock', '2027-01-05T10:00:00+09:00',
    ], { cwd: ROOT, encoding: 'utf8', input: '2580\nHANA2580\n', timeout: 60_000 });
    expect(collect.status, collect.stderr).toBe(0);
    expect(collect.stdout).toMatch(/kawasaki-hanako-1 is handed over to its holder: its PINs are set, its certificates issued/);
  }, 120_000);

  it('on a read-only disk: kiosk start --booth and kiosk apply-site stop with exit 2 and what to do, no stack trace', () => {
    const disks = new Disks();
    const ro = join(dir, 'read-only');
    mkdirSync(ro, { recursive: true });
    disks.readOnly(ro);
    try {
      for (const args of [['start', '--booth', '--port', '18097'], ['apply-site', '--port', '18095']]) {
        const r = kiosk(...args, '--var', join(ro, 'var'));
        expect(r.status, args[0]).toBe(2);
        expect(r.stderr, args[0]).toMatch(/cannot be (used|made).*give a writable folder/i);
        expect(r.stderr, args[0]).not.toMatch(/\n\s+at /);
      }
    } finally {
      disks.unmountAll();
    }
  }, 60_000);

  it('on a disk that fills mid-session: the coins still go back, the next person is turned away, staff resume once there is room, and the journal has every coin', async () => {
    const disks = new Disks();
    const small = join(dir, 'small');
    disks.small(small, 4096);
    const port = await freePort();
    let full: Daemon | null = await daemon(['start', '--booth', '--port', String(port), '--var', small, '--clock', MONDAY], 'Photo booth ready');
    try {
      const api = async (path: string, body?: unknown) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/booth${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, json: await res.json() };
      };
      await api('/tap', { event: { type: 'ui.start' } });
      expect((await api('/cash', { yen: 500 })).json.accepted).toBe(true);
      const free = fill(small);
      const coin = await api('/cash', { yen: 500 });
      expect(coin.status).toBe(200);
      expect(coin.json).toMatchObject({ accepted: true, view: { screen: 'scan', inserted: 1000 } });
      expect((await api('/devices')).json.outOfOrder).toMatch(/cannot (write its state|be written).*ENOSPC/);
      expect((await api('/tap', { event: { type: 'ui.cancel' } })).json).toMatchObject({ screen: 'cancelled', reason: 'cancelled' });
      expect((await api('/devices')).json.counters).toMatchObject({ accepted: 1000, returned: 1000 });
      await api('/tap', { event: { type: 'ui.done' } });
      expect((await api('/tap', { event: { type: 'ui.start' } })).json.screen).toBe('out-of-service');
      const early = await api('/fault', { fault: 'resume-service' });
      expect(early.status).toBe(409);
      expect(early.json.error).toMatch(/still out of order.*ENOSPC/);
      free();
      expect((await api('/fault', { fault: 'resume-service' })).status).toBe(200);
      expect((await api('/devices')).json.outOfOrder).toBeNull();
      const journal = readFileSync(join(small, 'booth', 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(journal.map((r) => `${r.type} ${r.amount}`)).toEqual(['cash.in 500', 'cash.in 500', 'cash.refunded 1000']);
      // Killed now and started again: nothing is settled twice (the refund is on record).
      full.child.kill('SIGKILL');
      await full.exited;
      full = await daemon(['start', '--booth', '--port', String(port), '--var', small, '--clock', MONDAY], 'Photo booth ready');
      expect((await api('/devices')).json.counters).toMatchObject({ accepted: 1000, returned: 1000 });
      expect((await api('/tap', { event: { type: 'ui.start' } })).json.screen).toBe('payment');
    } finally {
      if (full) await stop(full);
      disks.unmountAll();
    }
  }, 120_000);
});
