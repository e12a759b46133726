// What a hostile tester found after the ownership work landed, each kept as the test that now holds: a payout never
// paid twice when the disk filled mid-print, a PIN lock that a full disk cannot lift, card records only their owner
// reads, lock files that follow no link, a journal of one endless line, a FIFO in the store, hand-edited card records,
// staff's resume racing a new fault, a card removed and put back in one burst, an unknown persona that changes
// nothing. Through a real `kiosk start` where that is where it happens; in process where the race is the point.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../kiosk/clock.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { lockFile } from '../../kiosk/folder-lock.ts';
import { drive } from '../crash/drive.ts';
import { PIN, Screen, T, buyJuminhyo, freePort, kiosk, startKiosk, toPin, type KioskProcess } from './kiosk-process.ts';
import { Disks, fill, journalOf } from './disks.ts';

const running: KioskProcess[] = [];
const disks = new Disks();
afterAll(async () => {
  for (const k of running) await k.stop();
  disks.unmountAll();
});

describe('money and a full disk', () => {
  it('the disk fills while a copy prints: the refund is recorded all the same, and a killed, restarted kiosk pays nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-payout-'));
    const varDir = join(dir, 'var');
    disks.small(varDir, 4096);
    const flags = ['--var', varDir, '--spool', join(dir, 'spool'), '--clock', T];
    let k = await startKiosk(flags);
    running.push(k);
    let s = await Screen.open(k.url);
    await s.screen('top');
    s.operator('fault', { fault: 'printer-hang' });
    const bought = buyJuminhyo(s);
    await s.until((v) => v.screen === 'printing');
    await new Promise((r) => setTimeout(r, 300));
    // The journal's last block exactly full, then the disk: the next record needs a block nobody has but the reserve.
    const size = statSync(join(varDir, 'journal.jsonl')).size;
    writeFileSync(join(varDir, 'journal.jsonl'), '\n'.repeat((4096 - (size % 4096)) % 4096), { flag: 'a' });
    fill(varDir);
    s.operator('fault', { fault: 'printer-online' }); // the hung copy is lost: print-failed, 1000 yen back
    const end = await bought;
    expect(end).toMatchObject({ screen: 'print-failed', payout: { change: 800, refunded: 200, failed: false } });
    await s.until((_v, d) => !!d.outOfOrder);
    s.close();
    // The worst case: killed, not stopped, with the disk still full. The files say the money went back.
    k.child.kill('SIGKILL');
    await k.exited;
    const j = journalOf(varDir);
    expect(j.filter((r) => r.type === 'cash.out')).toEqual([expect.objectContaining({ change: 800, refunded: 200, paid: true })]);
    const box = JSON.parse(readFileSync(join(varDir, 'devices', 'cash-box.json'), 'utf8'));
    expect(box.counters.paidOut).toBe(1000);
    rmSync(join(varDir, 'filler'));
    k = await startKiosk(flags);
    running.push(k);
    await new Promise((r) => setTimeout(r, 300));
    expect(k.out()).not.toContain('recovered after a crash');
    s = await Screen.open(k.url);
    await s.screen('top');
    expect((s.devices as unknown as { recovery: unknown }).recovery).toBeNull();
    s.close();
    await k.stop();
  }, 90_000);

  it('the card store\'s disk is full: a wrong PIN is counted or the card answers nothing, never a free try; the card is refused until written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-cards-'));
    const varDir = join(dir, 'var');
    disks.small(varDir, 4096);
    const k = await startKiosk(['--var', varDir, '--spool', join(dir, 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    const s = await Screen.open(k.url);
    await toPin(s); // the card is made (its record written) while there is room
    rmSync(join(varDir, '.reserve')); // no reserve left to give: the card's memory cannot be written at all
    const free = fill(varDir);
    const before = s.frames.length;
    s.send({ type: 'pin', digits: '0000' });
    const v = await s.until((x) => s.frames.length > before && x.step !== 'verifying');
    // The card answered 6581 (memory failure): a read error, not "2 tries left" and not a success.
    expect(v).toMatchObject({ screen: 'refused', reason: 'card-read-error' });
    await s.until((_x, d) => !!d.outOfOrder);
    expect(s.devices!.outOfOrder).toMatch(/^the (card store|snapshot) cannot be written/); // whichever write failed first
    s.tap({ type: 'ui.done' });
    s.operator('remove-card');
    await s.until((_x, d) => !d.reader.cardPresent);
    // Put back: refused until its record is written, so no try goes uncounted.
    s.operator('insert-card', { persona: 'kawasaki-taro' });
    expect(await s.error()).toMatch(/kawasaki-taro-1\.json \(ENOSPC\): the card is not given out until it is written/);
    free();
    s.operator('fault', { fault: 'resume-service' });
    await s.until((_x, d) => d.outOfOrder === null);
    expect(JSON.parse(readFileSync(join(varDir, 'cards', 'kawasaki-taro-1.json'), 'utf8')).memory.auth.triesLeft).toBe(2);
    expect((await toPin(s)).triesLeft).toBe(2);
    s.send({ type: 'pin', digits: PIN });
    await s.screen('card-removal');
    s.close();
  }, 90_000);
});

