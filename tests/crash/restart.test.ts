// A restart's other duties, in process: resuming the persisted snapshot only where that is safe, reading back a
// journal whose last line a kill cut short, refusing a damaged one, and the cash box's idempotency keys.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../kiosk/clock.ts';
import { SimCashBox } from '../../kiosk/devices/cash-box.ts';
import { Journal, JournalDamagedError } from '../../kiosk/journal.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { WARNING_SECONDS } from '../../kiosk/runtime.ts';
import { serveKiosk } from '../../kiosk/server.ts';
import WebSocket from 'ws';
import { drive } from './drive.ts';

const T = '2026-11-24T10:00:00+09:00';
const fresh = () => mkdtempSync(join(tmpdir(), 'kiosk-restart-'));

describe('resuming the persisted snapshot', () => {
  async function leaveOn(varDir: string, steps: (t: SimTerminal) => Promise<void> | void): Promise<string> {
    const t = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir });
    await steps(t);
    await t.runtime.settled();
    const session = t.runtime.session;
    t.stop();
    return session;
  }

  it('resumes the menus, with the session and the language, and arms the screen\'s timer', async () => {
    const varDir = fresh();
    const session = await leaveOn(varDir, (t) => {
      t.runtime.send({ type: 'ui.start' });
      t.runtime.send({ type: 'ui.setLanguage', language: 'en' });
      t.runtime.send({ type: 'ui.certificateService' });
    });
    const clock = new SimClock(T);
    const t = new SimTerminal({ clock, printer: 'null', varDir });
    try {
      expect(t.runtime.resumed).toBe('advanced-menu');
      expect(t.runtime.screen).toBe('advanced-menu');
      expect(t.runtime.session).toBe(session);
      expect(t.runtime.context.language).toBe('en');
      clock.advance(90_000);
      expect(t.runtime.context.warning).toBe(true);
      clock.advance(WARNING_SECONDS * 1000);
      expect(t.runtime.screen).toBe('cancelled');
    } finally {
      t.stop();
    }
  });

  it('starts at the top from a screen with a card session, and from a snapshot older than 5 minutes', async () => {
    const varDir = fresh();
    await leaveOn(varDir, async (t) => {
      for (const type of ['ui.start', 'ui.certificateService'] as const) t.runtime.send({ type });
      t.runtime.send({ type: 'ui.chooseMedium', medium: 'card' });
      t.runtime.send({ type: 'ui.acceptTerms' });
      await t.insertCard('kawasaki-taro');
    });
    const t = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir });
    expect([t.runtime.resumed, t.runtime.screen]).toEqual([null, 'top']);
    t.stop();

    const old = fresh();
    await leaveOn(old, (t) => t.runtime.send({ type: 'ui.start' }));
    const later = new SimTerminal({ clock: new SimClock('2026-11-24T10:06:00+09:00'), printer: 'null', varDir: old });
    expect([later.runtime.resumed, later.runtime.screen]).toEqual([null, 'top']);
    later.stop();
  });

  it('starts at the top when the snapshot is damaged', () => {
    const varDir = fresh();
    new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir }).stop();
    writeFileSync(join(varDir, 'snapshot.json'), '{"version":1,"session":"x","savedAt":0,"machine":{"status":"active","value":"nowhere"}}');
    const t = new SimTerminal({ clock: new SimClock('2000-01-01T09:00:00+09:00'), printer: 'null', varDir });
    expect(t.runtime.screen).toBe('top');
    t.stop();
  });
});

describe('the journal read back', () => {
  it('cuts a torn last line off and goes on after it', () => {
    const file = join(fresh(), 'journal.jsonl');
    const j = new Journal(file);
    j.append('s1', T, { type: 'cash.in', amount: 100, total: 100 });
    j.close();
    appendFileSync(file, '{"seq":2,"at":"2026-11-24T10:00:00.000+09:00","session":"s1","type":"cash.in","amo');
    const k = new Journal(file);
    expect(k.takePrevious().map((r) => r.seq)).toEqual([1]);
    k.append('s1', T, { type: 'cash.in', amount: 50, total: 150 });
    k.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.seq, l.amount])).toEqual([[1, 100], [2, 50]]);
  });

  it('refuses a journal damaged before its last line', () => {
    const file = join(fresh(), 'journal.jsonl');
    writeFileSync(file, '{"seq":1,"session":"s","type":"cash.in"}\nGARBAGE\n{"seq":3,"session":"s","type":"cash.in"}\n');
    expect(() => new Journal(file)).toThrow(JournalDamagedError);
  });

  it('keeps only the recent records in memory, all of them on disk', () => {
    const file = join(fresh(), 'journal.jsonl');
    const j = new Journal(file);
    for (let i = 0; i < 2500; i++) j.append('s', T, { type: 'cash.rejected', amount: 5, reason: 'not-accepted' });
    j.close();
    expect(j.records.length).toBeLessThanOrEqual(2000);
    expect(j.records.at(-1)?.seq).toBe(2500);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2500);
  });
});

