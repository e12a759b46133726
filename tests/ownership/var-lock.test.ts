// A terminal owns its folders: a second `kiosk start` on the same --var (or spool) is refused before it reads or
// settles anything, and one on a port in use stops before it touches its folders: it never runs crash recovery on a
// live session's coins, never gives an issuance number twice, never overwrites a receipt. Damaged or unusable state
// at start is an exit 2 with what to do. Through real `kiosk start` processes, as a second operator would meet it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIOSK, ROOT, Screen, T, freePort, kiosk, startKiosk, toPin, type KioskProcess } from './kiosk-process.ts';

const running: KioskProcess[] = [];
afterAll(async () => {
  for (const k of running) await k.stop();
});

/** A digest of every file under the folders (names, sizes and contents): what a second process must not change. */
function state(...dirs: string[]): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const path = join(dir, f);
      if (f.endsWith('.lock') || statSync(path).isDirectory()) continue;
      h.update(f).update(readFileSync(path));
    }
  }
  return h.digest('hex');
}

describe('one terminal, one --var', () => {
  it('a second kiosk on the same --var is refused with exit 2 naming the first, and changes nothing of the live session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-var-lock-'));
    const folders = { var: join(dir, 'var'), spool: join(dir, 'spool') };
    const first = await startKiosk(['--var', folders.var, '--spool', folders.spool, '--clock', T]);
    running.push(first);
    const s = await Screen.open(first.url);
    // Someone is half-way through paying: 100 yen in escrow.
    await toPin(s);
    s.send({ type: 'pin', digits: '8642' });
    await s.screen('card-removal');
    s.operator('remove-card');
    await s.screen('certificate-select');
    s.tap({ type: 'ui.selectCertificate', certificate: 'inkan' });
    await s.screen('copies');
    s.tap({ type: 'ui.selectCopies', copies: 1 });
    await s.screen('confirm');
    s.tap({ type: 'ui.confirm' });
    await s.screen('payment');
    s.operator('insert-cash', { yen: 100 });
    await s.until((v) => v.inserted === 100);
    const before = state(folders.var, folders.spool);

    // Same --var on another port; same --var and spool under another terminal id: both refused, nothing touched.
    for (const extra of [[], ['--terminal', 'K02']]) {
      const second = kiosk('start', '--port', String(await freePort()), '--var', folders.var, '--spool', folders.spool, '--clock', T, ...extra);
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`^kiosk: ${folders.var} is in use by kiosk start \\(terminal K01, port ${first.port}\\) \\(pid ${first.child.pid}, since [^)]+\\)\\. A folder belongs to one process at a time`));
      expect(second.stdout).not.toContain('recovered');
      expect(state(folders.var, folders.spool)).toBe(before);
    }
    // Another --var but the same spool: the spool is the first kiosk's too.
    const third = kiosk('start', '--port', String(await freePort()), '--var', join(dir, 'other-var'), '--spool', folders.spool, '--clock', T, '--terminal', 'K03');
    expect(third.status).toBe(2);
    expect(third.stderr).toContain(`${folders.spool} is in use by the spool of kiosk start (terminal K01, port ${first.port}`);

    // The first kiosk finishes its sale as if nothing happened: 500 more for 200 yen, 400 change, one copy, one number.
    s.operator('insert-cash', { yen: 500 });
    const end = await s.until((v) => v.screen === 'printing' && v.step === 'collect');
    expect(end.printed).toBe(1);
    expect(end.payout).toEqual({ change: 400, refunded: 0, failed: false });
    const journal = readFileSync(join(folders.var, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.filter((r) => r.type === 'recovered' || r.type === 'cash.refunded')).toEqual([]);
    expect(journal.filter((r) => r.type === 'issued')).toHaveLength(1);
    s.close();
    expect(await first.stop()).toBe(0);
    // Once it has stopped, the folder is free again.
    const after = await startKiosk(['--var', folders.var, '--spool', folders.spool, '--clock', T]);
    running.push(after);
    expect(after.out()).not.toContain('recovered');
    await after.stop();
  }, 90_000);

  it('a kiosk on a port in use stops before it takes its folders: the crash its --var holds is not settled by it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-port-first-'));
    const busy = await startKiosk(['--var', join(dir, 'busy-var'), '--spool', join(dir, 'busy-spool'), '--clock', T, '--printer', 'null']);
    running.push(busy);
    // A --var whose last session died with 500 yen in escrow: only a kiosk that will really serve may settle it.
    const varDir = join(dir, 'var');
    mkdirSync(join(varDir, 'devices'), { recursive: true });
    writeFileSync(join(varDir, 'journal.jsonl'), `${JSON.stringify({ seq: 1, at: T, session: 's1', type: 'cash.in', amount: 500, total: 500 })}\n`);
    writeFileSync(join(varDir, 'devices', 'cash-box.json'), JSON.stringify({
      tubes: { 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 }, vault: 0, escrow: [500], counters: { accepted: 500, returned: 0, paidOut: 0 }, ops: [],
    }));
    const before = state(varDir);
    const r = kiosk('start', '--port', String(busy.port), '--var', varDir, '--spool', join(dir, 'spool'), '--clock', T);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`kiosk: port ${busy.port} is already in use`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(state(varDir)).toBe(before);
    // On a free port it settles the crash, once.
    const k = await startKiosk(['--var', varDir, '--spool', join(dir, 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    await k.waitFor('recovered after a crash: session s1: 500 yen inserted, nothing issued, 500 yen returned');
    await k.stop();
    await busy.stop();
  }, 60_000);

  it('a center\'s folder is one center\'s: a second kiosk center serve on it, or a kiosk with its center in-process, is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-center-lock-'));
    const varDir = join(dir, 'var');
    const port = await freePort();
    const center = spawn(process.execPath, [KIOSK, 'center', 'serve', '--port', String(port), '--var', varDir], { cwd: ROOT });
    let out = '';
    center.stdout!.on('data', (d) => (out += d));
    try {
      await new Promise<void>((ok) => {
        const t = setInterval(() => out.includes('Center ready') && (clearInterval(t), ok()), 20);
      });
      const second = kiosk('center', 'serve', '--port', String(await freePort()), '--var', varDir);
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`${join(varDir, 'center')} is in use by kiosk center serve (port ${port}) (pid ${center.pid}, since`);
      // A kiosk on that --var would run its own center on the same log: refused, nothing settled.
      const k = kiosk('start', '--port', String(await freePort()), '--var', varDir, '--spool', join(dir, 'spool'), '--clock', T);
      expect(k.status).toBe(2);
      expect(k.stderr).toContain(`${join(varDir, 'center')} is in use by kiosk center serve`);
    } finally {
      center.kill('SIGTERM');
    }
  }, 60_000);

  it('damaged or unusable state at start: exit 2 with what to do, never a stack trace', async () => {
    const port = String(await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-damaged-'));
    const cases: Array<[string, () => string[], RegExp]> = [
      ['--var is a file', () => {
        writeFileSync(join(dir, 'a-file'), 'x');
        return ['--var', join(dir, 'a-file')];
      }, /cannot be used: a file stands where the folder should be \(EEXIST\)\. Give a writable folder\./],
      ['a damaged journal', () => {
        const v = join(dir, 'journal-var');
        mkdirSync(v, { recursive: true });
        writeFileSync(join(v, 'journal.jsonl'), '{"seq":1,"session":"s","type":"cash.in"}\nGARBAGE\n{"seq":3,"session":"s","type":"cash.in"}\n');
        return ['--var', v];
      }, /journal\.jsonl:2: not a journal record\. The journal is damaged; keep a copy of it/],
      ['a damaged cash box', () => {
        const v = join(dir, 'cash-var');
        mkdirSync(join(v, 'devices'), { recursive: true });
        writeFileSync(join(v, 'devices', 'cash-box.json'), '{"tubes":');
        return ['--var', v];
      }, /cash-box\.json: not JSON\. The cash box's state is damaged; count the tubes, vault and escrow by hand/],
      ['a damaged issuance log', () => {
        const v = join(dir, 'log-var');
        mkdirSync(join(v, 'center'), { recursive: true });
        writeFileSync(join(v, 'center', 'issuance-log.jsonl'), 'GARBAGE\n{"type":"issued"}\n');
        return ['--var', v];
      }, /issuance-log\.jsonl:1: not JSON\. The issuance log is damaged/],
    ];
    for (const [what, setup, message] of cases) {
      const r = kiosk('start', '--port', port, '--spool', join(dir, 'spool'), '--clock', T, ...setup());
      expect(r.status, what).toBe(2);
      expect(r.stderr, what).toMatch(message);
      expect(r.stderr, what).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});