describe('files only their owner reads, locks that follow no link', () => {
  it('card records and the card folder are the owner\'s only; a lock file swapped for a link truncates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-files-'));
    const varDir = join(dir, 'var');
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', varDir).status).toBe(0);
    expect(statSync(join(varDir, 'cards')).mode & 0o777).toBe(0o700);
    expect(statSync(join(varDir, 'cards', 'kawasaki-taro-1.json')).mode & 0o777).toBe(0o600);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(varDir, 'cards', 'kawasaki-taro-1.lock'));
    const unlock = kiosk('card', 'unlock', '--persona', 'kawasaki-taro', '--var', varDir);
    expect(unlock.status).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    symlinkSync(victim, join(varDir, '.lock'));
    const start = kiosk('start', '--port', String(await freePort()), '--var', varDir, '--spool', join(dir, 'spool'), '--clock', T);
    expect(start.status).toBe(2);
    expect(start.stderr).toMatch(/cannot be used: .*\(ELOOP\)/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  }, 60_000);

  it('a journal of one endless line is damage (exit 2 at once, the file kept); a FIFO for a journal or a card record hangs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-journal-'));
    const port = String(await freePort());
    const endless = join(dir, 'endless');
    mkdirSync(endless);
    writeFileSync(join(endless, 'journal.jsonl'), Buffer.alloc(20 * 2 ** 20, 0x61)); // 20 MB, no newline
    const started = Date.now();
    const r = kiosk('start', '--port', port, '--var', endless, '--spool', join(dir, 'spool'), '--clock', T);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/journal\.jsonl:1: not a journal record\. The journal is damaged/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(statSync(join(endless, 'journal.jsonl')).size).toBe(20 * 2 ** 20);

    const fifo = join(dir, 'fifo');
    mkdirSync(fifo);
    execFileSync('mkfifo', [join(fifo, 'journal.jsonl')]);
    const f = kiosk('start', '--port', port, '--var', fifo, '--spool', join(dir, 'spool2'), '--clock', T);
    expect(f.status).toBe(2);
    expect(f.stderr).toMatch(/journal\.jsonl: not a regular file \(a FIFO\); the journal must be one: move it away/);

    const cards = join(dir, 'cards-var');
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', cards).status).toBe(0);
    rmSync(join(cards, 'cards', 'kawasaki-taro-1.json'));
    execFileSync('mkfifo', [join(cards, 'cards', 'kawasaki-taro-1.json')]);
    const list = kiosk('card', 'list', '--var', cards);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/kawasaki-taro-1 .*DAMAGED: .*not a regular file \(a FIFO\)/);
    const k = await startKiosk(['--var', cards, '--spool', join(dir, 'spool3'), '--clock', T, '--printer', 'null']);
    running.push(k);
    const s = await Screen.open(k.url);
    await s.screen('top');
    s.operator('insert-card', { persona: 'kawasaki-taro' });
    expect(await s.error()).toMatch(/is damaged \(not a regular file \(a FIFO\)\)/);
    // Still serving: the UI answers at once.
    expect((await fetch(k.url)).status).toBe(200);
    s.close();
    await k.stop();
  }, 60_000);

  it('hand-edited card records are refused as damaged with what to do, never a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-records-'));
    const edits: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
      ['a certificate that is a number', (r) => ((r.certificates as Record<string, unknown>).auth = 5), /its certificates are not DER in base64/],
      ['an unknown kind', (r) => (r.kind = 'foo'), /an unknown kind of card/],
      ['another persona', (r) => (r.persona = 'kawasaki-hanako'), /its persona is not the one its name says/],
      ['tries 99', (r) => (((r.memory as Record<string, { triesLeft: number }>).auth).triesLeft = 99), /the auth PIN's counter is not 0-3/],
      ['a digest that is not hex', (r) => ((r.memory as Record<string, { secret: { sha256: string } }>).auth.secret.sha256 = 'xyz'), /the auth PIN's secret is not a salted digest/],
    ];
    for (const [what, edit, message] of edits) {
      const varDir = join(dir, what.replace(/\W+/g, '-'));
      expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', varDir).status).toBe(0);
      const file = join(varDir, 'cards', 'kawasaki-taro-1.json');
      const record = JSON.parse(readFileSync(file, 'utf8'));
      edit(record);
      writeFileSync(file, JSON.stringify(record));
      const r = kiosk('card', 'unlock', '--persona', 'kawasaki-taro', '--var', varDir);
      expect(r.status, what).toBe(2);
      expect(r.stderr, what).toMatch(message);
      expect(r.stderr, what).toContain('is damaged');
      expect(r.stderr, what).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

describe('locks in worker threads', () => {
  it('a worker thread takes and is refused locks like the main thread, and loading them in several threads brings nothing down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-attack-worker-'));
    const held = lockFile(join(dir, 'held.lock'), 'the main thread');
    try {
      for (let i = 0; i < 3; i++) {
        const w = new Worker(new URL('./lock-worker.mjs', import.meta.url), { workerData: { held: join(dir, 'held.lock'), free: join(dir, `free-${i}.lock`) } });
        const answers = await new Promise<string[]>((ok, fail) => {
          w.once('message', ok);
          w.once('error', fail);
        });
        await w.terminate();
        expect(answers[0]).toMatch(/^FolderLockedError: .*held\.lock is in use by the main thread \(pid \d+/);
        expect(answers[1]).toBe('free taken');
      }
    } finally {
      held.release();
    }
  });
});

