// A long run with many people's PINs, right and wrong, and a search of everything the kiosk put out for each of them:
// 200 purchases on two terminals (one printing real PDFs), shipped journeys through the runner, and sessions over the
// WebSocket. Searched: log lines, inspection events, every persisted snapshot, the journal, the cash box's and the
// center's files, the journey reports, the PDFs (bytes and text), the spool index and every WebSocket frame — for each
// PIN as ASCII digits, as hex (the BCD/ASCII an APDU log shows, plain and spaced), base64, and UTF-16 (LE and BE).
// Random tokens (UUIDs, digests, verification codes, record numbers) are masked first: they are digits by chance.
// The PIN pad's buffer must hold zeros whenever no PIN is waiting for its one VERIFY.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimClock } from '../../kiosk/clock.ts';
import { PinPad } from '../../kiosk/devices/pin-pad.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { serveKiosk } from '../../kiosk/server.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { drive, finish, type Purchase } from '../crash/drive.ts';
import { findPins, pinForms } from './scan.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-long-leak-'));
const data = loadSampleData();
const T = '2026-11-24T10:00:00+09:00';

/** People of every fate: printing, no seal, foreign, refused by the center after the PIN, locked by a wrong one. */
const PEOPLE = ['kawasaki-taro', 'kawasaki-hanako', 'takasaki-yoshiko', 'silva-ana', 'yokohama-resident', 'bunkyo-resident', 'new-arrival', 'one-try-left', 'adult-ward', 'revoked'];
const WRONG = ['7319', '5826', '9157'];
const PINS = [...PEOPLE.map((p) => data.persona(p).card.pin!), ...WRONG];

const forms = pinForms;
const leaks = (where: string, output: string | Buffer, binary = false) => findPins(PINS, where, output, binary);