describe('the cash box outlives the process', () => {
  it('keeps escrow, tubes and counters, and does an operation once per key', () => {
    const file = join(fresh(), 'cash-box.json');
    const a = new SimCashBox({}, { stateFile: file });
    a.accept(600);
    a.insert(500);
    a.insert(100);
    const b = new SimCashBox({}, { stateFile: file }); // the kiosk restarted: the coins are still in escrow
    expect(b.escrowTotal).toBe(600);
    expect(b.accepting).toBe(false);
    expect(b.collect('s/collect')).toBe(600);
    expect(b.collect('s/collect')).toBe(600); // asked again: answers what it did, moves nothing
    const held = b.held;
    expect(b.payout(160, 's/payout').paid).toBe(true);
    expect(b.payout(160, 's/payout').paid).toBe(true);
    expect(b.held).toBe(held - 160);
    const c = new SimCashBox({}, { stateFile: file });
    expect(c.outcome('s/payout')).toBe(160);
    expect(c.counters).toEqual({ accepted: 600, returned: 0, paidOut: 160 });
    expect(c.outcome('s/refund')).toBeNull();
  });
});

describe('telling the person a restart settled their purchase', () => {
  const crash = new Error('killed here');

  it('shows the main menu what came out and where the money went, until the next person starts', async () => {
    const varDir = fresh();
    const spoolDir = join(varDir, 'spool');
    // Two copies of 住民票 (400 yen): a 100-yen coin goes in, and the kiosk dies before the next one (nothing issued yet). The dead
    // terminal is left as it was: nothing stops it, as nothing would after a SIGKILL.
    const dying = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir, spoolDir });
    await expect(drive(dying, new SimClock(T), { persona: 'kawasaki-taro', copies: 2, coins: [100, 500] }, (step, coin) => {
      if (step === 'pay' && coin === 1) throw crash; // before the second coin
    })).rejects.toBe(crash);
    expect(dying.runtime.screen).toBe('payment');
    // While it lives, its folders are its own: a second kiosk on them is refused before it settles anything.
    await expect(serveKiosk({ port: 0, clock: new SimClock(T), printer: 'null', spoolDir, varDir, headless: true })).rejects.toMatchObject({ name: 'FolderLockedError' });
    expect(dying.cashBox.escrowTotal).toBe(100);
    dying.die();

    const server = await serveKiosk({ port: 0, clock: new SimClock(T), printer: 'null', spoolDir, varDir, headless: true });
    try {
      expect(server.terminal.runtime.recovered).toHaveLength(1);
      expect(server.terminal.runtime.recoveryNotice).toEqual({ printed: 0, copies: 0, returned: 100, owed: 0 });
      // The touch screen hears of it with the device status.
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}ws`);
      const views: Array<{ devices: { recovery: unknown } }> = [];
      ws.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type === 'view') views.push(m);
      });
      await new Promise((ok) => ws.on('open', ok));
      await new Promise((r) => setTimeout(r, 100));
      expect(views.at(-1)!.devices.recovery).toEqual({ printed: 0, copies: 0, returned: 100, owed: 0 });
      // The next person's tap on 行政サービス ends it.
      ws.send(JSON.stringify({ type: 'event', event: { type: 'ui.start' } }));
      await new Promise((r) => setTimeout(r, 100));
      expect(views.at(-1)!.devices.recovery).toBeNull();
      ws.close();
    } finally {
      await server.close();
    }
  });

  it('says nothing after a clean stop, or a crash with no money in', async () => {
    const varDir = fresh();
    const t = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir });
    t.runtime.send({ type: 'ui.start' });
    await t.runtime.settled();
    t.die();
    const again = new SimTerminal({ clock: new SimClock(T), printer: 'null', varDir });
    expect(again.runtime.recoveryNotice).toBeNull();
    again.stop();
  });
});