describe('staff and operators in a hurry', () => {
  it('Back in service and Take out of service in one burst: out of service; a thousand resumes write one record', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'kiosk-attack-resume-'));
    const t = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir });
    try {
      await t.fault('out-of-service');
      const resume = t.fault('resume-service');
      await t.fault('out-of-service'); // a new fault while the resume checks
      await expect(resume).rejects.toThrow(/stays out of order: .*a new fault came during the check/);
      expect(t.runtime.outOfOrder).not.toBeNull();
      await Promise.all(Array.from({ length: 1000 }, () => t.fault('resume-service')));
      expect(t.runtime.outOfOrder).toBeNull();
      expect(t.runtime.journal.records.filter((r) => r.type === 'terminal.inService')).toHaveLength(1);
      t.runtime.send({ type: 'ui.start' });
      expect(t.runtime.screen).toBe('government-menu');
    } finally {
      t.stop();
    }
  });

  it('a card taken off and put back in one burst is the same card; an unknown persona leaves the card on the reader', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'kiosk-attack-burst-'));
    const clock = new SimClock(T);
    const t = new SimTerminal({ clock, printer: 'null', varDir });
    try {
      await t.insertCard('kawasaki-taro');
      await Promise.all([t.removeCard(), t.insertCard('kawasaki-taro'), t.removeCard(), t.insertCard('kawasaki-taro')]);
      expect(t.cardId).toBe('kawasaki-taro-1');
      await expect(t.insertCard('../x')).rejects.toThrow(/No persona "..\/x"/);
      await expect(t.insertCard('x'.repeat(60_000))).rejects.toThrow(/No persona "x{40}…"/);
      expect(t.cardId).toBe('kawasaki-taro-1');
      // While `kiosk card list` looks (it reads the kernel's lock table, never takes the lock), cards come and go.
      for (let i = 0; i < 50; i++) {
        const list = t.cards.list();
        expect(list.find((c) => c.id === 'kawasaki-taro-1')?.onReader ?? 'none').toMatch(/kiosk terminal K01|none/);
        await t.removeCard();
        await t.insertCard('kawasaki-taro');
      }
    } finally {
      t.stop();
    }
    // A purchase on the card just used still works: its state came through all that.
    const again = new SimTerminal({ clock, printer: 'null', varDir });
    try {
      const out = await drive(again, clock, { persona: 'kawasaki-taro', copies: 1, coins: [1000] });
      expect(out.ended).toBe('collect');
    } finally {
      again.stop();
    }
  });
});