function varOutputs(name: string, varDir: string): Array<[string, string]> {
  if (!existsSync(varDir)) return [];
  return (readdirSync(varDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
    .map((e) => [`${name} ${e.name}`, readFileSync(join(e.parentPath, e.name), 'utf8')]);
}

describe('a long run puts out no PIN', () => {
  const outputs: Array<[string, string]> = [];
  const binaries: Array<[string, Buffer]> = [];
  const stats = { journeys: 0, printed: 0, wrongPins: 0, steps: 0, pdfs: 0, frames: 0, snapshots: 0 };

  it('200 purchases on two terminals: logs, inspection, snapshots, journal, devices, center, PDFs; the PIN pad wiped', async () => {
    const snapshots = new Set<string>();
    for (const printer of ['spool', 'null'] as const) {
      const varDir = join(dir, `var-${printer}`);
      const spoolDir = join(dir, 'spool');
      const clock = new SimClock(T);
      const logs: string[] = [];
      const inspected: string[] = [];
      let inspecting = true;
      const terminal = new SimTerminal({
        clock, printer, spoolDir, varDir, log: (l) => logs.push(l),
        inspect: (e) => inspecting && inspected.push(JSON.stringify(e, (_, v) => (typeof v === 'function' ? undefined : v))),
      });
      const { runtime } = terminal;
      const n = printer === 'spool' ? 40 : 160;
      try {
        for (let i = 0; i < n; i++) {
          inspecting = i < 25;
          const persona = PEOPLE[i % PEOPLE.length];
          const wrongPins = [[], [WRONG[i % 3]], [WRONG[i % 3], WRONG[(i + 1) % 3]]][i % 3];
          const p: Purchase = { persona, wrongPins, copies: 1, coins: [500], cancelAfterCoins: i % 5 === 4 ? 0 : undefined };
          await drive(terminal, clock, p, () => {
            // Whenever the person is between steps, no PIN waits in the pad: its buffer is all zeros.
            expect(runtime.pinPad.holding).toBe(false);
            expect(runtime.pinPad.wiped).toBe(true);
            stats.steps += 1;
            const file = join(varDir, 'snapshot.json');
            if (existsSync(file)) snapshots.add(readFileSync(file, 'utf8'));
          });
          await finish(terminal);
          expect(runtime.pinPad.wiped).toBe(true);
          stats.journeys += 1;
          stats.wrongPins += wrongPins.length;
        }
        expect(runtime.errors.map((e) => e.message)).toEqual([]);
        stats.printed += runtime.journal.records.filter((r) => r.type === 'print.copy').length;
      } finally {
        terminal.stop();
      }
      outputs.push([`${printer} log`, logs.join('\n')], [`${printer} inspection`, inspected.join('\n')]);
      outputs.push(...varOutputs(printer, varDir));
    }
    stats.snapshots = snapshots.size;
    outputs.push(...[...snapshots].map((s, i): [string, string] => [`snapshot ${i}`, s]));

    const spool = join(dir, 'spool');
    const pdfs = readdirSync(spool).filter((f) => f.endsWith('.pdf'));
    stats.pdfs = pdfs.length;
    expect(pdfs.length).toBeGreaterThan(20);
    for (const f of pdfs) {
      binaries.push([`${f} bytes`, readFileSync(join(spool, f))]);
      outputs.push([`${f} text`, execFileSync('pdftotext', ['-enc', 'UTF-8', join(spool, f), '-'], { encoding: 'utf8' })]);
    }
    outputs.push(['spool index', readFileSync(join(spool, 'index.jsonl'), 'utf8')]);
    expect(stats.wrongPins).toBeGreaterThan(100);
  }, 300_000);

  it('the shipped journeys with PINs, through the runner: results as JSON reports', async () => {
    for (const f of ['02-wrong-pin-then-right.yaml', '03-pin-locked-by-three-wrong.yaml', '05-one-try-left.yaml', '01-juminhyo-happy-path.yaml']) {
      const text = readFileSync(join(ROOT, 'journeys', f), 'utf8');
      const logs: string[] = [];
      const result = await runJourney(parseJourneyText(f, text, data.personas.map((p) => p.id)), { varDir: join(dir, `journey-${f}`), log: (l) => logs.push(l) });
      outputs.push([`${f} report`, JSON.stringify(result)], [`${f} log`, logs.join('\n')], ...varOutputs(f, join(dir, `journey-${f}`)));
    }
  });

  it('WebSocket sessions: every frame to the touch screen and the operator panel', async () => {
    const logs: string[] = [];
    const server = await serveKiosk({ port: 0, clock: new SimClock(T), printer: 'null', spoolDir: join(dir, 'ws-spool'), varDir: join(dir, 'ws-var'), headless: true, log: (l) => logs.push(l) });
    const frames: string[] = [];
    const open = () => new Promise<WebSocket>((ok) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}ws`);
      ws.on('message', (d) => frames.push(String(d)));
      ws.on('open', () => ok(ws));
    });
    const touch = await open();
    const operator = await open();
    const send = async (ws: WebSocket, m: object) => {
      ws.send(JSON.stringify(m));
      await new Promise((r) => setTimeout(r, 5));
      await server.terminal.runtime.settled();
    };
    try {
      for (let i = 0; i < 20; i++) {
        const persona = PEOPLE[i % PEOPLE.length];
        for (const type of ['ui.start', 'ui.certificateService']) await send(touch, { type: 'event', event: { type } });
        await send(touch, { type: 'event', event: { type: 'ui.chooseMedium', medium: 'card' } });
        await send(touch, { type: 'event', event: { type: 'ui.acceptTerms' } });
        await send(operator, { type: 'operator', action: 'insert-card', persona });
        await send(touch, { type: 'event', event: { type: 'ui.selectCity', scope: 'residence' } });
        await send(touch, { type: 'pin', digits: `${WRONG[i % 3]}9` }); // five digits: refused unseen
        await send(touch, { type: 'pin', digits: WRONG[i % 3] });
        await send(touch, { type: 'pin', digits: data.persona(persona).card.pin! });
        expect(server.terminal.runtime.pinPad.wiped).toBe(true);
        await send(operator, { type: 'operator', action: 'remove-card' });
        await send(touch, { type: 'event', event: { type: 'ui.cancel' } });
        await send(touch, { type: 'event', event: { type: 'ui.done' } });
      }
      stats.frames = frames.length;
      expect(frames.length).toBeGreaterThan(400);
      // The five-digit PIN was refused with a message that does not repeat it.
      expect(frames.some((f) => f.includes('"error"') && f.includes('exactly 4 digits'))).toBe(true);
      expect(server.terminal.runtime.errors).toEqual([]);
    } finally {
      touch.close();
      operator.close();
      await server.close();
    }
    outputs.push(['ws frames', frames.join('\n')], ['ws server log', logs.join('\n')], ...varOutputs('ws', join(dir, 'ws-var')));
  }, 120_000);

  it('the search itself finds a PIN planted in each form, in text and in bytes', () => {
    for (const [form, needle] of forms('8642')) {
      expect(leaks('planted', `{"x":"${needle.toString('latin1')}"}`).length + leaks('planted', Buffer.concat([Buffer.from('%PDF'), needle]), true).length, form).toBeGreaterThan(1);
    }
    expect(leaks('uuid', '{"session":"0b8642aa-1c66-4129-96da-a3bdca170d74","seq":8642}')).toEqual([]); // masked: chance, not a PIN
  });

  it('finds none of the PINs in any of it', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const found = [...outputs.flatMap(([w, t]) => leaks(w, t)), ...binaries.flatMap(([w, b]) => leaks(w, b, true))];
    expect(found).toEqual([]);
    const bytes = outputs.reduce((a, [, t]) => a + t.length, 0) + binaries.reduce((a, [, b]) => a + b.length, 0);
    console.log(`secrets: ${PINS.length} PINs × ${forms('0000').length} forms searched in ${outputs.length + binaries.length} outputs (${(bytes / 1e6).toFixed(1)} MB): ` +
      `${stats.journeys} purchases (${stats.wrongPins} wrong PINs, ${stats.printed} copies, ${stats.pdfs} PDFs), ${stats.snapshots} distinct snapshots, ${stats.frames} WebSocket frames; none found; the PIN pad wiped at each of ${stats.steps} steps`);
  });
});

describe('the PIN pad', () => {
  it('holds the digits in a buffer of its own, wiped as the VERIFY takes them, and on wipe()', async () => {
    const pad = new PinPad();
    expect(pad.wiped).toBe(true);
    pad.enter('8642');
    expect(pad.wiped).toBe(false);
    expect(JSON.stringify(pad)).toBe('{"holding":true}');
    expect(String((await import('node:util')).inspect(pad, { showHidden: true, depth: 5 }))).not.toContain('8642');
    let seenWiped = false;
    const result = await pad.use(async (digits) => {
      seenWiped = pad.wiped; // already zero while the card answers
      return digits.length;
    });
    expect(result).toBe(4);
    expect(seenWiped).toBe(true);
    expect(pad.wiped && !pad.holding).toBe(true);
    expect(await pad.use(async () => 'again')).toBeNull(); // one VERIFY per entry
    pad.enter('5173');
    pad.wipe();
    expect(pad.wiped && !pad.holding).toBe(true);
    await expect(pad.use(async () => 1)).resolves.toBeNull();
  });

  it('is wiped when the VERIFY fails (card pulled mid-exchange)', async () => {
    const pad = new PinPad();
    pad.enter('8642');
    await expect(pad.use(async () => {
      throw new Error('card removed');
    })).rejects.toThrow('card removed');
    expect(pad.wiped).toBe(true);
  });
});
