// The PIN never leaves the PIN pad except in the one VERIFY to the card. This runs journeys and a WebSocket
// session with distinctive PINs (right and wrong ones) and searches every output the kiosk makes — inspection
// events (every snapshot and event of the machine), the persisted snapshot, the journal, logs, the JSON report,
// the command's output and the spooled PDFs (bytes and text) — for each PIN in every form of scan.ts (digits, hex as
// an APDU log shows it, base64, UTF-16), random tokens masked first. The WebSocket's frames are searched by
// long-run-leak.test.ts, over 20 sessions.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { findPins } from './scan.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const personas = loadSampleData().personas.map((p) => p.id);
const dir = mkdtempSync(join(tmpdir(), 'kiosk-leak-'));

/** Right PINs of the personas used, and wrong ones typed on purpose. */
const PINS = ['8642', '6408', '7319', '5826', '9157', '46813'];
const leaks = (where: string, output: string | Buffer, binary = false) => findPins(PINS, where, output, binary);

const START = `  - tap: government-service
  - tap: certificate-service
  - tap: my-number-card
  - tap: accept-terms
  - insert-card
  - tap: residence
`;
const JOURNEYS: Record<string, string> = {
  'happy-with-wrong-pins.yaml': `name: wrong twice, then right, then printed
persona: kawasaki-taro
clock: 2026-11-24T10:00:00+09:00
steps:
${START}  - pin: "7319"
  - pin: "5826"
  - expect: { screen: pin-entry, triesLeft: 1 }
  - pin: "8642"
  - remove-card
  - certificate: juminhyo
  - type: { scope: household }
  - info: { householdHead: true, domicile: true }
  - copies: 2
  - tap: confirm
  - insert-cash: [1000]
  - expect: { screen: printing, printed: 2 }
`,
  'locks.yaml': `name: last try wrong locks the card
persona: one-try-left
clock: 2026-11-24T10:00:00+09:00
steps:
${START}  - pin: "9157"
  - expect: { screen: pin-locked }
`,
  'bad-format.yaml': `name: a five-digit PIN is refused without being echoed
persona: one-try-left
clock: 2026-11-24T10:00:00+09:00
steps:
${START}  - pin: "46813"
`,
  'right-pin-locked-card.yaml': `name: the right PIN of a card that locks on the next wrong one
persona: one-try-left
clock: 2026-11-24T10:00:00+09:00
steps:
${START}  - pin: "6408"
  - expect: { screen: card-removal }
`,
};

describe('no output contains a PIN', () => {
  const outputs: Array<[string, string]> = [];
  const journeyDir = join(dir, 'journeys');
  execFileSync('mkdir', ['-p', journeyDir]);
  for (const [name, text] of Object.entries(JOURNEYS)) writeFileSync(join(journeyDir, name), text);

  it('in process: inspection events, logs, persisted snapshot, journal, results, PDFs', async () => {
    for (const [name, text] of Object.entries(JOURNEYS)) {
      const varDir = join(dir, 'var', name);
      const spoolDir = join(dir, 'spool');
      const inspected: string[] = [];
      const logs: string[] = [];
      const result = await runJourney(parseJourneyText(name, text, personas), {
        printer: 'spool', spoolDir, varDir, log: (l) => logs.push(l), inspect: (e) => inspected.push(JSON.stringify(e, (_, v) => (typeof v === 'function' ? undefined : v))),
      });
      expect(result.passed, `${name}: ${JSON.stringify(result.failure)}`).toBe(name !== 'bad-format.yaml');
      expect(inspected.length).toBeGreaterThan(20);
      outputs.push([`${name} inspection`, inspected.join('\n')], [`${name} log`, logs.join('\n')], [`${name} result`, JSON.stringify(result)]);
      const files = (readdirSync(varDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      for (const f of files) outputs.push([`${name} ${f.name}`, readFileSync(join(f.parentPath, f.name), 'utf8')]);
    }
    const binaries: Array<[string, Buffer]> = [];
    const pdfs = (readdirSync(join(dir, 'spool'), { recursive: true }) as string[]).filter((f) => f.endsWith('.pdf'));
    expect(pdfs.length).toBe(3); // two copies and the receipt of the happy journey
    for (const f of pdfs) {
      binaries.push([`${f} bytes`, readFileSync(join(dir, 'spool', f))]);
      outputs.push([`${f} text`, execFileSync('pdftotext', [join(dir, 'spool', f), '-'], { encoding: 'utf8' })]);
    }
    expect([...outputs.flatMap(([w, t]) => leaks(w, t)), ...binaries.flatMap(([w, b]) => leaks(w, b, true))]).toEqual([]);
  });

  it('the command line: stdout, stderr and the JSON report', () => {
    const report = join(dir, 'report.json');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'journey', 'run', journeyDir, '--json', report], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1); // bad-format.yaml fails, as it should
    expect(r.stdout).toContain('A PIN is exactly 4 digits');
    expect([...leaks('stdout', r.stdout), ...leaks('stderr', r.stderr), ...leaks('report', readFileSync(report, 'utf8'))]).toEqual([]);
  });
});
